#pragma once

#include "cluster/ClusterSnapshot.h"
#include "common/Result.h"
#include "storage/KeyspaceSummary.h"

#include <QObject>
#include <functional>

class EtcdClient;

/// Walks a range of the keyspace page by page and sums it into a KeyspaceSummary.
///
/// The first page is read through the leader (linearizable) and fixes the revision; every
/// later page is read at that revision, so the figures are one consistent view however
/// long the walk takes. Only one page (pageSize keys, fewer once a page has held more than
/// kPageBudgetBytes) is held at a time, so a database of several gigabytes can be walked. Reads go to a follower when
/// one answers, sparing the leader.
class KeyspaceWalker : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyspaceWalker)

public:
    static constexpr int kPageSize = 1000;
    static constexpr qint64 kPageBudgetBytes = 64 << 20;

    explicit KeyspaceWalker(EtcdClient *client, QObject *parent = nullptr);

    using Done = std::function<void(const Result<KeyspaceSummary> &)>;
    /// prefix empty: the whole keyspace. done runs once, on this object's thread; not after
    /// cancel().
    void start(const ClusterSnapshot &snapshot, const QByteArray &prefix, int depth, int topK, Done done);
    void cancel();
    void setPageSize(int keys) { m_pageSize = qMax(1, keys); }
    /// The member read from (its client URL).
    QString endpoint() const { return m_endpoint; }

    /// The end of the range that holds every key starting with prefix (etcd's --prefix).
    static QByteArray prefixEnd(const QByteArray &prefix);
    /// A member to read from: a reachable follower, else the leader; empty when none answers.
    static QString readEndpoint(const ClusterSnapshot &snapshot);

signals:
    /// walked keys of total (total as counted at the walk's revision).
    void progress(qint64 walked, qint64 total);

private:
    void readPage(const QByteArray &from);
    void fail(const QString &sentence);
    void finish(const Result<KeyspaceSummary> &result);

    EtcdClient *m_client;
    QString m_endpoint;
    QByteArray m_rangeEnd;
    KeyspaceSummary m_summary;
    int m_pageSize = kPageSize;
    qint64 m_total = 0;
    Done m_done;
    quint64 m_run = 0; ///< answers from a cancelled walk are dropped
};

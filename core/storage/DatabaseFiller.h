#pragma once

#include "cluster/OperationResult.h"

#include <QByteArray>
#include <QObject>

class EtcdClient;

/// "Fill the database": writes large values until etcd refuses them with NOSPACE (or a
/// byte budget is spent), so that the quota alarm and the reclaim runbook can be watched on
/// a demo cluster. Values overwrite a small ring of keys under /quorumdeck/fill/, so that
/// the space is held by old revisions: compaction and defragmentation give it back.
class DatabaseFiller : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DatabaseFiller)

public:
    static constexpr int kDefaultValueBytes = 256 * 1024;
    static constexpr int kKeyRing = 8;

    explicit DatabaseFiller(EtcdClient *client, QObject *parent = nullptr);

    /// budgetBytes <= 0: until etcd raises NOSPACE (or maxPuts is reached).
    void start(const QString &endpoint, qint64 budgetBytes = 0, int valueBytes = kDefaultValueBytes);
    void cancel() { m_cancelled = true; }
    bool isRunning() const { return m_running; }
    qint64 writtenBytes() const { return m_written; }

    /// The key prefix the filler writes under.
    static QByteArray prefix() { return QByteArrayLiteral("/quorumdeck/fill/"); }

signals:
    void progress(qint64 writtenBytes, int puts);
    /// Done when NOSPACE was raised or the budget spent; failed on any other error.
    void finished(const OperationResult &result);

private:
    void putNext();

    EtcdClient *m_client;
    QString m_endpoint;
    QByteArray m_value;
    qint64 m_budget = 0;
    qint64 m_written = 0;
    int m_puts = 0;
    bool m_running = false;
    bool m_cancelled = false;
};

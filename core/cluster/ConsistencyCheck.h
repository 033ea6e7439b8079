#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/ConsistencyReport.h"
#include "etcd/EtcdResult.h"
#include "etcd/EtcdTypes.h"

#include <QObject>
#include <functional>

class EtcdClient;

/// Checks that every voting member holds the same keyspace: picks one revision every member
/// can hash — above every member's compact revision (etcd refuses HashKV at the compact
/// revision itself) and at or below every member's current one — asks each voter for its
/// HashKV there, and decides (ConsistencyReport::decide).
///
/// The first try hashes at the lowest current revision the snapshot shows, which costs one
/// hash per member. A member compacted at or past it answers "required revision has been
/// compacted"; those members are then hashed at their current revision to learn their
/// compact revision, and everyone is hashed again at the lowest current revision above it.
/// When none lies above it (compacted at the current revision, nothing written since) and
/// every member stands at that one revision, their hashes of that state are compared.
/// Learners are listed but not hashed: etcd serves HashKV only on voting members.
class ConsistencyCheck : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsistencyCheck)

public:
    /// One HashKV call; the check's only way to reach a member, so a test can stand in.
    using HashCall = std::function<void(const QString &endpoint, int64_t revision, EtcdCallback<HashKVInfo> done)>;

    /// Asks through client, with a deadline fit for hashing a whole database.
    explicit ConsistencyCheck(EtcdClient *client, QObject *parent = nullptr);
    explicit ConsistencyCheck(HashCall hash, QObject *parent = nullptr);

    /// One check at a time; start() while one runs is ignored (returns false).
    bool start(const ClusterSnapshot &snapshot);
    bool isRunning() const { return m_running; }

signals:
    void finished(const ConsistencyReport &report);

private:
    struct Target {
        MemberHash hash;
        QString endpoint;
    };
    void hashAll(int64_t revision, bool mayRetry);
    void learnCompaction(int64_t revision);
    void finish(ConsistencyReport report);
    QList<MemberHash> rows() const;

    HashCall m_hash;
    QList<Target> m_targets; ///< the snapshot's members, in its order
    int m_voters = 0;
    uint64_t m_clusterId = 0;
    bool m_running = false;
    quint64 m_run = 0; ///< answers from an earlier run are dropped
    int m_settleRetries = 0; ///< hashes repeated while members report different compact revisions
};

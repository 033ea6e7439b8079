#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/LeaderHandoff.h"
#include "cluster/OperationResult.h"
#include "storage/ReclaimStep.h"

#include <QElapsedTimer>
#include <QObject>

class QTimer;

class EtcdClient;

/// What the runbook is asked to do.
struct ReclaimOptions {
    bool compact = false; ///< compact the keyspace to the current revision first
    bool defragment = true;
    bool disarm = true; ///< disarm NOSPACE at the end
    QString member; ///< defragment only this member (id or name); empty: all of them
    int pauseMs = 5000; ///< between one member's recovery and the next member's defragmentation
    int64_t minFree = 0; ///< skip members with less reclaimable space (db size − in use) than this
};

/// The steps a runbook would take, decided from a snapshot before anything is sent.
struct ReclaimPlan {
    bool allowed = false;
    QString sentence; ///< the refusal, or what will be done
    QString warning; ///< shown before confirming
    QList<ReclaimStep> steps;
};

/// Reclaims space the way etcd's maintenance guide asks: optionally compact the keyspace,
/// then defragment the members one at a time, then disarm NOSPACE.
///
/// A member blocks reads and writes while it defragments; doing one at a time keeps the
/// others serving. The leader is never defragmented in place (a blocked leader stops
/// heartbeating and the followers elect another, at a moment nobody chose): it goes last,
/// and before its turn leadership moves to the most up-to-date healthy follower, so that
/// one planned leader change replaces an election. Between members the runbook waits until
/// the member answers with a leader and has applied what the leader had, then pauses. It
/// refuses to start unless a quorum plus one voters are healthy (blocking one must leave a
/// quorum); a one-voter cluster, which has no follower, is defragmented in place.
///
/// A step that fails stops the runbook. cancel() takes effect between steps.
class ReclaimRunbook : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReclaimRunbook)

public:
    explicit ReclaimRunbook(EtcdClient *client, QObject *parent = nullptr);

    static ReclaimPlan plan(const ClusterSnapshot &snapshot, const ReclaimOptions &options);

    /// Runs plan(snapshot, options); a refused plan finishes at once.
    void start(const ClusterSnapshot &snapshot, const ReclaimOptions &options);
    void cancel();
    bool isRunning() const { return m_running; }
    const QList<ReclaimStep> &steps() const { return m_steps; }

    /// How long a member may take to answer with a leader after its defragmentation.
    void setHealthTimeoutMs(int ms) { m_healthTimeoutMs = ms; }

signals:
    void stepChanged(int index, const ReclaimStep &step);
    /// Emitted just before a MoveLeader is sent; ClusterMonitor::expectLeaderTransfer listens.
    void leaderTransferRequested(uint64_t target);
    void finished(const OperationResult &result);

private:
    void runNext();
    void runCompact(int index);
    void runDefragment(int index);
    bool awaitCompaction(int index, int64_t inUse);
    void moveLeadershipOff(int index);
    /// After a defragmentation: until the member answers with a leader and has applied the
    /// leader's applied index (read once, into leaderApplied).
    void waitCaughtUp(int index, qint64 giveUpAtMs, uint64_t leaderApplied);
    QString endpointOf(uint64_t id) const;
    void runDisarm(int index);
    void finishStep(int index, ReclaimStep::State state, const QString &detail);
    void finishRunbook();

    EtcdClient *m_client;
    QList<ReclaimStep> m_steps;
    QList<LeaderHandoff::Member> m_peers; ///< every member of the snapshot the runbook started from
    int m_voters = 0;
    ReclaimOptions m_options;
    QTimer *m_pause = nullptr;
    QString m_writeEndpoint; ///< a live voter's, for compaction and disarming
    QElapsedTimer m_stepClock;
    int m_current = -1;
    bool m_running = false;
    bool m_cancelled = false;
    int m_healthTimeoutMs = 30000;
    /// Bytes in use on a member that has applied the compaction; -1 when none ran.
    int64_t m_compactedInUse = -1;
    qint64 m_compactionWaitUntilMs = 0; ///< 0 until the current step starts waiting
};

#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/OperationResult.h"
#include "storage/ReclaimStep.h"

#include <QElapsedTimer>
#include <QObject>

class EtcdClient;

/// What the runbook is asked to do.
struct ReclaimOptions {
    bool compact = false; ///< compact the keyspace to the current revision first
    bool defragment = true;
    bool disarm = true; ///< disarm NOSPACE at the end
    QString member; ///< defragment only this member (id or name); empty: all of them
};

/// The steps a runbook would take, decided from a snapshot before anything is sent.
struct ReclaimPlan {
    bool allowed = false;
    QString sentence; ///< the refusal, or what will be done
    QString warning; ///< shown before confirming
    QList<ReclaimStep> steps;
};

/// Reclaims space the way etcd's maintenance guide asks: optionally compact the keyspace,
/// then defragment the members one at a time — followers first, the leader last — waiting
/// for each to answer with a leader again before touching the next, then disarm NOSPACE.
///
/// A member blocks reads and writes while it defragments; doing one at a time keeps the
/// others serving, and the leader goes last so that leadership is not lost early. A step
/// that fails stops the runbook. cancel() takes effect between steps.
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
    void finished(const OperationResult &result);

private:
    void runNext();
    void runCompact(int index);
    void runDefragment(int index);
    bool awaitCompaction(int index, int64_t inUse);
    void waitHealthy(int index, qint64 giveUpAtMs);
    void runDisarm(int index);
    void finishStep(int index, ReclaimStep::State state, const QString &detail);
    void finishRunbook();

    EtcdClient *m_client;
    QList<ReclaimStep> m_steps;
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

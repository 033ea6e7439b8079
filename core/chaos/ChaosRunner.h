#pragma once

#include "chaos/ChaosHistory.h"
#include "chaos/ChaosSchedule.h"
#include "chaos/InvariantChecker.h"
#include "cluster/ClusterSnapshot.h"
#include "cluster/OperationResult.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QSet>
#include <functional>

class ClusterMonitor;
class EtcdClient;
class LocalCluster;
class MemberOps;
class QTimer;

/// Runs a chaos schedule against a demo cluster while a monitor of its own watches, keeps
/// a light write load on, then heals everything and checks the invariants. Faults come one
/// at a time, each once the cluster is healthy again (or after 10 s of waiting).
class ChaosRunner : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChaosRunner)

public:
    struct Options {
        quint32 seed = 1;
        qint64 durationMs = 60000;
        int intervalMs = 250; ///< the monitor's tick interval
        int tickDeadlineMs = 1000;
        int tickMarginMs = 150;
        int convergeLimitMs = 10000;
    };

    /// cluster must be attached to a running demo; client connects to its members.
    ChaosRunner(LocalCluster *cluster, EtcdClient *client, const Options &options, QObject *parent = nullptr);
    ~ChaosRunner() override;

    /// done(verdict, summary JSON) once healed and checked.
    void start(std::function<void(const ChaosVerdict &, const QJsonObject &)> done);

signals:
    void progress(const QString &sentence);

private:
    void nextFault();
    void apply(const ChaosFault &fault, const QString &member, std::function<void()> next);
    void undo(const ChaosFault &fault, const QString &member, std::function<void()> next);
    /// Waits (bounded) until the last snapshot is healthy.
    void whenHealthy(int timeoutMs, std::function<void(bool)> next);
    void healEverything();
    void awaitConvergence();
    void finishRun();
    void record(const ClusterSnapshot &s);
    void writeOnce();
    QString pickMember(ChaosFault::Target target) const;
    QString nameOf(uint64_t id) const;
    qint64 elapsed() const { return m_clock.elapsed(); }

    LocalCluster *m_cluster;
    EtcdClient *m_client;
    ClusterMonitor *m_monitor;
    MemberOps *m_ops;
    QTimer *m_writer;
    Options m_options;
    QList<ChaosFault> m_schedule;
    int m_next = 0;
    ClusterSnapshot m_last;
    ChaosHistory m_history;
    QJsonArray m_applied;
    QSet<QString> m_killed; ///< members to restart when healing
    QSet<QString> m_paused;
    QElapsedTimer m_clock;
    qint64 m_startedWallMs = 0;
    qint64 m_healedAt = 0;
    int m_writesOk = 0;
    int m_writesFailed = 0;
    int m_unsettled = 0; ///< faults applied before the cluster was healthy again
    bool m_writing = false;
    std::function<void(const ChaosVerdict &, const QJsonObject &)> m_done;
};

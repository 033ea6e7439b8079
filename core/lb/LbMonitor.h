#pragma once

#include "cluster/ClusterSnapshot.h"
#include "common/Result.h"
#include "lb/LbSnapshot.h"
#include "profile/LbDefinition.h"

#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <functional>

class QNetworkAccessManager;

/// Reads the load balancer's own view (HAProxy's stats) and checks every backend and the
/// frontend itself, then joins each backend to the etcd member it fronts (by name, else by
/// its client address) and flags drift: a backend kept in rotation while its member fails
/// health or has no leader, or one held DOWN while its member is healthy.
///
/// Everything is asynchronous with deadlines; one tick ends in one snapshotReady().
class LbMonitor : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LbMonitor)

public:
    explicit LbMonitor(QObject *parent = nullptr);

    void setDefinition(const LbDefinition &definition);
    const LbDefinition &definition() const { return m_definition; }
    /// The cluster as last seen: members to join and their health.
    void setCluster(const ClusterSnapshot &snapshot);

    void start(int intervalMs = 500);
    void stop();
    /// One tick now (unless one is running).
    void refresh();
    const LbSnapshot &last() const { return m_last; }

    /// HAProxy's admin socket: state "ready", "drain" or "maint" for one server of the
    /// backend. done(error sentence, empty on success).
    void setServerState(const QString &server, const QString &state, std::function<void(Result<void>)> done);

    /// Pure: the drift flags and member joins of a snapshot, given the cluster.
    static void join(LbSnapshot &lb, const ClusterSnapshot &cluster);

signals:
    void snapshotReady(const LbSnapshot &snapshot);

private:
    void onStats(const QByteArray &csv, const QString &error);
    void probeAll();
    void finishTick();

    LbDefinition m_definition;
    QSslConfiguration m_probeTls; ///< m_definition.probeTls, read
    ClusterSnapshot m_cluster;
    QNetworkAccessManager *m_http;
    QTimer m_timer;
    LbSnapshot m_tick; ///< being built
    LbSnapshot m_last;
    int m_pending = 0;
    bool m_running = false;
};

#pragma once

#include "session/MemberInstances.h"

#include "cluster/CatchUp.h"
#include "cluster/ClusterEvent.h"
#include "cluster/ClusterSnapshot.h"
#include "cluster/OperationResult.h"
#include "demo/NetworkWatch.h"
#include "etcd/ConnectionSettings.h"
#include "journal/OperatorAction.h"
#include "lb/LbSnapshot.h"
#include "scrape/ScrapeTarget.h"
#include "session/DemoController.h"

#include <QObject>
#include <optional>

class AlertsSession;
class ControlPlaneSession;
class PrometheusHistory;
class BackupSession;
class ConsistencySession;
class KeyspaceSession;
class ClusterMonitor;
class DemoController;
class EtcdClient;
class Journal;
class StorageSession;
struct ConnectionProfile;
class MemberOps;
class LbMonitor;
class MetricsCollector;

/// One connection of the console to one cluster: the client, its monitor, the member
/// operations and, for a demo cluster, the local processes. Every operator action goes
/// through here, so that each is journalled (who, what, target, result) whichever face —
/// window or test — asked for it. Events are journalled under the cluster's id and the
/// cluster's earlier history is loaded from the journal once its id is known.
///
/// Lives on the GUI thread; everything it does there is asynchronous.
class ConsoleSession : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleSession)

public:
    /// How often the load balancer's view and the console's own probe of each backend are
    /// read: as often as the members are scraped. Each probe is an HTTP /health of a member,
    /// which etcd 3.4 answers with a read through raft, so a faster poll costs the cluster
    /// as well as the console.
    static constexpr int kLbPollMs = 1000;

    /// journal may be shared between sessions; it is not owned. demo, when given, is
    /// owned by the session from now on.
    ConsoleSession(const ConnectionSettings &settings, Journal *journal, DemoController *demo = nullptr,
        QObject *parent = nullptr);
    ~ConsoleSession() override;

    EtcdClient *client() const { return m_client; }
    ClusterMonitor *monitor() const { return m_monitor; }
    /// The demo cluster this session runs on, or null.
    DemoController *demo() const { return m_demo; }
    Journal *journal() const { return m_journal; }
    /// Scrapes every member's /metrics, and the settings' extra targets, from the start.
    MetricsCollector *metrics() const { return m_metrics; }
    /// The load balancer in front of the cluster, when one is known (the demo's HAProxy);
    /// null otherwise, and lbUnavailable() says why.
    LbMonitor *lb() const { return m_lb; }
    QString lbUnavailable() const { return m_lbUnavailable; }
    /// Members' storage, alarms, the reclaim runbook and Kubernetes volumes.
    StorageSession *storage() const { return m_storage; }
    /// This cluster's backups, the schedule, and restore and recovery.
    BackupSession *backups() const { return m_backups; }
    ConsistencySession *consistency() const { return m_consistency; }
    KeyspaceSession *keyspace() const { return m_keyspace; }
    AlertsSession *alerts() const { return m_alerts; }
    /// The Kubernetes control plane above the cluster, when a kubeconfig reaches it.
    ControlPlaneSession *controlPlane() const { return m_controlPlane; }
    /// Which member each metric `instance` stands for (the profile's corrections applied).
    const MemberInstances &instances() const { return m_instances; }
    /// The Prometheus the profile names, for history the console's store lacks; or null.
    PrometheusHistory *history() const { return m_history; }
    /// Reads history from the server with Prometheus' API at `url` ("" for none): its
    /// series for this cluster's members, those labelled cluster="`cluster`" when given.
    void setPrometheus(const QString &url, const QString &bearerTokenFile, const QString &cluster);
    const ClusterSnapshot &snapshot() const;
    /// Earlier history from the journal, then everything seen since, oldest first.
    const QList<ClusterEvent> &events() const { return m_events; }
    const QList<OperatorAction> &actions() const { return m_actions; }
    bool isBusy() const { return m_busy > 0; }
    /// The operator's Cancel for the long operation under way, where stopping is safe (the
    /// last operationStep() says whether it is now).
    void stopOperation();

    /// What a connection profile adds to the connection: its load balancer (unless this is a
    /// demo cluster, which has its own), its kubeconfig, backups, Prometheus and
    /// Alertmanager. Call before start().
    void useProfile(const ConnectionProfile &profile);
    void start();
    /// Stops watching (the cluster and its load balancer), e.g. before stopping a demo.
    void stop();

    void moveLeader(const QString &target);
    /// On a demo cluster the new member's process is started too, on free ports.
    void addMember(const QString &name, const QStringList &peerUrls, bool learner);
    /// On a demo cluster the member's process is stopped and its data deleted afterwards.
    void removeMember(const QString &member, bool force);
    void promoteMember(const QString &member);
    void demoAction(const QString &member, DemoController::MemberAction action);
    /// The faults on the demo members' peer links, whoever sets them; null when this is
    /// not a demo cluster with peer proxies.
    NetworkWatch *network() const { return m_network; }
    /// Puts a fault on a demo member's peer links (an empty one heals them); journalled.
    void setNetworkFault(const QString &member, const NetworkFault &fault);
    void clearNetworkFaults();
    /// Kills the current leader's process (demo clusters only), to watch an election.
    void killLeader();
    /// Sets a backend's state on the LB's admin socket: "drain", "maint" or "ready".
    void lbServerState(const QString &server, const QString &state);
    /// Free peer URL for a member about to be added to the demo cluster.
    QString proposePeerUrl() const;

signals:
    void snapshotReady(const ClusterSnapshot &snapshot);
    void eventsAppended(const QList<ClusterEvent> &events);
    /// The journal's history replaced events(); views reload.
    void historyReset();
    void busyChanged(bool busy);
    void operationFinished(const QString &action, const OperationResult &result);
    void progress(const QString &sentence);
    /// A step of a long operation started (verify, restore, rebuild): its sentence, its
    /// place among the operation's steps, and whether stopOperation() is honoured now.
    void operationStep(const QString &sentence, int index, int count, bool stoppable);
    /// A long operation measured in an amount rather than steps (a member added to the demo
    /// catching up with the leader's log): done of total, total 0 while unknown. It runs to
    /// its end by itself, so there is nothing to stop.
    void operationAmount(const QString &sentence, qint64 done, qint64 total);
    void lbSnapshotReady(const LbSnapshot &snapshot);
    /// history() is another object (or null) from now on.
    void prometheusChanged();

private:
    void finishOperation(const QString &action, const QString &target, const OperationResult &result);
    void undoAdd(const QString &action, const QString &name, const OperationResult &added, const OperationResult &why);
    void beginOperation();
    void onSnapshot(const ClusterSnapshot &snapshot);
    void updateScrapeTargets(const ClusterSnapshot &snapshot);
    void onLbSnapshot(const LbSnapshot &snapshot);
    /// Events the session makes itself (LB drift, backup schedule): kept, journalled, shown.
    void appendEvents(const QList<ClusterEvent> &events);

    EtcdClient *m_client;
    ClusterMonitor *m_monitor;
    MemberOps *m_ops;
    MetricsCollector *m_metrics;
    StorageSession *m_storage;
    BackupSession *m_backups;
    ConsistencySession *m_consistency;
    KeyspaceSession *m_keyspace;
    MemberInstances m_instances;
    AlertsSession *m_alerts;
    PrometheusHistory *m_history = nullptr;
    ControlPlaneSession *m_controlPlane;
    LbMonitor *m_lb = nullptr;
    QString m_lbUnavailable;
    struct Drift {
        QString kind; ///< what the backend is in now ("" when none)
        qint64 sinceMs = 0;
        QString reported; ///< what the journal last heard ("" when none)
    };
    QHash<QString, Drift> m_lbDrift; ///< per backend
    QStringList m_extraTargets;
    QList<ScrapeTarget> m_targets;
    Journal *m_journal;
    DemoController *m_demo;
    NetworkWatch *m_network = nullptr;
    QList<ClusterEvent> m_events;
    QList<OperatorAction> m_actions;
    uint64_t m_clusterId = 0;
    int m_busy = 0;
    QHash<QString, QString> m_pendingDemoUrls; // member name -> client URL reserved for it
    /// A member added to the demo, followed until it has caught up: the add's operation
    /// ends then, so the window shows how far it has come.
    struct Joining {
        QString action;
        OperationResult added;
        CatchUp catchUp;
    };
    std::optional<Joining> m_joining;
    void followJoining(const ClusterSnapshot &snapshot);
};

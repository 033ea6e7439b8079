#pragma once

#include "cluster/OperationResult.h"
#include "etcd/ConnectionSettings.h"
#include "metrics/MetricsDashboard.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QTimer>

class ConnectFlow;
class ConsoleSession;
class ElectionsTimeline;
class LoadBalancerPanel;
class AlertNotifier;
class AlertTray;
class AlertsPanel;
class ControlPlanePanel;
class BackupsPanel;
class KeyspacePanel;
class QuorumLossBanner;
class StoragePanel;
class NetworkPanel;
class MemberLogView;
struct ConnectionProfile;
class EventsModel;
class Journal;
class MembersModel;
class NotificationBar;
class QLabel;
class OperationProgress;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;
class StartPage;
class SteadyLabel;
class TopologyView;
class ConsistencyLine;

/// The console window: a start page (launch the demo cluster or connect), then the
/// overview (topology), the members table and the elections timeline with the event list,
/// over one ConsoleSession. Every action runs asynchronously with a busy indicator and ends
/// in a non-modal notification; the window never waits on the network, a process or the
/// disk.
class MainWindow : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /// journal is shared with the sessions and not owned.
    explicit MainWindow(Journal *journal, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Launches the local demo cluster in dir and opens the console on it once ready.
    /// quotaBytes <= 0: etcd's default backend quota.
    void launchDemo(const QString &dir, int members = 3, qint64 quotaBytes = 0, bool tls = false, bool auth = false);
    void connectTo(const ConnectionSettings &settings);
    /// Connects through a profile (saved when named). An empty password for a user is taken
    /// from the keychain when the profile keeps it there, else asked for on the start page;
    /// keepPassword stores a typed one in the keychain.
    void connectTo(const ConnectionProfile &profile, const QString &password, bool keepPassword = false);
    /// Shows certificate diagnostics for the current connection.
    void showCertificates();
    /// Reconnects to the profile used last, if any; returns false when there is none.
    bool reconnectLast();
    /// The window's first move: launch the demo (demo) or reconnect to the last cluster;
    /// either way, a demo that an earlier console left running in the default directory is
    /// offered first (reattach or clean up), never replaced unasked.
    void start(bool demo);

    ConsoleSession *session() const { return m_session; }
    MembersModel *membersModel() const { return m_members; }
    EventsModel *eventsModel() const { return m_events; }
    TopologyView *topology() const { return m_topology; }
    ConsistencyLine *consistencyLine() const { return m_consistency; }
    ElectionsTimeline *timeline() const { return m_timeline; }
    MetricsDashboard *dashboard() const { return m_dashboard; }
    LoadBalancerPanel *loadBalancer() const { return m_lbPanel; }
    StoragePanel *storage() const { return m_storagePanel; }
    BackupsPanel *backups() const { return m_backupsPanel; }
    AlertsPanel *alerts() const { return m_alertsPanel; }
    ControlPlanePanel *controlPlane() const { return m_controlPlanePanel; }
    AlertNotifier *notifier() const { return m_notifier; }
    AlertTray *tray() const { return m_tray; }
    /// The status bar's progress of a long operation, with its Stop and lag meter.
    OperationProgress *operationProgress() const { return m_busy; }
    KeyspacePanel *keyspace() const { return m_keyspacePanel; }
    QuorumLossBanner *quorumBanner() const { return m_quorumBanner; }
    NetworkPanel *network() const { return m_networkPanel; }
    MemberLogView *logs() const { return m_logView; }
    StartPage *startPage() const { return m_start; }
    NotificationBar *notifications() const { return m_notice; }
    QTableView *membersView() const { return m_membersView; }
    QTableView *eventsView() const { return m_eventsView; }
    /// Actions by object name ("transferLeader", "killLeader", "removeMember", ...).
    QAction *action(const QString &name) const;
    /// Selects a member's row; the member actions act on the selection.
    bool selectMember(const QString &name);
    /// Keeps the geometry, the layout and the tab shown for the next window (done on close).
    void saveSettings() const;

signals:
    /// The console is showing a cluster (first snapshot arrived).
    void consoleReady();
    /// After close, once the demo cluster it started has stopped.
    void shutDown();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildConsole();
    void buildMenus();
    /// Shows the console (when connected) at `panel`'s tab.
    void showPanel(QWidget *panel);
    void showStartPage();
    /// The etcd versions the cluster's members run, for About ("" when not connected).
    QString etcdServerVersions() const;
    void openSession(ConsoleSession *session, bool ownsDemo);
    void onOperationFinished(const QString &action, const OperationResult &result);
    void updateActions();
    void updateStatusBar();
    QString selectedMember() const;

    void transferLeader();
    void addMember();
    void removeMember();
    void promoteLearner();
    void demoMember(int action);
    void exportJournal();
    void stopDemo();
    void copySelectedRows();
    void updateDashboardMarkers();
    /// The worst alert state into the title, the tray and the dashboard's panels.
    void updateAlertState();
    /// From an event in the elections list to that moment in the logs of the members it
    /// names (demo clusters).
    void showEventInLogs();
    void showElectionAt(qint64 timeMs);

    void restoreSettings();

    Journal *m_journal;
    ConsoleSession *m_session = nullptr;
    bool m_ownsDemo = false;
    bool m_closing = false;
    QString m_endpointConflict; ///< the last snapshot's, shown when it changes
    uint64_t m_leaderId = 0; ///< the leader the status line speaks of
    qint64 m_leaderSinceMs = 0; ///< when it was elected (0: before the console saw)
    QStackedWidget *m_stack;
    QWidget *m_console = nullptr;
    StartPage *m_start;
    /// Checks the connection's certificates in the background and warns about expiry.
    void checkCertificatesQuietly();
    NotificationBar *m_notice;
    ConnectFlow *m_flow;
    TopologyView *m_topology;
    ConsistencyLine *m_consistency;
    ElectionsTimeline *m_timeline;
    MetricsDashboard *m_dashboard;
    LoadBalancerPanel *m_lbPanel;
    StoragePanel *m_storagePanel;
    KeyspacePanel *m_keyspacePanel;
    BackupsPanel *m_backupsPanel;
    AlertNotifier *m_notifier;
    AlertsPanel *m_alertsPanel;
    ControlPlanePanel *m_controlPlanePanel;
    AlertTray *m_tray;
    QuorumLossBanner *m_quorumBanner;
    NetworkPanel *m_networkPanel;
    MemberLogView *m_logView;
    MembersModel *m_members;
    EventsModel *m_events;
    QSortFilterProxyModel *m_membersSorted;
    QTableView *m_membersView;
    QTableView *m_eventsView;
    QSplitter *m_overviewSplit;
    QSplitter *m_electionsSplit;
    QLabel *m_connectionLabel;
    SteadyLabel *m_ageLabel;
    SteadyLabel *m_tickLabel;
    OperationProgress *m_busy;
    QTimer m_statusTimer;
    QElapsedTimer m_sinceSnapshot;
    QHash<QString, QAction *> m_actions;
};

#pragma once

#include "alerts/AlertEngine.h"
#include "alerts/FactSheet.h"
#include "alerts/RuleTiming.h"
#include "cluster/ClusterEvent.h"
#include "common/TlsSettings.h"
#include "promapi/AlertmanagerApi.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

class AlertWatcher;
class ClusterSnapshot;
class MemberInstances;
struct ConsistencyReport;
class MetricsCollector;
struct BackupSchedule;
struct LbSnapshot;
struct TlsFilesCheck;

/// The alert rules as the window holds them: the etcd rules over the session's collector,
/// and the console's own rules over the facts the session tells it (the LB's view, the
/// connection's certificates, the last consistency check, the backups). Each alert is told
/// by member name, each change of state is a cluster event (so the journal, the event table
/// and `events` have it), and the worst state is there for the title and the tray.
class AlertsSession : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertsSession)

public:
    /// The window's worst state: nothing, something pending, something firing.
    enum class Level { Clear, Pending, Firing };

    /// `instances` names members (the owner's map, alive while this evaluates).
    AlertsSession(MetricsCollector *metrics, const MemberInstances *instances, QObject *parent = nullptr);
    ~AlertsSession() override;

    /// Starts evaluating at the first snapshot.
    void onSnapshot(const ClusterSnapshot &snapshot);
    void onLbSnapshot(const LbSnapshot &lb);
    void onConsistencyReport(const ConsistencyReport &report);
    /// The schedule and when the newest verified backup was taken (-1: none). Nothing is
    /// due while the schedule asks for no backups, or before the directory was read.
    void onBackups(const BackupSchedule &schedule, bool listed, qint64 newestVerifiedMs);
    void onCertificates(const TlsFilesCheck &files);
    /// Reads the connection's certificate files now and every hour, off this thread.
    void watchCertificates(const TlsSettings &tls);
    void stop();
    /// The rules' windows and pending periods (the etcd mixin's by default); tests shorten
    /// them. Alerts start over.
    void setTiming(const RuleTiming &timing);
    int ruleCount() const;
    /// How often both rule sets are evaluated (5 s by default; tests shorten it).
    void setIntervalMs(int ms);
    /// Evaluates both rule sets now; done() once both have (an evaluation under way may
    /// be the one that answers).
    void evaluateNow(std::function<void()> done);
    /// Alertmanager's alerts for this cluster, beside the console's own: read now and every
    /// 15 s from `url` ("" stops), those labelled cluster="`cluster`" only when it is given.
    /// They are shown, not notified: the Alertmanager routes its own notifications.
    void setAlertmanager(
        const QString &url, const QString &cluster, const QString &bearerTokenFile, const TlsSettings &tls);
    QString alertmanagerUrl() const { return m_alertmanagerUrl; }
    /// As the last read found them (silenced and inhibited ones too).
    const QList<RemoteAlert> &remoteAlerts() const { return m_remote; }
    /// Why the last read failed ("" when it worked, or none finished yet).
    QString remoteError() const { return m_remoteError; }
    int remoteReads() const { return m_remoteReads; }
    /// The member a scrape instance (host:port) belongs to, or the instance itself.
    QString memberAt(const QString &instance) const;

    /// What the console's own rules see now, for tests and the panel's tooltip.
    const FactSheet &facts() const { return m_facts; }

    /// Pending and firing alerts, firing first, then critical first, then oldest first.
    QList<Alert> active() const;
    /// The member an alert is about: its name, or "" for the whole cluster.
    QString memberName(const Alert &alert) const;
    Level level() const;
    int firingCount() const;
    int pendingCount() const;
    /// Rules that could not be evaluated, for a line in the panel.
    QStringList errors() const;
    int evaluations() const;

    /// What an alert's change is as a cluster event.
    ClusterEvent event(const Alert &alert) const;

signals:
    /// Alerts that changed state at one evaluation (for notifications).
    void changed(const QList<Alert> &alerts);
    /// The same changes as cluster events, for the journal.
    void eventsOccurred(const QList<ClusterEvent> &events);
    /// After every evaluation, and every read of the Alertmanager.
    void updated();

private:
    /// Both watchers' alerts, the etcd rules' first.
    std::vector<Alert> all() const;
    void readCertificates();
    void readAlertmanager();

    MetricsCollector *m_metrics;
    FactSheet m_facts;
    AlertWatcher *m_watcher; ///< the etcd rules
    AlertWatcher *m_consoleWatcher; ///< the console's own
    const MemberInstances *m_instances;
    TlsSettings m_tls;
    QTimer m_certificateTimer;

    QString m_alertmanagerUrl;
    QString m_cluster;
    AlertmanagerApi *m_alertmanager = nullptr;
    int m_alertmanagerGeneration = 0; ///< answers for an earlier setting are dropped
    QTimer m_alertmanagerTimer;
    QList<RemoteAlert> m_remote;
    QString m_remoteError;
    int m_remoteReads = 0;
};

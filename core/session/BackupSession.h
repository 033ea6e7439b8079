#pragma once

#include "backup/BackupCatalog.h"
#include "backup/RecoveryPlan.h"
#include "backup/RestorePlan.h"
#include "cluster/ClusterEvent.h"
#include "cluster/ClusterSnapshot.h"
#include "cluster/OperationResult.h"
#include "common/StepChain.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

class BackupWriter;
class EtcdClient;

/// How often the window backs the cluster up while it is open, and how many it keeps.
struct BackupSchedule {
    int everyHours = 0; ///< 0: no scheduled backups
    int keep = 14;

    bool enabled() const { return everyHours > 0; }
    bool operator==(const BackupSchedule &) const = default;
};

/// The backup side of a console session: this cluster's backups in its backup directory,
/// "back up now" (each backup verified right after it is taken), verifying one, restoring
/// the demo from one or rebuilding it from a member, the plans for a real cluster, and the
/// schedule, whose lateness becomes a BackupOverdue event. Operations are announced
/// through operationStarted() and operationFinished(), which the session journals.
///
/// Lives on the GUI thread; the directory is read on the thread pool, and everything else
/// is asynchronous.
class BackupSession : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupSession)

public:
    /// How often the schedule is looked at.
    static constexpr int kCheckMs = 60 * 1000;

    explicit BackupSession(EtcdClient *client, QObject *parent = nullptr);
    ~BackupSession() override;

    /// The demo's directory, when the session runs on a demo cluster (restore and rebuild
    /// are then done here; on a real cluster they are plans).
    void setDemoDirectory(const QString &dir) { m_demoDir = dir; }
    bool isDemo() const { return !m_demoDir.isEmpty(); }
    /// The profile the schedule is saved in ("" for none: it lasts as long as the session).
    void setProfile(const QString &name, const BackupSchedule &schedule);
    void setSchedule(const BackupSchedule &schedule);
    const BackupSchedule &schedule() const { return m_schedule; }

    void setSnapshot(const ClusterSnapshot &snapshot);
    /// The cluster's backup directory (empty until its id is known).
    QString directory() const { return m_directory; }
    const QList<BackupEntry> &backups() const { return m_backups; }
    /// Reads the directory again.
    void refresh();

    bool isBusy() const { return m_busy; }
    void backUpNow();
    void verify(const QString &path);
    /// Demo only: puts the backup back into every member (DemoRestore).
    void restoreDemo(const QString &path);
    /// Demo only: rebuilds the cluster from one member after quorum loss (DemoRecover).
    void recoverDemo(const QString &member);
    /// The commands that restore a real cluster from the backup at path.
    Result<RestorePlan> restorePlan(const QString &path) const;
    /// The ways out of quorum loss and the commands that rebuild from member ("": the one
    /// furthest ahead).
    Result<RecoveryPlan> recoveryPlan(const QString &member = {}) const;
    /// The newest backup that was verified (or only hash checked), if any.
    const BackupEntry *newestVerified() const;
    /// Whether the directory has been read (until then nothing is known to be missing).
    bool isListed() const { return m_listed; }

    /// The operator's Cancel for the operation under way: verifying stops at once, a demo
    /// restore or rebuild only before it stops the members (later requests are ignored).
    void requestStop() { m_stopRequest.request(); }

    void stop();

signals:
    void backupsChanged();
    void progress(const QString &sentence);
    /// A step of the operation under way started: its sentence, its place, and whether a
    /// stop is still honoured.
    void stepStarted(const QString &sentence, const StepStart &step);
    void operationStarted();
    void operationFinished(const QString &action, const QString &target, const OperationResult &result);
    /// A step of a demo restore or rebuild ended (journalled like an operation of its own).
    void stepEnded(const QString &action, const QString &step, const OperationResult &result);
    /// The schedule was missed, or is kept again.
    void scheduleEvent(const ClusterEvent &event);

private:
    void begin(const QString &action, const QString &target);
    void finish(const OperationResult &result);
    void checkSchedule();
    /// Hands operation this operation's stop request, and tells its steps on as progress,
    /// each sentence starting with verb ("Verifying").
    template <typename Operation> void followSteps(Operation *operation, const QString &verb);

    EtcdClient *m_client;
    BackupWriter *m_writer;
    QTimer m_timer;
    ClusterSnapshot m_snapshot;
    QString m_directory;
    QString m_demoDir;
    QString m_profile;
    BackupSchedule m_schedule;
    QList<BackupEntry> m_backups;
    bool m_listed = false;
    bool m_busy = false;
    bool m_overdue = false;
    bool m_stopped = false;
    qint64 m_lastAttemptMs = 0; ///< of the last scheduled backup
    QString m_action;
    QString m_target;
    StopToken m_stopRequest; ///< a new one for each operation
};

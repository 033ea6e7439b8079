#include "session/BackupSession.h"

#include "backup/BackupVerifier.h"
#include "backup/BackupWriter.h"
#include "backup/DemoRecover.h"
#include "backup/DemoRestore.h"
#include "backup/OffThread.h"
#include "common/MemberId.h"
#include "etcd/EtcdClient.h"
#include "profile/ProfileStore.h"

#include <QFileInfo>

namespace {

const QString kDefaultDataDir = QStringLiteral("/var/lib/etcd");
/// A scheduled backup that failed is tried again after this long, not at every check.
constexpr qint64 kRetryMs = 10 * 60 * 1000;
/// Lateness forgiven before a backup counts as overdue: a backup takes a while.
constexpr qint64 kGraceMs = 15 * 60 * 1000;

QString hours(qint64 ms)
{
    const qint64 h = ms / (3600 * 1000);
    return h >= 1 ? QStringLiteral("%1 h").arg(h) : QStringLiteral("%1 min").arg(ms / 60000);
}

} // namespace

BackupSession::BackupSession(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_writer(new BackupWriter(client, this))
{
    m_timer.setInterval(kCheckMs);
    connect(&m_timer, &QTimer::timeout, this, &BackupSession::checkSchedule);
    connect(m_writer, &BackupWriter::progress, this, [this](qint64 received, qint64 total) {
        emit progress(total > 0 ? tr("Backing up: %1 % of %2 KiB").arg(received * 100 / total).arg(total / 1024)
                                : tr("Backing up: %1 KiB").arg(received / 1024));
    });
}

BackupSession::~BackupSession() = default;

void BackupSession::setProfile(const QString &name, const BackupSchedule &schedule)
{
    m_profile = name;
    m_schedule = schedule;
}

void BackupSession::setSchedule(const BackupSchedule &schedule)
{
    if (schedule == m_schedule)
        return;
    m_schedule = schedule;
    if (!m_schedule.enabled() && m_overdue) {
        m_overdue = false;
        ClusterEvent e;
        e.type = ClusterEvent::Type::BackupCurrent;
        e.timeMs = QDateTime::currentMSecsSinceEpoch();
        e.detail = tr("no backup schedule any more");
        emit scheduleEvent(e);
    }
    if (!m_profile.isEmpty()) {
        // Saved in the profile, on the pool: settings files are disk.
        OffThread::run(
            this,
            [name = m_profile, schedule] {
                std::optional<ConnectionProfile> p = ProfileStore::load(name);
                if (!p)
                    return Result<void>(Error::notFound(QStringLiteral("the profile %1 is gone").arg(name)));
                p->backupEveryHours = schedule.everyHours;
                p->backupKeep = schedule.keep;
                return ProfileStore::save(*p);
            },
            [this](const Result<void> &saved) {
                if (!saved)
                    emit progress(tr("The schedule was not saved: %1").arg(saved.problem()));
            });
    }
    checkSchedule();
}

void BackupSession::setSnapshot(const ClusterSnapshot &snapshot)
{
    m_snapshot = snapshot;
    if (snapshot.clusterId() == 0 || m_stopped)
        return;
    // The cluster's own folder; a restore gives the cluster a new id, and a new folder.
    const QString directory = BackupCatalog::defaultDirectory(MemberId::toHex(snapshot.clusterId()));
    if (directory != m_directory) {
        m_directory = directory;
        m_backups.clear();
        m_listed = false;
        refresh();
        m_timer.start();
    }
}

void BackupSession::refresh()
{
    if (m_directory.isEmpty())
        return;
    OffThread::run(
        this, [dir = m_directory] { return BackupCatalog::list(dir); },
        [this](const QList<BackupEntry> &entries) {
            m_backups = entries;
            m_listed = true;
            emit backupsChanged();
            checkSchedule();
        });
}

const BackupEntry *BackupSession::newestVerified() const
{
    for (const BackupEntry &e : m_backups)
        if (e.manifest
            && (e.manifest->verification.state == BackupVerification::State::Verified
                || e.manifest->verification.state == BackupVerification::State::HashChecked))
            return &e;
    return nullptr;
}

void BackupSession::begin(const QString &action, const QString &target)
{
    m_busy = true;
    m_stopRequest = StopToken();
    m_action = action;
    m_target = target;
    emit operationStarted();
}

void BackupSession::finish(const OperationResult &result)
{
    m_busy = false;
    emit operationFinished(m_action, m_target, result);
    refresh();
}

template <typename Operation> void BackupSession::followSteps(Operation *operation, const QString &verb)
{
    operation->setStopToken(m_stopRequest);
    connect(operation, &Operation::stepStarted, this, [this, verb](const StepStart &step) {
        const QString sentence = tr("%1: %2 …").arg(verb, step.name);
        emit progress(sentence);
        emit stepStarted(sentence, step);
    });
}

void BackupSession::backUpNow()
{
    if (m_busy || m_stopped)
        return;
    BackupOptions options;
    options.directory = m_directory;
    if (m_schedule.enabled())
        options.keep = m_schedule.keep;
    const BackupPlan plan = BackupWriter::plan(m_snapshot, options);
    begin(QStringLiteral("backup"), plan.memberName);
    if (!plan.allowed)
        return finish(OperationResult::failed(plan.sentence));
    emit progress(tr("Backing up from %1 …").arg(plan.memberName));
    m_writer->save(m_snapshot, options, [this](const Result<SavedBackup> &saved) {
        if (!saved)
            return finish(OperationResult::failed(saved.problem()));
        // A backup nobody has restored is not a backup: each one is verified at once.
        const QString path = saved->path;
        emit progress(tr("Verifying %1 …").arg(QFileInfo(path).fileName()));
        auto *verifier = new BackupVerifier(this);
        const ConnectionSettings &settings = m_client->settings();
        verifier->verify(path, {}, settings.user, settings.password, [this, verifier, path](const auto &r) {
            verifier->deleteLater();
            const QString name = QFileInfo(path).fileName();
            if (!r)
                return finish(
                    OperationResult::failed(tr("saved %1, but it could not be verified: %2").arg(name, r.problem())));
            if (r->verification.state == BackupVerification::State::Failed)
                return finish(OperationResult::failed(
                    tr("saved %1, but it does not verify: %2").arg(name, r->verification.sentence), r->toJson()));
            finish(OperationResult::done(tr("saved %1: %2").arg(name, r->verification.sentence), r->toJson()));
        });
    });
}

void BackupSession::verify(const QString &path)
{
    if (m_busy || m_stopped)
        return;
    begin(QStringLiteral("verify backup"), path);
    auto *verifier = new BackupVerifier(this);
    followSteps(verifier, tr("Verifying"));
    const ConnectionSettings &settings = m_client->settings();
    verifier->verify(path, {}, settings.user, settings.password, [this, verifier](const auto &r) {
        verifier->deleteLater();
        if (!r)
            return finish(OperationResult::failed(r.problem()));
        const BackupVerification &v = r->verification;
        finish(v.state == BackupVerification::State::Failed ? OperationResult::failed(v.sentence, r->toJson())
                                                            : OperationResult::done(v.sentence, r->toJson()));
    });
}

void BackupSession::restoreDemo(const QString &path)
{
    if (m_busy || m_stopped || !isDemo())
        return;
    begin(QStringLiteral("demo-restore"), path);
    auto *restore = new DemoRestore(this);
    followSteps(restore, tr("Restoring"));
    connect(restore, &DemoRestore::stepEnded, this,
        [this](const QString &step, const OperationResult &r) { emit stepEnded(m_action, step, r); });
    restore->run(m_demoDir, path, {}, [this, restore](const OperationResult &r) {
        restore->deleteLater();
        finish(r);
    });
}

void BackupSession::recoverDemo(const QString &member)
{
    if (m_busy || m_stopped || !isDemo())
        return;
    begin(QStringLiteral("demo-recover"), member);
    auto *recover = new DemoRecover(this);
    followSteps(recover, tr("Rebuilding"));
    connect(recover, &DemoRecover::stepEnded, this,
        [this](const QString &step, const OperationResult &r) { emit stepEnded(m_action, step, r); });
    recover->run(m_demoDir, member, m_client->settings(), [this, recover](const OperationResult &r) {
        recover->deleteLater();
        finish(r);
    });
}

Result<RestorePlan> BackupSession::restorePlan(const QString &path) const
{
    const auto entry
        = std::find_if(m_backups.begin(), m_backups.end(), [&path](const BackupEntry &e) { return e.path == path; });
    if (entry == m_backups.end() || !entry->manifest)
        return Error::notFound(QStringLiteral("%1 has no manifest beside it").arg(QFileInfo(path).fileName()));
    QList<BackupManifest::Member> members;
    if (m_snapshot.anyAnswered()) {
        for (const MemberState &m : m_snapshot.members())
            members << BackupManifest::Member {MemberId::toHex(m.id), m.name, m.peerUrls, m.clientUrls};
    } else {
        members = entry->manifest->members;
    }
    return RestorePlan::make(path, *entry->manifest, members, kDefaultDataDir, QDateTime::currentDateTimeUtc());
}

Result<RecoveryPlan> BackupSession::recoveryPlan(const QString &member) const
{
    const BackupEntry *newest = newestVerified();
    const QString backup = newest
        ? QStringLiteral("%1 (revision %2)").arg(QFileInfo(newest->path).fileName()).arg(newest->manifest->revision)
        : QString();
    return RecoveryPlan::make(RecoveryPlan::membersOf(m_snapshot), member, kDefaultDataDir,
        RecoveryPlan::etcdctlFlags(m_client->settings()), backup, QDateTime::currentDateTimeUtc());
}

void BackupSession::checkSchedule()
{
    if (!m_schedule.enabled() || !m_listed || m_stopped)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 periodMs = qint64(m_schedule.everyHours) * 3600 * 1000;
    const BackupEntry *newest = newestVerified();
    const qint64 ageMs = newest ? now - newest->manifest->time.toMSecsSinceEpoch() : -1;

    const bool overdue = ageMs < 0 || ageMs > periodMs + kGraceMs;
    if (overdue != m_overdue) {
        m_overdue = overdue;
        ClusterEvent e;
        e.type = overdue ? ClusterEvent::Type::BackupOverdue : ClusterEvent::Type::BackupCurrent;
        e.timeMs = now;
        e.detail = !overdue ? tr("a verified backup within the schedule (every %1 h) again").arg(m_schedule.everyHours)
            : ageMs < 0     ? tr("no verified backup of this cluster, and the schedule asks for one every %1 h")
                              .arg(m_schedule.everyHours)
                        : tr("the newest verified backup is %1 old; the schedule asks for one every %2 h")
                              .arg(hours(ageMs))
                              .arg(m_schedule.everyHours);
        emit scheduleEvent(e);
    }
    if ((ageMs < 0 || ageMs >= periodMs) && !m_busy && now - m_lastAttemptMs >= kRetryMs && m_snapshot.anyAnswered()) {
        m_lastAttemptMs = now;
        backUpNow();
    }
}

void BackupSession::stop()
{
    m_stopped = true;
    m_timer.stop();
}

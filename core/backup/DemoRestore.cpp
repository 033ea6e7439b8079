#include "backup/DemoRestore.h"

#include "backup/BackupVerifier.h"
#include "backup/DemoRecoverySteps.h"
#include "backup/StepLog.h"
#include "common/MemberId.h"
#include "demo/MemberProcesses.h"
#include "etcd/EtcdClient.h"
#include "profile/ClusterManifest.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QTimer>

namespace {

constexpr int kRestoreTimeoutMs = 10 * 60 * 1000;
constexpr int kLeaderTimeoutMs = 60 * 1000;
/// The index of the first step that changes anything ("move the data directories aside"):
/// a run interrupted before it left nothing to finish or roll back.
constexpr int kFirstChange = 3;

} // namespace

struct DemoRestore::State {
    QString dir;
    QString file;
    QString etcd;
    StepLog log;
    std::optional<PendingOperation> previous; ///< the interrupted run this one continues
    ClusterManifest manifest;
    VerifyReport verified;
    QString stamp;
    QString token;
    std::unique_ptr<EtcdClient> client;
    qint64 revision = 0;
    uint64_t clusterId = 0; ///< the restored cluster's, once it answers
    bool changed = false; ///< a step that changes the demo has begun
    QStringList notes;

    QStringList movedAside() const
    {
        QStringList out;
        for (const LocalMember &m : manifest.members)
            out << m.dataDir + QStringLiteral(".before-restore-") + stamp;
        out.removeIf([](const QString &p) { return !QFileInfo::exists(p); });
        return out;
    }
};

DemoRestore::DemoRestore(QObject *parent)
    : QObject(parent)
{
}

DemoRestore::~DemoRestore() = default;

void DemoRestore::run(const QString &dir, const QString &file, const QString &etcd, OperationCallback done)
{
    auto state = std::shared_ptr<State>(new State {dir, QFileInfo(file).absoluteFilePath(), etcd, StepLog(dir)});
    const Result<StepLog::Start> start
        = state->log.start(QStringLiteral("restore"), QStringLiteral("file"), state->file);
    if (!start)
        return done(OperationResult::failed(start.problem()));
    if (start->previous) {
        state->previous = start->previous;
        state->stamp = start->previous->begin.value(QStringLiteral("stamp")).toString();
        state->token = start->previous->begin.value(QStringLiteral("token")).toString();
    }
    m_state = state;
    using Next = StepChain<State>::Next;
    LoggedSteps<State> steps(this, state->log, QStringLiteral("restore"), start->resumeAt,
        [this](const QString &step, const Result<void> &r) {
            emit stepEnded(step, r ? OperationResult::done(step) : OperationResult::failed(r.problem()));
        });

    steps.always(QStringLiteral("read the demo's manifest"), [this](State &s, Next next) {
        Result<ClusterManifest> m = ClusterManifest::read(s.dir);
        if (!m)
            return next(m.error());
        s.manifest = m.value();
        const Result<QString> binary = MemberProcesses::locateEtcd(s.etcd.isEmpty() ? s.manifest.etcdPath : s.etcd);
        if (!binary)
            return next(binary.error());
        s.etcd = binary.value();
        if (s.previous)
            return next({});
        s.stamp = DemoRecoverySteps::utcStamp();
        s.token = QStringLiteral("quorumdeck-demo-restore-%1")
                      .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        // What a rollback needs to put the cluster back as it was: its old token.
        s.log.appendEventThen(this, QStringLiteral("begin"),
            {{QStringLiteral("operation"), QStringLiteral("restore")}, {QStringLiteral("file"), s.file},
                {QStringLiteral("firstChange"), kFirstChange}, {QStringLiteral("stamp"), s.stamp},
                {QStringLiteral("token"), s.token}, {QStringLiteral("previousToken"), s.manifest.token}},
            next);
    });
    steps.always(QStringLiteral("verify the backup"), [this](State &s, Next next) {
        auto *verifier = new BackupVerifier(this);
        verifier->setStopToken(m_stop);
        verifier->verify(s.file, s.etcd, [verifier, &s, next](const Result<VerifyReport> &r) {
            verifier->deleteLater();
            if (!r)
                return next(r.error());
            if (r->verification.state != BackupVerification::State::Verified)
                return next(
                    Error::refused(QStringLiteral("the backup did not verify: %1").arg(r->verification.sentence)));
            s.verified = r.value();
            s.revision = qMax<qint64>(r->status.revision, 1);
            next({});
        });
    });
    steps.pointOfNoReturn();
    steps.always(QStringLiteral("stop the members"),
        [this](State &s, Next next) { DemoRecoverySteps::stopMembers(s.manifest, this, next); });
    steps.add(QStringLiteral("move the data directories aside"), [this](State &s, Next next) {
        s.changed = true;
        QList<DemoRecoverySteps::AsideMove> moves;
        for (const LocalMember &m : std::as_const(s.manifest.members))
            moves.append({m.name, m.dataDir, m.dataDir + QStringLiteral(".before-restore-") + s.stamp});
        DemoRecoverySteps::moveAsideOffThread(
            s.log, s.previous, moves, QStringLiteral("restore:3.1"), this, std::move(next));
    });
    steps.add(QStringLiteral("restore each member from the backup"), [this](State &s, Next next) {
        s.changed = true;
        const QString tool = BackupVerifier::restoreTool(s.etcd);
        if (tool.isEmpty())
            return next(Error::notFound(QStringLiteral("neither etcdutl nor etcdctl is installed")));
        const QString initial = DemoRecoverySteps::initialCluster(s.manifest);
        auto remaining = std::make_shared<QList<LocalMember>>(s.manifest.members);
        auto restoreNext = std::make_shared<std::function<void()>>();
        // Each restore's answer holds the function for the next one; nothing holds it after.
        *restoreNext = [this, &s, next, tool, initial, remaining, weak = std::weak_ptr(restoreNext)] {
            if (remaining->isEmpty())
                return next({});
            auto self = weak.lock();
            const LocalMember m = remaining->takeFirst();
            if (s.previous && s.previous->has(QStringLiteral("restored"), m.name))
                return (*self)();
            // The old data went aside in the step before. A restore that an interrupted run
            // left half done is ours to discard; anything else found here is kept.
            if (QFileInfo::exists(m.dataDir)) {
                if (s.previous && s.previous->has(QStringLiteral("restoring"), m.name))
                    MemberProcesses::discardDirectory(m.dataDir);
                else
                    DemoRecoverySteps::keepUnexpected(m.dataDir);
            }
            s.log.appendEventThen(this, QStringLiteral("restoring"), {{QStringLiteral("member"), m.name}},
                [this, &s, m, next, self, tool, initial](Result<void> logged) {
                    if (!logged)
                        return next(logged);
                    auto *p = new QProcess(this);
                    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
                    env.insert(QStringLiteral("ETCDCTL_API"), QStringLiteral("3"));
                    p->setProcessEnvironment(env);
                    p->setProcessChannelMode(QProcess::MergedChannels);
                    QStringList args {QStringLiteral("snapshot"), QStringLiteral("restore"), s.file,
                        QStringLiteral("--name"), m.name, QStringLiteral("--initial-cluster"), initial,
                        QStringLiteral("--initial-advertise-peer-urls"), m.peerUrl,
                        QStringLiteral("--initial-cluster-token"), s.token, QStringLiteral("--data-dir"), m.dataDir};
                    if (!s.verified.digest.hasTrailingHash)
                        args << QStringLiteral("--skip-hash-check");
                    QTimer::singleShot(kRestoreTimeoutMs, p, [p] { p->kill(); });
                    connect(p, &QProcess::errorOccurred, this, [p, m, next, tool](QProcess::ProcessError e) {
                        // A tool that never starts emits no finished().
                        if (e != QProcess::FailedToStart)
                            return;
                        p->deleteLater();
                        next(Error::unavailable(
                            QStringLiteral("cannot run %1 to restore %2: %3").arg(tool, m.name, p->errorString())));
                    });
                    connect(
                        p, &QProcess::finished, this, [this, p, m, next, self, &s](int code, QProcess::ExitStatus st) {
                            p->deleteLater();
                            if (st != QProcess::NormalExit || code != 0)
                                return next(Error::io(
                                    QStringLiteral("restoring %1 failed: %2")
                                        .arg(m.name,
                                            QString::fromUtf8(p->readAll()).trimmed().section(QLatin1Char('\n'), -1))));
                            s.log.appendEventThen(this, QStringLiteral("restored"),
                                {{QStringLiteral("member"), m.name}}, [&s, m, next, self](Result<void> logged) {
                                    if (!logged)
                                        return next(logged);
                                    if (m.name == s.manifest.members.first().name)
                                        StepLog::killPoint(QStringLiteral("restore:4.1"));
                                    (*self)();
                                });
                        });
                    p->start(tool, args);
                });
        };
        (*restoreNext)();
    });
    steps.always(QStringLiteral("start the members"), [this, state](State &s, Next next) {
        if (!s.changed && !s.previous)
            return next({});
        s.manifest.token = s.token;
        QStringList names;
        for (const LocalMember &m : std::as_const(s.manifest.members))
            names << m.name;
        // A fork per member and a manifest written to disk after each: on the pool, so that
        // the window's event loop never waits for them (the state waits for the answer, and
        // nothing else touches it meanwhile).
        DemoRecoverySteps::startMembersOffThread(std::shared_ptr<ClusterManifest>(state, &state->manifest), names,
            DemoRecoverySteps::initialCluster(s.manifest), true, this, next);
    });
    steps.always(QStringLiteral("wait for a leader"), [this](State &s, Next next) {
        ConnectionSettings settings = s.manifest.connectionSettings();
        // Status needs no token; the root password is kept nowhere.
        settings.user.clear();
        s.client = std::make_unique<EtcdClient>(settings);
        DemoRecoverySteps::waitForLeader(*s.client, s.manifest.endpoints(), kLeaderTimeoutMs, this, next, &s.clusterId);
    });
    steps.always(QStringLiteral("check every member's revision and HashKV"), [this](State &s, Next next) {
        DemoRecoverySteps::checkAgreement(*s.client, s.manifest.endpoints(), s.revision, &s.notes, this, next);
    });

    steps.chain().run(
        state, [this](const StepStart &step) { emit stepStarted(step); },
        [this, state, done](Result<void> result, State &s) {
            s.log.finishThen(this, QStringLiteral("restore"), result.ok(), s.changed || s.previous,
                [this, state, done, result](const QString &unfinished) { finished(state, result, unfinished, done); });
        },
        m_stop);
}

void DemoRestore::finished(const std::shared_ptr<State> &state, const Result<void> &result, const QString &unfinished,
    const OperationCallback &done)
{
    State &s = *state;
    const QJsonObject details = DemoRecoverySteps::closingDetails(
        {{QStringLiteral("file"), s.file}, {QStringLiteral("revision"), s.revision},
            {QStringLiteral("movedAside"), QJsonArray::fromStringList(s.movedAside())}},
        s.notes, s.log.path(), s.clusterId);
    DemoRecoverySteps::releaseClient(s.client);
    if (m_state == state)
        m_state.reset();
    if (!result) {
        const QString problem = result.problem() + unfinished;
        done(OperationResult::failed(problem, details));
        return;
    }
    done(OperationResult::done(
        QStringLiteral("restored %1 members from %2 at revision %3; the old data directories are kept: %4")
            .arg(s.manifest.members.size())
            .arg(QFileInfo(s.file).fileName())
            .arg(s.revision)
            .arg(s.movedAside().join(QStringLiteral(", "))),
        details));
}

#include "backup/DemoRestore.h"

#include "backup/BackupVerifier.h"
#include "common/StepChain.h"
#include "demo/MemberProcesses.h"
#include "etcd/EtcdClient.h"
#include "profile/ClusterManifest.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTimer>

namespace {

constexpr int kRestoreTimeoutMs = 10 * 60 * 1000;
constexpr int kLeaderTimeoutMs = 60 * 1000;
constexpr int kPollMs = 200;

QString utcStamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
}

/// etcdutl beside etcd or on PATH, else etcdctl.
QString restoreTool(const QString &etcd)
{
    const QStringList besideEtcd {QFileInfo(etcd).absolutePath()};
    for (const QString &name : {QStringLiteral("etcdutl"), QStringLiteral("etcdctl")}) {
        QString found = QStandardPaths::findExecutable(name, besideEtcd);
        if (found.isEmpty())
            found = QStandardPaths::findExecutable(name);
        if (!found.isEmpty())
            return found;
    }
    return {};
}

/// The demo's etcd members that still run (not its HAProxy or peer-proxy helper).
QList<qint64> runningMembers(const ClusterManifest &manifest)
{
    QList<qint64> members;
    for (const LocalMember &m : manifest.members)
        members << m.pid;
    QList<qint64> running = MemberProcesses::alive(manifest.dir, members);
    running.removeIf([&members](qint64 pid) { return !members.contains(pid); });
    return running;
}

} // namespace

struct DemoRestore::State {
    QString dir;
    QString file;
    QString etcd;
    ClusterManifest manifest;
    VerifyReport verified;
    QStringList movedAside; ///< the old data directories, as they are named now
    QString token;
    std::unique_ptr<EtcdClient> client;
    qint64 revision = 0;
    QStringList notes;

    void log(const QString &line) const
    {
        QFile f(QDir(dir).filePath(QStringLiteral("restore-steps.log")));
        if (f.open(QIODevice::Append | QIODevice::Text))
            f.write(
                QStringLiteral("%1 %2\n").arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), line).toUtf8());
    }
};

DemoRestore::DemoRestore(QObject *parent)
    : QObject(parent)
{
}

DemoRestore::~DemoRestore() = default;

void DemoRestore::run(const QString &dir, const QString &file, const QString &etcd, OperationCallback done)
{
    auto state = std::make_shared<State>();
    state->dir = dir;
    state->file = QFileInfo(file).absoluteFilePath();
    state->etcd = etcd;
    m_state = state;
    using Next = StepChain<State>::Next;
    StepChain<State> chain;

    chain.add(QStringLiteral("read the demo's manifest"), [](State &s, Next next) {
        Result<ClusterManifest> m = ClusterManifest::read(s.dir);
        if (!m)
            return next(m.error());
        s.manifest = m.value();
        const Result<QString> binary = MemberProcesses::locateEtcd(s.etcd.isEmpty() ? s.manifest.etcdPath : s.etcd);
        if (!binary)
            return next(binary.error());
        s.etcd = binary.value();
        next({});
    });
    chain.add(QStringLiteral("verify the backup"), [this](State &s, Next next) {
        auto *verifier = new BackupVerifier(this);
        verifier->verify(s.file, s.etcd, [verifier, &s, next](const Result<VerifyReport> &r) {
            verifier->deleteLater();
            if (!r)
                return next(r.error());
            if (r->verification.state != BackupVerification::State::Verified)
                return next(Error::refused(QStringLiteral("the backup did not verify, so the demo is left as it is: %1")
                                               .arg(r->verification.sentence)));
            s.verified = r.value();
            s.revision = qMax<qint64>(r->status.revision, 1);
            next({});
        });
    });
    chain.add(QStringLiteral("stop the members"), [this](State &s, Next next) {
        // The members only: the load balancer and the peer proxies serve the restored cluster.
        MemberProcesses::stop(runningMembers(s.manifest), this, [&s, next] {
            if (!runningMembers(s.manifest).isEmpty())
                return next(Error::unavailable(QStringLiteral("a member did not stop; nothing was moved")));
            next({});
        });
    });
    chain.add(QStringLiteral("move the data directories aside"), [](State &s, Next next) {
        const QString stamp = utcStamp();
        for (const LocalMember &m : std::as_const(s.manifest.members)) {
            if (!QFileInfo::exists(m.dataDir))
                continue;
            const QString aside = m.dataDir + QStringLiteral(".before-restore-") + stamp;
            // Renamed, never deleted: the operator decides when the old data may go.
            if (!QDir().rename(m.dataDir, aside))
                return next(Error::io(QStringLiteral("cannot move %1 aside to %2").arg(m.dataDir, aside)));
            s.movedAside << aside;
            s.log(QStringLiteral("moved %1 to %2").arg(m.dataDir, aside));
        }
        next({});
    });
    chain.add(QStringLiteral("restore each member from the backup"), [this](State &s, Next next) {
        const QString tool = restoreTool(s.etcd);
        if (tool.isEmpty())
            return next(Error::notFound(QStringLiteral("neither etcdutl nor etcdctl is installed")));
        s.token = QStringLiteral("quorumdeck-demo-restore-%1")
                      .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        QStringList initial;
        for (const LocalMember &m : std::as_const(s.manifest.members))
            initial << m.initialClusterEntry();
        auto remaining = std::make_shared<QList<LocalMember>>(s.manifest.members);
        auto restoreNext = std::make_shared<std::function<void()>>();
        // Each restore's answer holds the function for the next one; nothing holds it after.
        *restoreNext = [this, &s, next, tool, initial, remaining, weak = std::weak_ptr(restoreNext)] {
            if (remaining->isEmpty())
                return next({});
            auto self = weak.lock();
            const LocalMember m = remaining->takeFirst();
            auto *p = new QProcess(this);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("ETCDCTL_API"), QStringLiteral("3"));
            p->setProcessEnvironment(env);
            p->setProcessChannelMode(QProcess::MergedChannels);
            QStringList args {QStringLiteral("snapshot"), QStringLiteral("restore"), s.file, QStringLiteral("--name"),
                m.name, QStringLiteral("--initial-cluster"), initial.join(QLatin1Char(',')),
                QStringLiteral("--initial-advertise-peer-urls"), m.peerUrl, QStringLiteral("--initial-cluster-token"),
                s.token, QStringLiteral("--data-dir"), m.dataDir};
            if (!s.verified.digest.hasTrailingHash)
                args << QStringLiteral("--skip-hash-check");
            QTimer::singleShot(kRestoreTimeoutMs, p, [p] { p->kill(); });
            connect(p, &QProcess::finished, this, [p, m, next, self, &s](int code, QProcess::ExitStatus st) {
                p->deleteLater();
                if (st != QProcess::NormalExit || code != 0)
                    return next(Error::io(
                        QStringLiteral("restoring %1 failed: %2")
                            .arg(m.name, QString::fromUtf8(p->readAll()).trimmed().section(QLatin1Char('\n'), -1))));
                s.log(QStringLiteral("restored %1 into %2").arg(m.name, m.dataDir));
                (*self)();
            });
            p->start(tool, args);
        };
        (*restoreNext)();
    });
    chain.add(QStringLiteral("start the members"), [](State &s, Next next) {
        s.manifest.token = s.token;
        QStringList initial;
        for (const LocalMember &m : std::as_const(s.manifest.members))
            initial << m.initialClusterEntry();
        for (LocalMember &m : s.manifest.members)
            if (Result<void> started = MemberProcesses::start(s.manifest, m, initial.join(QLatin1Char(',')), true);
                !started)
                return next(started);
        next(s.manifest.save());
    });
    chain.add(QStringLiteral("wait for a leader"), [this](State &s, Next next) {
        ConnectionSettings settings = s.manifest.connectionSettings();
        // Status needs no token; the root password is kept nowhere.
        settings.user.clear();
        s.client = std::make_unique<EtcdClient>(settings);
        const qint64 giveUpAt = QDateTime::currentMSecsSinceEpoch() + kLeaderTimeoutMs;
        auto poll = std::make_shared<std::function<void()>>();
        *poll = [this, &s, next, giveUpAt, weak = std::weak_ptr(poll)] {
            auto self = weak.lock();
            s.client->status(s.manifest.endpoints().first(), this, [this, next, giveUpAt, self](const auto &st) {
                if (st.ok() && st->leader != 0)
                    return next({});
                if (QDateTime::currentMSecsSinceEpoch() > giveUpAt)
                    return next(Error::timeout(
                        QStringLiteral("no leader within %1 s of the restore").arg(kLeaderTimeoutMs / 1000)));
                QTimer::singleShot(kPollMs, this, [self] { (*self)(); });
            });
        };
        (*poll)();
    });
    chain.add(QStringLiteral("check every member's revision and HashKV"), [this](State &s, Next next) {
        const QStringList endpoints = s.manifest.endpoints();
        auto left = std::make_shared<int>(int(endpoints.size()));
        auto problems = std::make_shared<QStringList>();
        auto hashes = std::make_shared<QMap<QString, quint32>>();
        for (const QString &endpoint : endpoints) {
            s.client->status(endpoint, this, [this, &s, endpoint, left, problems, hashes, next](const auto &st) {
                auto one = [&s, left, problems, hashes, next] {
                    if (--*left > 0)
                        return;
                    if (!problems->isEmpty())
                        return next(Error::invalid(problems->join(QStringLiteral("; "))));
                    const QList<quint32> values = hashes->values();
                    if (!values.isEmpty() && std::count(values.begin(), values.end(), values.first()) != values.size())
                        return next(Error::invalid(
                            QStringLiteral("the members' HashKV differ at revision %1").arg(s.revision)));
                    if (values.isEmpty())
                        s.notes << QStringLiteral("HashKV not compared: authentication is on");
                    next({});
                };
                if (!st.ok() || st->header.revision < s.revision) {
                    *problems << (st.ok() ? QStringLiteral("%1 is at revision %2, below the backup's %3")
                                                .arg(endpoint)
                                                .arg(st->header.revision)
                                                .arg(s.revision)
                                          : st.error.sentence);
                    return one();
                }
                s.client->hashKV(endpoint, s.revision, this, [endpoint, hashes, one](const auto &h) {
                    if (h.ok())
                        hashes->insert(endpoint, h->hash);
                    one();
                });
            });
        }
    });

    chain.run(
        state,
        [this, state](const QString &step) {
            state->log(QStringLiteral("step: %1").arg(step));
            emit stepStarted(step);
        },
        [this, state, done](Result<void> result, State &s) {
            s.log(result ? QStringLiteral("restored") : QStringLiteral("failed: %1").arg(result.problem()));
            const QJsonObject details {{QStringLiteral("file"), s.file}, {QStringLiteral("revision"), s.revision},
                {QStringLiteral("movedAside"), QJsonArray::fromStringList(s.movedAside)},
                {QStringLiteral("notes"), QJsonArray::fromStringList(s.notes)}};
            if (m_state == state)
                m_state.reset();
            if (!result) {
                done(OperationResult::failed(result.problem(), details));
                return;
            }
            done(OperationResult::done(
                QStringLiteral("restored %1 members from %2 at revision %3; the old data directories are kept: %4")
                    .arg(s.manifest.members.size())
                    .arg(QFileInfo(s.file).fileName())
                    .arg(s.revision)
                    .arg(s.movedAside.join(QStringLiteral(", "))),
                details));
        });
}

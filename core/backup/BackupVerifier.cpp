#include "backup/BackupVerifier.h"

#include "backup/OffThread.h"
#include "common/StepChain.h"
#include "demo/MemberProcesses.h"
#include "demo/PortAllocator.h"
#include "etcd/EtcdClient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <csignal>
#include <sys/prctl.h>

namespace {

constexpr int kRestoreTimeoutMs = 10 * 60 * 1000;
constexpr int kStartTimeoutMs = 60 * 1000;
constexpr int kPollMs = 100;
constexpr int kStopGraceMs = 5000;
const QString kMemberName = QStringLiteral("verify");

/// What reading the file found, off the GUI thread.
struct FileFacts {
    SnapshotDigest digest;
    Result<SnapshotStatus> status = Error();
    std::optional<BackupManifest> manifest;
};

/// A throw-away process must not outlive the console, even when the console is killed.
void dieWithParent(QProcess &process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

/// The last line a process wrote that says something.
QString lastLine(const QByteArray &output)
{
    const QList<QByteArray> lines = output.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last()).trimmed();
}

bool needsCredentials(const EtcdError &e)
{
    return e.code == EtcdError::Unauthenticated || e.code == EtcdError::PermissionDenied
        || e.message.contains(QLatin1String("user name is empty"));
}

QString lastLogLine(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    f.seek(qMax<qint64>(0, f.size() - 4096));
    return lastLine(f.readAll());
}

} // namespace

QJsonObject VerifyReport::toJson() const
{
    QJsonObject o = verification.toJson();
    o.insert(QStringLiteral("file"), file);
    o.insert(QStringLiteral("size"), digest.size);
    o.insert(QStringLiteral("sha256"), QString::fromLatin1(digest.sha256));
    o.insert(QStringLiteral("trailingHash"),
        digest.hasTrailingHash ? (digest.trailingHashMatches ? QStringLiteral("matches") : QStringLiteral("mismatch"))
                               : QStringLiteral("absent"));
    o.insert(QStringLiteral("manifest"), hadManifest);
    o.insert(QStringLiteral("snapshotStatus"), status.toJson());
    o.insert(QStringLiteral("checks"), QJsonArray::fromStringList(checks));
    return o;
}

struct BackupVerifier::State {
    QString file;
    QString etcd;
    QString tool;
    Done done;
    VerifyReport report;
    std::optional<BackupManifest> manifest;
    std::unique_ptr<QTemporaryDir> scratch;
    QString peerUrl;
    QString endpoint;
    std::unique_ptr<QProcess> restore;
    std::unique_ptr<QProcess> member;
    std::unique_ptr<EtcdClient> client;
    QString skipped; ///< why the restore test did not run
    QString user; ///< for a backup with authentication on
    QString password;
};

BackupVerifier::BackupVerifier(QObject *parent)
    : QObject(parent)
{
}

QString BackupVerifier::restoreTool(const QString &etcd)
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

BackupVerifier::~BackupVerifier()
{
    if (m_state && m_state->member)
        m_state->member->kill();
}

void BackupVerifier::verify(const QString &file, const QString &etcd, Done done)
{
    verify(file, etcd, {}, {}, std::move(done));
}

void BackupVerifier::verify(
    const QString &file, const QString &etcd, const QString &user, const QString &password, Done done)
{
    auto state = std::make_shared<State>();
    state->user = user;
    state->password = password;
    state->file = QFileInfo(file).absoluteFilePath();
    state->report.file = state->file;
    state->done = std::move(done);
    // etcd on PATH only: a machine whose PATH has none is told that the restore was skipped.
    const Result<QString> binary = etcd.isEmpty() && QStandardPaths::findExecutable(QStringLiteral("etcd")).isEmpty()
        ? Result<QString>(Error::notFound(QString()))
        : MemberProcesses::locateEtcd(etcd);
    if (binary) {
        state->etcd = binary.value();
        state->tool = BackupVerifier::restoreTool(state->etcd);
        if (state->tool.isEmpty())
            state->skipped = QStringLiteral("neither etcdutl nor etcdctl is installed");
    } else if (!etcd.isEmpty()) {
        state->done(binary.error());
        return;
    } else {
        state->skipped = QStringLiteral("no etcd binary is at hand");
    }
    m_state = state;

    StepChain<State> chain;
    chain.add(QStringLiteral("check the file's hashes"), [this](State &s, auto next) {
        const QString path = s.file;
        OffThread::run(
            this,
            [path]() -> Result<FileFacts> {
                FileFacts facts;
                Result<SnapshotDigest> digest = SnapshotFile::digest(path);
                if (!digest)
                    return digest.error();
                facts.digest = digest.value();
                facts.status = SnapshotFile::status(path);
                const QString manifestPath = BackupManifest::manifestPathFor(path);
                if (QFile::exists(manifestPath)) {
                    Result<BackupManifest> m = BackupManifest::load(manifestPath);
                    if (!m)
                        return m.error();
                    facts.manifest = m.value();
                }
                return facts;
            },
            [&s, next](Result<FileFacts> facts) {
                if (!facts) {
                    next(facts.error());
                    return;
                }
                VerifyReport &r = s.report;
                r.digest = facts->digest;
                s.manifest = facts->manifest;
                r.hadManifest = s.manifest.has_value();
                if (r.digest.hasTrailingHash && !r.digest.trailingHashMatches) {
                    next(Error::invalid(SnapshotFile::hashMismatch()));
                    return;
                }
                if (r.digest.hasTrailingHash)
                    r.checks << QStringLiteral("etcd's trailing SHA-256 matches");
                if (s.manifest && s.manifest->sha256 != QString::fromLatin1(r.digest.sha256)) {
                    next(Error::invalid(SnapshotFile::hashMismatch())
                             .causedBy(Error::invalid(QStringLiteral("its SHA-256 differs from its manifest's"))));
                    return;
                }
                if (s.manifest)
                    r.checks << QStringLiteral("its SHA-256 matches the manifest's");
                if (!facts->status && SnapshotFile::isForeign(facts->status.error())) {
                    next(facts->status.error());
                    return;
                }
                if (!facts->status) {
                    // Without the trailing hash a cut-off file shows only here.
                    next(Error::invalid(SnapshotFile::hashMismatch()).causedBy(facts->status.error()));
                    return;
                }
                r.status = facts->status.value();
                if (!r.digest.hasTrailingHash)
                    r.checks << QStringLiteral("it has no trailing SHA-256 (a database copied from a data "
                                               "directory?), so the restore skips etcd's hash check");
                r.checks << QStringLiteral("the database reads: revision %1, %2 entries")
                                .arg(r.status.revision)
                                .arg(r.status.totalKey);
                if (s.manifest && s.manifest->revision != r.status.revision) {
                    next(Error::invalid(QStringLiteral("the file holds revision %1, its manifest says %2")
                                            .arg(r.status.revision)
                                            .arg(s.manifest->revision)));
                    return;
                }
                next({});
            });
    });
    chain.when(
        state->skipped.isEmpty(), QStringLiteral("restore it into a throw-away member"), [this](State &s, auto next) {
            s.scratch
                = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("quorumdeck-verify-XXXXXX")));
            if (!s.scratch->isValid()) {
                next(Error::io(QStringLiteral("cannot create a scratch directory: %1").arg(s.scratch->errorString())));
                return;
            }
            const Result<QList<quint16>> ports = PortAllocator::freePorts(2);
            if (!ports) {
                next(ports.error());
                return;
            }
            s.endpoint = MemberProcesses::loopbackUrl(ports->at(0), false);
            s.peerUrl = MemberProcesses::loopbackUrl(ports->at(1), false);
            QStringList args {QStringLiteral("snapshot"), QStringLiteral("restore"), s.file, QStringLiteral("--name"),
                kMemberName, QStringLiteral("--data-dir"), s.scratch->filePath(QStringLiteral("data")),
                QStringLiteral("--initial-cluster"), kMemberName + QLatin1Char('=') + s.peerUrl,
                QStringLiteral("--initial-advertise-peer-urls"), s.peerUrl, QStringLiteral("--initial-cluster-token"),
                QStringLiteral("quorumdeck-verify-%1")
                    .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'))};
            if (!s.report.digest.hasTrailingHash)
                args << QStringLiteral("--skip-hash-check");
            s.restore = std::make_unique<QProcess>();
            QProcess *p = s.restore.get();
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("ETCDCTL_API"), QStringLiteral("3"));
            p->setProcessEnvironment(env);
            p->setProcessChannelMode(QProcess::MergedChannels);
            dieWithParent(*p);
            auto once = std::make_shared<bool>(false);
            auto answer = [once, next](Result<void> r) {
                if (!std::exchange(*once, true))
                    next(r);
            };
            const QString tool = QFileInfo(s.tool).fileName();
            QTimer::singleShot(kRestoreTimeoutMs, p, [p, answer, tool] {
                p->kill();
                answer(Error::timeout(QStringLiteral("%1 snapshot restore did not finish within %2 minutes")
                                          .arg(tool)
                                          .arg(kRestoreTimeoutMs / 60000)));
            });
            connect(p, &QProcess::errorOccurred, this, [p, answer, tool](QProcess::ProcessError e) {
                if (e == QProcess::FailedToStart)
                    answer(Error::notFound(QStringLiteral("cannot run %1: %2").arg(tool, p->errorString())));
            });
            connect(p, &QProcess::finished, this, [p, answer, tool](int code, QProcess::ExitStatus status) {
                if (status == QProcess::NormalExit && code == 0) {
                    answer({});
                    return;
                }
                answer(Error::invalid(
                    QStringLiteral("%1 snapshot restore refused the file: %2").arg(tool, lastLine(p->readAll()))));
            });
            p->start(s.tool, args);
        });
    chain.when(state->skipped.isEmpty(), QStringLiteral("start the throw-away member"), [this](State &s, auto next) {
        const QString log = s.scratch->filePath(QStringLiteral("etcd.log"));
        s.member = std::make_unique<QProcess>();
        QProcess *p = s.member.get();
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->setStandardOutputFile(log);
        dieWithParent(*p);
        p->start(s.etcd,
            {QStringLiteral("--name"), kMemberName, QStringLiteral("--data-dir"),
                s.scratch->filePath(QStringLiteral("data")), QStringLiteral("--listen-client-urls"), s.endpoint,
                QStringLiteral("--advertise-client-urls"), s.endpoint, QStringLiteral("--listen-peer-urls"), s.peerUrl,
                QStringLiteral("--initial-advertise-peer-urls"), s.peerUrl, QStringLiteral("--initial-cluster"),
                kMemberName + QLatin1Char('=') + s.peerUrl});
        ConnectionSettings settings;
        settings.endpoints = {s.endpoint};
        s.client = std::make_unique<EtcdClient>(settings);
        const qint64 giveUpAt = QDateTime::currentMSecsSinceEpoch() + kStartTimeoutMs;
        auto poll = std::make_shared<std::function<void()>>();
        *poll = [this, &s, p, log, giveUpAt, next, weak = std::weak_ptr(poll)] {
            // Whoever calls the poll holds it; each status answer holds it for the next call.
            std::shared_ptr<std::function<void()>> self = weak.lock();
            if (m_stop.requested()) {
                next(Error::stopped(QStringLiteral("stopped while the throw-away member started, as asked")));
                return;
            }
            if (p->state() == QProcess::NotRunning) {
                next(Error::invalid(QStringLiteral("the restored member exited: %1").arg(lastLogLine(log))));
                return;
            }
            s.client->status(s.endpoint, this, [this, giveUpAt, next, self](const EtcdResult<StatusInfo> &st) {
                if (st.ok() && st->leader != 0) {
                    next({});
                    return;
                }
                if (QDateTime::currentMSecsSinceEpoch() > giveUpAt) {
                    next(Error::timeout(QStringLiteral("the restored member did not elect itself within %1 s")
                                            .arg(kStartTimeoutMs / 1000)));
                    return;
                }
                QTimer::singleShot(kPollMs, this, [self] { (*self)(); });
            });
        };
        QTimer::singleShot(kPollMs, this, [poll] { (*poll)(); });
    });
    chain.when(state->skipped.isEmpty(), QStringLiteral("read its revision"), [this](State &s, auto next) {
        // Status needs no token, so the revision is read even when the backup has
        // authentication on.
        s.client->status(s.endpoint, this, [&s, next](const EtcdResult<StatusInfo> &st) {
            if (!st.ok()) {
                next(Error::unavailable(st.error.sentence));
                return;
            }
            const qint64 expected = restoredRevision(s.report.status);
            if (st->header.revision != expected) {
                next(Error::invalid(QStringLiteral("the restored member is at revision %1, not %2 as the file")
                                        .arg(st->header.revision)
                                        .arg(expected)));
                return;
            }
            s.report.verification.revision = st->header.revision;
            next({});
        });
    });
    chain.when(state->skipped.isEmpty(), QStringLiteral("count its keys and hash them"),
        [this](State &s, auto next) { countAndHash(s, next, false); });
    chain.run(
        state, [this](const StepStart &step) { emit stepStarted(step); },
        [this, state](Result<void> result, State &) { finish(state, result); }, m_stop);
}

// A backup of a cluster with authentication on restores with it on: keys and HashKV then
// need the root user's credentials (--user), and without them are left out, said so.
void BackupVerifier::countAndHash(State &s, std::function<void(Result<void>)> next, bool withCredentials)
{
    if (withCredentials) {
        ConnectionSettings settings;
        settings.endpoints = {s.endpoint};
        settings.user = s.user;
        settings.password = s.password;
        s.client = std::make_unique<EtcdClient>(settings);
    }
    const qint64 revision = s.report.verification.revision;
    const QString restored = QStringLiteral("restored into a throw-away etcd at revision %1").arg(revision);
    auto outOfReach = [&s, next, restored, withCredentials](const EtcdError &e) {
        s.report.checks << restored
                + (withCredentials ? QStringLiteral(" (keys and HashKV not read: %1)").arg(e.sentence)
                                   : QStringLiteral(" (keys and HashKV not read: the backup has authentication on; "
                                                    "give --user to read them)"));
        next({});
    };
    s.client->count(s.endpoint, QByteArray(1, '\0'), QByteArray(1, '\0'), 0, this,
        [this, &s, next, revision, restored, outOfReach, withCredentials](const EtcdResult<RangeInfo> &keys) {
            if (!keys.ok() && needsCredentials(keys.error)) {
                if (!withCredentials && !s.user.isEmpty())
                    countAndHash(s, next, true);
                else
                    outOfReach(keys.error);
                return;
            }
            if (!keys.ok()) {
                next(Error::unavailable(keys.error.sentence));
                return;
            }
            s.report.verification.keys = keys->count;
            s.client->hashKV(
                s.endpoint, revision, this, [&s, next, revision, restored](const EtcdResult<HashKVInfo> &h) {
                    BackupVerification &v = s.report.verification;
                    const QString counted = restored + QStringLiteral(", %1 keys").arg(*v.keys);
                    if (!h.ok()) {
                        // A backup taken right after compacting holds nothing above its compact
                        // revision, which etcd refuses to hash.
                        s.report.checks << counted + QStringLiteral(" (HashKV not read: %1)").arg(h.error.sentence);
                        next({});
                        return;
                    }
                    v.hashKV = h->hash;
                    const std::optional<BackupManifest> &m = s.manifest;
                    const bool comparable = m && m->hashKV && m->hashKVCompactRevision == h->compactRevision;
                    if (comparable && *m->hashKV != h->hash) {
                        next(Error::invalid(QStringLiteral("the restored data differ from the cluster's: HashKV %1 at "
                                                           "revision %2, the cluster had %3")
                                                .arg(h->hash)
                                                .arg(revision)
                                                .arg(*m->hashKV)));
                        return;
                    }
                    s.report.checks << counted
                            + QStringLiteral(", HashKV %1%2")
                                  .arg(h->hash)
                                  .arg(comparable ? QStringLiteral(", as the cluster had") : QString());
                    next({});
                });
        });
}

void BackupVerifier::finish(const std::shared_ptr<State> &state, Result<void> result)
{
    VerifyReport &r = state->report;
    BackupVerification &v = r.verification;
    v.time = QDateTime::currentDateTimeUtc();
    if (!result && result.error().kind() != Error::Kind::Invalid) {
        v.state = BackupVerification::State::None;
    } else if (!result) {
        v.state = BackupVerification::State::Failed;
        v.sentence = result.error().describe();
    } else if (!state->skipped.isEmpty()) {
        v.state = BackupVerification::State::HashChecked;
        v.sentence = QStringLiteral("hash checked; the restore test was skipped: %1").arg(state->skipped);
    } else {
        v.state = BackupVerification::State::Verified;
        v.sentence = QStringLiteral("verified: %1").arg(r.checks.last());
    }
    // Stop the member, then remove its directory and record the outcome off this thread.
    auto cleanUp = [this, state, result] {
        state->client.reset();
        std::unique_ptr<QTemporaryDir> scratch = std::move(state->scratch);
        std::optional<BackupManifest> manifest = state->manifest;
        const BackupVerification v = state->report.verification;
        const bool record = manifest && v.state != BackupVerification::State::None;
        const QString manifestPath = BackupManifest::manifestPathFor(state->file);
        OffThread::run(
            this,
            [scratch = std::shared_ptr<QTemporaryDir>(std::move(scratch)), manifest, v, record,
                manifestPath]() mutable -> Result<void> {
                scratch.reset();
                if (!record)
                    return {};
                manifest->verification = v;
                return manifest->save(manifestPath);
            },
            [this, state, result](Result<void> recorded) {
                if (m_state == state)
                    m_state.reset();
                if (!result && result.error().kind() != Error::Kind::Invalid)
                    state->done(result.error());
                else if (!recorded)
                    state->done(recorded.error().context(QStringLiteral("the result could not be recorded")));
                else
                    state->done(state->report);
            });
    };
    QProcess *member = state->member.get();
    if (!member || member->state() == QProcess::NotRunning) {
        cleanUp();
        return;
    }
    connect(member, &QProcess::finished, this, cleanUp);
    QTimer::singleShot(kStopGraceMs, member, [member] { member->kill(); });
    member->terminate();
}

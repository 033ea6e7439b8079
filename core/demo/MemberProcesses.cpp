#include "demo/MemberProcesses.h"

#include "demo/BatchSchedulingScope.h"
#include "demo/DetachedProcess.h"
#include "demo/ProcessControl.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QThreadPool>
#include <QTimer>
#include <csignal>
#include <memory>

namespace MemberProcesses {

namespace {

constexpr int kStopGraceMs = 3000;
constexpr int kKillWaitMs = 3000;
constexpr int kPollMs = 50;

} // namespace

QString loopbackUrl(quint16 port, bool tls)
{
    return QStringLiteral("%1://127.0.0.1:%2").arg(tls ? "https" : "http").arg(port);
}

Result<QString> locateEtcd(const QString &given)
{
    if (!given.isEmpty()) {
        const QFileInfo info(given);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
        return Error::invalid(QStringLiteral("--etcd %1: no executable file there").arg(given));
    }
    QString found = QStandardPaths::findExecutable(QStringLiteral("etcd"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            QStringLiteral("etcd"), {QStringLiteral("/usr/bin"), QStringLiteral("/usr/local/bin")});
    if (found.isEmpty())
        return Error::notFound(
            QStringLiteral("etcd is not installed: run installer/install-deps.sh (or apt-get install etcd-server), "
                           "or give --etcd PATH"));
    return found;
}

QString locateHaproxy()
{
    QString found = QStandardPaths::findExecutable(QStringLiteral("haproxy"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            QStringLiteral("haproxy"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    return found;
}

QStringList arguments(
    const ClusterManifest &manifest, const LocalMember &member, const QString &initialCluster, bool newCluster)
{
    QStringList args {
        QStringLiteral("--name"),
        member.name,
        QStringLiteral("--data-dir"),
        member.dataDir,
        QStringLiteral("--listen-client-urls"),
        member.clientUrl,
        QStringLiteral("--advertise-client-urls"),
        member.clientUrl,
        QStringLiteral("--listen-peer-urls"),
        member.listenPeerUrl,
        QStringLiteral("--initial-advertise-peer-urls"),
        member.peerUrl,
        QStringLiteral("--initial-cluster"),
        initialCluster,
        QStringLiteral("--initial-cluster-state"),
        newCluster ? QStringLiteral("new") : QStringLiteral("existing"),
        QStringLiteral("--initial-cluster-token"),
        manifest.token,
        // Structured logs on stderr, one JSON object a line: the log viewer reads them.
        QStringLiteral("--logger"),
        QStringLiteral("zap"),
        QStringLiteral("--log-outputs"),
        QStringLiteral("stderr"),
    };
    if (manifest.quotaBytes > 0)
        args << QStringLiteral("--quota-backend-bytes") << QString::number(manifest.quotaBytes);
    if (manifest.authTokenTtlSeconds > 0)
        args << QStringLiteral("--auth-token-ttl") << QString::number(manifest.authTokenTtlSeconds);
    if (const LocalTls &tls = manifest.tls; tls.enabled()) {
        // Clients and peers alike must present a certificate from the cluster's CA.
        args << QStringLiteral("--cert-file") << tls.serverCertFile << QStringLiteral("--key-file") << tls.serverKeyFile
             << QStringLiteral("--trusted-ca-file") << tls.caFile << QStringLiteral("--client-cert-auth")
             << QStringLiteral("--peer-cert-file") << tls.peerCertFile << QStringLiteral("--peer-key-file")
             << tls.peerKeyFile << QStringLiteral("--peer-trusted-ca-file") << tls.caFile
             << QStringLiteral("--peer-client-cert-auth");
    }
    return args;
}

void writePidFile(const QString &dir, const LocalMember &member)
{
    QFile pidFile(QDir(dir).filePath(member.name + QStringLiteral(".pid")));
    if (pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        pidFile.write(QByteArray::number(member.pid) + '\n');
}

Result<void> start(const ClusterManifest &manifest, LocalMember &member, const QString &initialCluster, bool newCluster,
    const QStringList &extraArguments)
{
    DetachedProcess process;
    process.program = manifest.etcdPath;
    process.arguments = arguments(manifest, member, initialCluster, newCluster) + extraArguments;
    process.workingDirectory = manifest.dir;
    // Up to seven members share one small machine: one Go scheduler thread each keeps
    // them from contending with each other (and with the console) for every core. That
    // thread also runs the garbage collector, and every answer queued behind a collection
    // waits for it: collecting at a fifth of Go's default rate took the p99 of a console
    // tick from 2.3-3.0 ms to 1.9-2.1 ms (docs/benchmarks.md), for some 25 MB more per
    // member under a console's polling. An operator's own GOMAXPROCS and GOGC win.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(QStringLiteral("GOMAXPROCS")))
        env.insert(QStringLiteral("GOMAXPROCS"), QStringLiteral("1"));
    if (!env.contains(QStringLiteral("GOGC")))
        env.insert(QStringLiteral("GOGC"), QStringLiteral("400"));
    process.environment = env.toStringList();
    process.outputFile = member.logFile;
    Result<qint64> started = Error::unavailable(QString());
    {
        // Members never preempt the console when they wake up (BatchSchedulingScope.h).
        // Measured on two cores shared with the console, a tick's p99 went from 1.99 to
        // 1.65 ms (medians): the console rarely waits for a member it has just woken
        // before sending the rest of the tick's requests.
        const BatchSchedulingScope batch;
        started = process.start();
    }
    if (!started)
        return Error::unavailable(QStringLiteral("%1: %2").arg(member.name, started.error().sentence()));
    const qint64 pid = started.value();
    member.pid = pid;
    writePidFile(manifest.dir, member);
    return {};
}

QList<qint64> alive(const QString &dir, QList<qint64> pids)
{
    // Anything recorded in the directory that is still an etcd serving a data directory in it.
    const QDir d(dir);
    const QString absolute = d.absolutePath();
    for (const QString &f : d.entryList({QStringLiteral("*.pid")}, QDir::Files)) {
        QFile file(d.filePath(f));
        if (file.open(QIODevice::ReadOnly))
            pids << file.readAll().trimmed().toLongLong();
    }
    // cluster.json is read once: its members, its load balancer and its peer proxies' helper.
    QList<qint64> recordedHelpers;
    if (const Result<ClusterManifest> recorded = ClusterManifest::read(dir)) {
        const ClusterManifest &old = recorded.value();
        for (const LocalMember &m : std::as_const(old.members))
            pids << m.pid;
        if (old.lb.running())
            pids << old.lb.pid;
        if (old.network.host == QLatin1String("helper")) {
            pids << old.network.pid;
            // A helper recorded here serves this cluster even when started by hand without --dir.
            recordedHelpers << old.network.pid;
        }
    }
    if (QFile f(d.filePath(QStringLiteral("network.pid"))); f.open(QIODevice::ReadOnly))
        recordedHelpers << f.readAll().trimmed().toLongLong();
    QList<qint64> alive;
    for (qint64 pid : std::as_const(pids)) {
        // Only our own: an etcd or the HAProxy whose command line names this directory.
        const bool ours = ProcessControl::commandLineContains(pid_t(pid), {QStringLiteral("etcd"), absolute})
            || ProcessControl::commandLineContains(pid_t(pid), {QStringLiteral("haproxy"), absolute})
            || ProcessControl::commandLineContains(pid_t(pid), {QStringLiteral("serve"), absolute})
            || (recordedHelpers.contains(pid)
                && ProcessControl::commandLineContains(pid_t(pid), {QStringLiteral("net"), QStringLiteral("serve")}));
        if (!alive.contains(pid) && ProcessControl::isAlive(pid_t(pid)) && ours)
            alive << pid;
    }
    return alive;
}

void stop(const QList<qint64> &pids, QObject *context, std::function<void()> done)
{
    for (qint64 pid : pids) {
        ProcessControl::sendSignal(pid_t(pid), SIGTERM);
        // A paused member must run again to act on SIGTERM.
        ProcessControl::sendSignal(pid_t(pid), SIGCONT);
    }
    auto *timer = new QTimer(context);
    auto clock = std::make_shared<QElapsedTimer>();
    auto killed = std::make_shared<bool>(false);
    clock->start();
    QObject::connect(timer, &QTimer::timeout, context, [=] {
        QList<qint64> remaining;
        for (qint64 pid : pids) {
            if (ProcessControl::isAlive(pid_t(pid)))
                remaining << pid;
        }
        if (!remaining.isEmpty() && clock->elapsed() >= kStopGraceMs && !*killed) {
            // A leader whose peers are gone may hold on for seconds trying to hand over.
            for (qint64 pid : std::as_const(remaining))
                ProcessControl::sendSignal(pid_t(pid), SIGKILL);
            *killed = true;
        }
        if (remaining.isEmpty() || clock->elapsed() >= kStopGraceMs + kKillWaitMs) {
            timer->stop();
            timer->deleteLater();
            done();
        }
    });
    timer->start(kPollMs);
}

void waitUntil(std::function<bool()> condition, int timeoutMs, QObject *context, std::function<void(bool)> done)
{
    if (condition()) {
        done(true);
        return;
    }
    auto *timer = new QTimer(context);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    QObject::connect(timer, &QTimer::timeout, context, [=] {
        const bool met = condition();
        if (met || clock->elapsed() >= timeoutMs) {
            timer->stop();
            timer->deleteLater();
            done(met);
        }
    });
    timer->start(5);
}

QString logTail(const LocalMember &member)
{
    QFile log(member.logFile);
    if (!log.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = log.size();
    log.seek(std::max<qint64>(0, size - 4096));
    return QString::fromUtf8(log.readAll());
}

QString diagnoseExit(const LocalMember &member)
{
    const QString tail = logTail(member);
    if (tail.contains(QLatin1String("address already in use")))
        return QStringLiteral("%1 exited: one of its ports (%2, %3) is already in use by another process; run demo up "
                              "again to pick other free ports")
            .arg(member.name, member.clientUrl, member.listenPeerUrl);
    const QString lastLine = tail.trimmed().section(QLatin1Char('\n'), -1);
    return QStringLiteral("%1 exited during start-up; its log %2 ends with: %3")
        .arg(member.name, member.logFile, lastLine);
}

/// Moves a data directory out of the way at once and deletes it on a pool thread: a
/// member's data may be gigabytes, and the caller may be the GUI thread.
void discardDirectory(const QString &path)
{
    if (!QFileInfo::exists(path))
        return;
    const QString trash
        = QStringLiteral("%1.trash-%2").arg(path).arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    const QString doomed = QDir().rename(path, trash) ? trash : path;
    QThreadPool::globalInstance()->start([doomed] { QDir(doomed).removeRecursively(); });
}

} // namespace MemberProcesses

#include "demo/DemoLoadBalancer.h"

#include "demo/DetachedProcess.h"
#include "demo/MemberProcesses.h"
#include "demo/PortAllocator.h"
#include "demo/ProcessControl.h"
#include "lb/HaproxySocket.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QUrl>
#include <csignal>

namespace {

/// HAProxy admin commands one after another; done(success, or the first failure).
void runInOrder(const QString &socket, QStringList commands, QObject *context, std::function<void(Result<void>)> done)
{
    if (commands.isEmpty()) {
        done({});
        return;
    }
    const QString command = commands.takeFirst();
    HaproxySocket::run(socket, command, 2000, context, [=](const Result<QByteArray> &answer) {
        const QString text = QString::fromUtf8(answer.valueOr({})).trimmed();
        // HAProxy answers these with nothing, a confirmation, or an error sentence.
        const bool fine = answer
            && (text.isEmpty() || text.startsWith(QLatin1String("New server registered"))
                || text.startsWith(QLatin1String("Server deleted")));
        if (!fine) {
            done(Error::refused(QStringLiteral("load balancer not updated (%1): %2")
                                    .arg(command, answer ? text : answer.error().describe())));
            return;
        }
        runInOrder(socket, commands, context, done);
    });
}

} // namespace

void DemoLoadBalancer::start(
    QObject *context, std::function<bool()> cancelled, std::function<void(Result<LocalLoadBalancer>)> done) const
{
    auto unavailable = [done](const QString &why) { done(Error::unavailable(why)); };
    const QString haproxy = MemberProcesses::locateHaproxy();
    if (haproxy.isEmpty()) {
        unavailable(QStringLiteral("haproxy is not installed; run installer/install-deps.sh (or apt-get install "
                                   "haproxy) and start the demo again"));
        return;
    }
    const Result<QList<quint16>> found = PortAllocator::freePorts(2);
    if (!found) {
        unavailable(found.error().describe());
        return;
    }
    const QList<quint16> &ports = found.value();
    HaproxyConfig config = withChecks({});
    config.frontendPort = ports.at(0);
    config.statsPort = ports.at(1);
    config.socketPath = QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.sock"));
    if (config.socketPath.toUtf8().size() >= 94) {
        // A Unix socket path has room for 107 bytes, and HAProxy binds "PATH.PID.tmp" first.
        unavailable(QStringLiteral("the cluster directory's path is too long for HAProxy's admin socket"));
        return;
    }
    for (const LocalMember &m : std::as_const(m_manifest.members))
        config.servers.append({m.name, QUrl(m.clientUrl).authority()});
    LocalLoadBalancer lb;
    lb.frontend = config.frontendAddress();
    lb.statsUrl = config.statsUrl();
    lb.socketPath = config.socketPath;
    lb.configFile = QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.cfg"));
    if (const Result<void> written = writeConfig(config); !written) {
        unavailable(written.error().describe());
        return;
    }
    QFile::remove(config.socketPath);
    if (cancelled()) {
        unavailable(QStringLiteral("cancelled before the load balancer started"));
        return;
    }
    DetachedProcess process;
    process.program = haproxy;
    // -db: stay in the foreground, so that the process started is HAProxy itself.
    process.arguments = {QStringLiteral("-f"), lb.configFile, QStringLiteral("-db")};
    process.workingDirectory = m_manifest.dir;
    const QString log = QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.log"));
    process.outputFile = log;
    process.truncate = true;
    const Result<qint64> started = process.start();
    if (!started) {
        unavailable(started.error().sentence());
        return;
    }
    const qint64 pid = started.value();
    lb.pid = pid;
    QFile pidFile(QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.pid")));
    if (pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        pidFile.write(QByteArray::number(pid) + '\n');
    // Ready once its admin socket exists; gone if it exits (a configuration it refused).
    const QString socket = config.socketPath;
    MemberProcesses::waitUntil([=] { return QFileInfo::exists(socket) || !ProcessControl::isAlive(pid_t(pid)); }, 5000,
        context,
        [=](bool) {
            if (!ProcessControl::isAlive(pid_t(pid)) || !QFileInfo::exists(socket)) {
                QFile f(log);
                const QString tail = f.open(QIODevice::ReadOnly)
                    ? QString::fromUtf8(f.readAll()).trimmed().split(QLatin1Char('\n')).last()
                    : QString();
                ProcessControl::sendSignal(pid_t(pid), SIGKILL);
                unavailable(QStringLiteral("haproxy did not start (%1): %2").arg(log, tail));
                return;
            }
            done(lb);
        });
}

void DemoLoadBalancer::enableServer(
    const QString &member, QObject *context, std::function<void(Result<void>)> done) const
{
    if (!m_manifest.lb.running()) {
        done({});
        return;
    }
    runInOrder(m_manifest.lb.socketPath,
        {QStringLiteral("set server %1/%2 state ready").arg(QLatin1String(HaproxyConfig::kBackend), member)}, context,
        done);
}

void DemoLoadBalancer::sync(
    const QString &member, bool joined, bool inRotation, QObject *context, std::function<void(Result<void>)> done) const
{
    if (!m_manifest.lb.running() || !ProcessControl::isAlive(pid_t(m_manifest.lb.pid))) {
        done({});
        return;
    }
    const Result<void> written = writeConfig(config());
    const QString backend = QLatin1String(HaproxyConfig::kBackend);
    QStringList commands;
    if (joined) {
        const LocalMember *m = m_manifest.member(member);
        const HaproxyConfig checks = withChecks({});
        // A server added at runtime starts in maintenance with its checks off.
        commands << QStringLiteral("add server %1/%2 %3 %4")
                        .arg(backend, member, QUrl(m ? m->clientUrl : QString()).authority(), checks.checkOptions(true))
                 << QStringLiteral("enable health %1/%2").arg(backend, member);
        if (inRotation)
            commands << QStringLiteral("enable server %1/%2").arg(backend, member);
    } else {
        // Only a server in maintenance may be deleted.
        commands << QStringLiteral("set server %1/%2 state maint").arg(backend, member)
                 << QStringLiteral("del server %1/%2").arg(backend, member);
    }
    runInOrder(m_manifest.lb.socketPath, commands, context,
        [=](const Result<void> &applied) { done(applied ? written : applied); });
}

HaproxyConfig DemoLoadBalancer::config() const
{
    HaproxyConfig config = withChecks({});
    config.frontendPort = quint16(QUrl(QStringLiteral("tcp://") + m_manifest.lb.frontend).port());
    config.statsPort = quint16(QUrl(m_manifest.lb.statsUrl).port());
    config.socketPath = m_manifest.lb.socketPath;
    for (const LocalMember &m : std::as_const(m_manifest.members))
        config.servers.append({m.name, QUrl(m.clientUrl).authority()});
    return config;
}

HaproxyConfig DemoLoadBalancer::withChecks(HaproxyConfig config) const
{
    if (m_manifest.tls.enabled()) {
        config.checkCaFile = m_manifest.tls.caFile;
        config.checkCertBundle = m_manifest.tls.checkBundleFile;
    }
    return config;
}

Result<void> DemoLoadBalancer::writeConfig(const HaproxyConfig &config) const
{
    const QString path = QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.cfg"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(config.text().toUtf8()) < 0 || !file.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

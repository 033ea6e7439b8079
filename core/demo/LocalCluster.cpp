#include "demo/LocalCluster.h"

#include "etcd/EtcdClient.h"
#include "lb/HaproxyConfig.h"
#include "lb/HaproxySocket.h"
#include "tls/CertificateAuthority.h"
#include "tls/HttpTls.h"

#include "demo/BatchSchedulingScope.h"
#include "demo/PeerProxyHost.h"
#include "demo/PortAllocator.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QUrl>
#include <csignal>
#include <unistd.h>

namespace {

constexpr int kStopGraceMs = 3000;
constexpr int kKillWaitMs = 3000;
constexpr int kPollMs = 50;
constexpr int kHealthPollMs = 200;

QString loopbackUrl(quint16 port, bool tls)
{
    return QStringLiteral("%1://127.0.0.1:%2").arg(tls ? "https" : "http").arg(port);
}

QString memberName(int index)
{
    return QStringLiteral("etcd%1").arg(index + 1);
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
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

/// DIR/network.sock, unless DIR is too deep for a Unix socket's 108-byte path; then a
/// name in the temporary directory that only this user and this directory produce.
QString networkSocketPath(const QString &dir)
{
    const QString inDir = QDir(dir).filePath(QStringLiteral("network.sock"));
    if (inDir.toLocal8Bit().size() < 100)
        return inDir;
    const QByteArray hash = QCryptographicHash::hash(dir.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return QDir(QDir::tempPath())
        .filePath(QStringLiteral("quorumdeck-%1-%2.sock").arg(getuid()).arg(QString::fromLatin1(hash)));
}

constexpr int kNetworkRequestMs = 2000;
constexpr int kNetworkStartMs = 5000;

} // namespace

LocalCluster::LocalCluster(QObject *parent)
    : QObject(parent)
    , m_http(new QNetworkAccessManager(this))
{
    // Health checks go straight to 127.0.0.1, whatever proxy the environment names.
    m_http->setProxy(QNetworkProxy::NoProxy);
}

LocalCluster::~LocalCluster()
{
    // Still hosting the proxies means the cluster was not stopped (the window connected
    // elsewhere): its members must keep reaching each other, so a helper takes over.
    const bool handOver = m_networkHost != nullptr;
    stopNetworkThread();
    if (m_networkThread)
        m_networkThread->wait(); // an event loop with nothing left to do: it ends at once
    if (handOver)
        handOverNetwork();
}

void LocalCluster::handOverNetwork()
{
    const QString program = m_helperProgram.isEmpty() ? QCoreApplication::applicationFilePath() : m_helperProgram;
    if (QFileInfo(program).fileName() != QLatin1String("quorumdeck"))
        return; // only the quorumdeck binary can run `demo net serve`
    bool anyAlive = false;
    for (const LocalMember &m : std::as_const(m_manifest.members))
        anyAlive = anyAlive || memberState(m.name) != ProcessControl::State::Gone;
    if (!anyAlive)
        return;
    LocalClusterOptions options;
    options.networkHost = LocalClusterOptions::NetworkHost::Helper;
    options.helperProgram = program;
    startHelper(options);
}

void LocalCluster::stopNetworkThread()
{
    if (!m_networkThread)
        return;
    // The host belongs to the thread; it is deleted there when the thread's loop ends.
    m_networkHost = nullptr;
    m_networkThread->quit();
}

QString LocalCluster::locateEtcd(const QString &given, QString *error)
{
    if (!given.isEmpty()) {
        const QFileInfo info(given);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
        *error = QStringLiteral("--etcd %1: no executable file there").arg(given);
        return {};
    }
    QString found = QStandardPaths::findExecutable(QStringLiteral("etcd"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            QStringLiteral("etcd"), {QStringLiteral("/usr/bin"), QStringLiteral("/usr/local/bin")});
    if (found.isEmpty())
        *error
            = QStringLiteral("etcd is not installed: run installer/install-deps.sh (or apt-get install etcd-server), "
                             "or give --etcd PATH");
    return found;
}

QString LocalCluster::locateHaproxy()
{
    QString found = QStandardPaths::findExecutable(QStringLiteral("haproxy"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            QStringLiteral("haproxy"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    return found;
}

std::optional<LocalCluster::MemberAction> LocalCluster::actionFromName(const QString &name)
{
    static const std::pair<const char *, MemberAction> names[]
        = {{"stop", MemberAction::Stop}, {"kill", MemberAction::Kill}, {"pause", MemberAction::Pause},
            {"resume", MemberAction::Resume}, {"restart", MemberAction::Restart}};
    for (const auto &[n, a] : names) {
        if (name == QLatin1String(n))
            return a;
    }
    return std::nullopt;
}

QString LocalCluster::attach(const QString &dir)
{
    ClusterManifest manifest;
    const QString error = ClusterManifest::load(dir, &manifest);
    if (error.isEmpty()) {
        m_manifest = manifest;
        updateHttpTls();
    }
    return error;
}

ProcessControl::State LocalCluster::memberState(const QString &name) const
{
    const LocalMember *m = m_manifest.member(name);
    if (!m || !ProcessControl::commandLineContains(pid_t(m->pid), {m->dataDir}))
        return ProcessControl::State::Gone;
    return ProcessControl::state(pid_t(m->pid));
}

QStringList LocalCluster::argumentsFor(const LocalMember &member, const QString &initialCluster, bool newCluster) const
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
        m_manifest.token,
        // Structured logs on stderr, one JSON object a line: the log viewer reads them.
        QStringLiteral("--logger"),
        QStringLiteral("zap"),
        QStringLiteral("--log-outputs"),
        QStringLiteral("stderr"),
    };
    if (m_manifest.quotaBytes > 0)
        args << QStringLiteral("--quota-backend-bytes") << QString::number(m_manifest.quotaBytes);
    if (m_manifest.authTokenTtlSeconds > 0)
        args << QStringLiteral("--auth-token-ttl") << QString::number(m_manifest.authTokenTtlSeconds);
    if (const LocalTls &tls = m_manifest.tls; tls.enabled()) {
        // Clients and peers alike must present a certificate from the cluster's CA.
        args << QStringLiteral("--cert-file") << tls.serverCertFile << QStringLiteral("--key-file") << tls.serverKeyFile
             << QStringLiteral("--trusted-ca-file") << tls.caFile << QStringLiteral("--client-cert-auth")
             << QStringLiteral("--peer-cert-file") << tls.peerCertFile << QStringLiteral("--peer-key-file")
             << tls.peerKeyFile << QStringLiteral("--peer-trusted-ca-file") << tls.caFile
             << QStringLiteral("--peer-client-cert-auth");
    }
    return args;
}

QString LocalCluster::makeCertificates(const QString &dir, LocalTls *out)
{
    const QString pki = QDir(dir).filePath(QStringLiteral("pki"));
    if (!QDir().mkpath(pki))
        return QStringLiteral("cannot create %1").arg(pki);
    QFile::setPermissions(pki, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    auto path = [&](const char *name) { return QDir(pki).filePath(QLatin1String(name)); };
    LocalTls tls;
    tls.caFile = path("ca.pem");
    tls.serverCertFile = path("server.pem");
    tls.serverKeyFile = path("server-key.pem");
    tls.peerCertFile = path("peer.pem");
    tls.peerKeyFile = path("peer-key.pem");
    tls.certFile = path("client.pem");
    tls.keyFile = path("client-key.pem");
    tls.checkBundleFile = path("lb-check.pem");

    CertificateAuthority ca;
    if (const QString e = ca.create(QStringLiteral("QuorumDeck demo CA"), tls.caFile, path("ca-key.pem")); !e.isEmpty())
        return e;
    CertificateRequest server;
    server.commonName = QStringLiteral("etcd demo member");
    server.dnsNames = {QStringLiteral("localhost")};
    server.ipAddresses = {QStringLiteral("127.0.0.1")};
    server.use = CertificateUse::Server;
    CertificateRequest peer = server;
    peer.use = CertificateUse::Peer;
    // The CN names the etcd user the certificate authenticates as, when auth is on.
    CertificateRequest client;
    client.commonName = QStringLiteral("root");
    client.use = CertificateUse::Client;
    for (const QString &e : {ca.issue(server, tls.serverCertFile, tls.serverKeyFile),
             ca.issue(peer, tls.peerCertFile, tls.peerKeyFile), ca.issue(client, tls.certFile, tls.keyFile)}) {
        if (!e.isEmpty())
            return e;
    }
    QFile cert(tls.certFile);
    QFile key(tls.keyFile);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read the client certificate just written in %1").arg(pki);
    if (const QString e = CertificateAuthority::writePrivateFile(tls.checkBundleFile, cert.readAll() + key.readAll());
        !e.isEmpty())
        return e;
    *out = tls;
    return {};
}

void LocalCluster::updateHttpTls()
{
    m_httpTls = QSslConfiguration::defaultConfiguration();
    if (m_manifest.tls.enabled()) {
        // The demo's own files; when they are gone the probes fail and say so.
        m_httpTls = HttpTls::configuration(m_manifest.connectionSettings().tls).valueOr(QSslConfiguration());
    }
}

HaproxyConfig LocalCluster::withChecks(HaproxyConfig config) const
{
    if (m_manifest.tls.enabled()) {
        config.checkCaFile = m_manifest.tls.caFile;
        config.checkCertBundle = m_manifest.tls.checkBundleFile;
    }
    return config;
}

void LocalCluster::enableAuth(std::function<void(const QString &password, const QString &error)> done)
{
    // 18 random bytes, base64url: 24 characters a person can copy, and nothing guessable.
    QByteArray bytes(18, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    bytes[16] = char(QRandomGenerator::system()->bounded(256));
    bytes[17] = char(QRandomGenerator::system()->bounded(256));
    const QString password = QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
    auto *client = new EtcdClient(m_manifest.connectionSettings(), this);
    const QString endpoint = m_manifest.endpoints().value(0);
    auto fail = [=](const QString &step, const EtcdError &e) {
        client->deleteLater();
        done({}, QStringLiteral("turning on authentication failed (%1): %2").arg(step, e.sentence));
    };
    client->userAdd(
        endpoint, QStringLiteral("root"), password, this, [=, this](const EtcdResult<ResponseHeaderInfo> &r) {
            if (!r.ok())
                return fail(QStringLiteral("adding root"), r.error);
            client->userGrantRole(endpoint, QStringLiteral("root"), QStringLiteral("root"), this,
                [=, this](const EtcdResult<ResponseHeaderInfo> &g) {
                    if (!g.ok())
                        return fail(QStringLiteral("granting root its role"), g.error);
                    client->authEnable(endpoint, this, [=, this](const EtcdResult<ResponseHeaderInfo> &e) {
                        if (!e.ok())
                            return fail(QStringLiteral("enabling"), e.error);
                        client->deleteLater();
                        m_manifest.authUser = QStringLiteral("root");
                        if (const QString error = m_manifest.save(); !error.isEmpty()) {
                            done({}, error);
                            return;
                        }
                        done(password, {});
                    });
                });
        });
}

void LocalCluster::writePidFile(const LocalMember &member) const
{
    QFile pidFile(QDir(m_manifest.dir).filePath(member.name + QStringLiteral(".pid")));
    if (pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        pidFile.write(QByteArray::number(member.pid) + '\n');
}

QString LocalCluster::startMember(LocalMember &member, const QString &initialCluster, bool newCluster)
{
    if (m_cancelled)
        return QStringLiteral("cancelled before %1 started").arg(member.name);
    QProcess process;
    process.setProgram(m_manifest.etcdPath);
    process.setArguments(argumentsFor(member, initialCluster, newCluster));
    process.setWorkingDirectory(m_manifest.dir);
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
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(member.logFile, QIODevice::Append);
    process.setStandardErrorFile(member.logFile, QIODevice::Append);
    qint64 pid = 0;
    bool started = false;
    {
        // Members never preempt the console when they wake up (BatchSchedulingScope.h).
        // Measured on two cores shared with the console, a tick's p99 went from 1.99 to
        // 1.65 ms (medians): the console rarely waits for a member it has just woken
        // before sending the rest of the tick's requests.
        const BatchSchedulingScope batch;
        started = process.startDetached(&pid);
    }
    if (!started)
        return QStringLiteral("cannot start %1 (%2): %3").arg(member.name, m_manifest.etcdPath, process.errorString());
    member.pid = pid;
    writePidFile(member);
    return {};
}

QList<qint64> LocalCluster::runningProcesses(const QString &dir)
{
    return alivePids(dir, {});
}

QList<qint64> LocalCluster::leftoverPids(const QString &dir) const
{
    // What this object started and has not written down yet (an up() cut short) counts too.
    QList<qint64> unrecorded;
    if (!m_manifest.dir.isEmpty() && QDir(m_manifest.dir).absolutePath() == QDir(dir).absolutePath()) {
        for (const LocalMember &m : std::as_const(m_manifest.members))
            unrecorded << m.pid;
        if (m_manifest.lb.running())
            unrecorded << m_manifest.lb.pid;
        if (m_manifest.network.host == QLatin1String("helper"))
            unrecorded << m_manifest.network.pid;
    }
    return alivePids(dir, unrecorded);
}

QList<qint64> LocalCluster::alivePids(const QString &dir, QList<qint64> pids)
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
    if (ClusterManifest old; ClusterManifest::load(dir, &old).isEmpty()) {
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

void LocalCluster::stopProcesses(const QList<qint64> &pids, std::function<void()> done)
{
    for (qint64 pid : pids) {
        ProcessControl::sendSignal(pid_t(pid), SIGTERM);
        // A paused member must run again to act on SIGTERM.
        ProcessControl::sendSignal(pid_t(pid), SIGCONT);
    }
    auto *timer = new QTimer(this);
    auto clock = std::make_shared<QElapsedTimer>();
    auto killed = std::make_shared<bool>(false);
    clock->start();
    connect(timer, &QTimer::timeout, this, [=] {
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

void LocalCluster::up(const LocalClusterOptions &options, OperationCallback done)
{
    if (options.members < 1 || options.members > kMaxMembers) {
        done(OperationResult::refused(QStringLiteral("--members must be between 1 and %1").arg(kMaxMembers)));
        return;
    }
    QString error;
    const QString etcd = locateEtcd(options.etcdPath, &error);
    if (etcd.isEmpty()) {
        done(OperationResult::failed(error));
        return;
    }
    const QString dir = QDir(options.dir).absolutePath();
    if (!QDir().mkpath(dir)) {
        done(OperationResult::failed(QStringLiteral("cannot create the cluster directory %1").arg(dir)));
        return;
    }

    const QList<qint64> leftovers = leftoverPids(dir);
    if (!leftovers.isEmpty())
        emit progress(QStringLiteral("stopping %1 leftover etcd process(es) in %2").arg(leftovers.size()).arg(dir));
    stopProcesses(leftovers, [=, this] {
        // Ports are chosen once the leftovers are gone: they may hold the very ports asked
        // for. Each member has a client port, the peer port it advertises (its proxy's) and
        // the peer port it really listens on, behind the proxy.
        QString portError;
        QList<quint16> ports = PortAllocator::freePorts(options.members * 3, &portError);
        if (ports.isEmpty()) {
            done(OperationResult::failed(portError));
            return;
        }
        if (options.basePort) {
            for (int i = 0; i < options.members * 2; ++i) {
                const int port = options.basePort + i;
                if (port > 65535 || !PortAllocator::isFree(quint16(port))) {
                    done(OperationResult::failed(
                        QStringLiteral("port %1 on 127.0.0.1 is already in use; choose another --base-port, "
                                       "or leave it out to use free ports")
                            .arg(port)));
                    return;
                }
                ports[i] = quint16(port);
            }
            // The listeners behind the proxies must stay clear of the range asked for.
            const int rangeEnd = options.basePort + options.members * 2;
            QList<quint16> spare = PortAllocator::freePorts(options.members * 3, &portError);
            spare.removeIf([&](quint16 p) { return p >= options.basePort && p < rangeEnd; });
            if (spare.size() < options.members) {
                done(
                    OperationResult::failed(portError.isEmpty() ? QStringLiteral("not enough free ports") : portError));
                return;
            }
            for (int i = 0; i < options.members; ++i)
                ports[options.members * 2 + i] = spare.at(i);
        }
        ClusterManifest manifest;
        manifest.dir = dir;
        manifest.etcdPath = etcd;
        manifest.quotaBytes = options.quotaBytes;
        manifest.authTokenTtlSeconds = options.authTokenTtlSeconds;
        manifest.token
            = QStringLiteral("quorumdeck-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        for (int i = 0; i < options.members; ++i) {
            LocalMember m;
            m.name = memberName(i);
            m.clientUrl = loopbackUrl(ports.at(2 * i), options.tls);
            m.peerUrl = loopbackUrl(ports.at(2 * i + 1), options.tls);
            m.listenPeerUrl
                = options.peerProxies ? loopbackUrl(ports.at(2 * options.members + i), options.tls) : m.peerUrl;
            m.dataDir = QDir(dir).filePath(m.name + QStringLiteral(".data"));
            m.logFile = QDir(dir).filePath(m.name + QStringLiteral(".log"));
            discardDirectory(m.dataDir);
            QFile::remove(m.logFile);
            manifest.members << m;
        }
        if (options.peerProxies)
            manifest.network.socketPath = networkSocketPath(dir);
        if (options.tls) {
            emit progress(QStringLiteral("making a certificate authority and certificates in %1/pki").arg(dir));
            if (const QString e = makeCertificates(dir, &manifest.tls); !e.isEmpty()) {
                done(OperationResult::failed(e));
                return;
            }
        }
        m_manifest = manifest;
        updateHttpTls();
        if (!options.peerProxies) {
            launchMembers(options, done);
            return;
        }
        emit progress(QStringLiteral("starting the peer proxies"));
        startNetwork(options, [=, this](const QString &networkError) {
            if (!networkError.isEmpty()) {
                done(OperationResult::failed(networkError));
                return;
            }
            launchMembers(options, done);
        });
    });
}

void LocalCluster::launchMembers(const LocalClusterOptions &options, OperationCallback done)
{
    const QString dir = m_manifest.dir;
    QStringList initialCluster;
    for (const LocalMember &m : std::as_const(m_manifest.members))
        initialCluster << m.initialClusterEntry();
    emit progress(QStringLiteral("starting %1 etcd member(s) in %2").arg(options.members).arg(dir));
    QStringList names;
    for (LocalMember &m : m_manifest.members) {
        if (const QString e = startMember(m, initialCluster.join(QLatin1Char(',')), true); !e.isEmpty()) {
            done(OperationResult::failed(e));
            return;
        }
        names << m.name;
    }
    if (const QString e = m_manifest.save(); !e.isEmpty()) {
        done(OperationResult::failed(e));
        return;
    }
    emit changed();
    emit progress(QStringLiteral("waiting for a leader and for every member to answer /health"));
    waitForHealth(names, now() + options.readyTimeoutMs, true, [=, this](const OperationResult &r) {
        if (!r.ok()) {
            done(r);
            return;
        }
        auto withAuth = [=, this](std::function<void(const QString &)> next) {
            if (!options.auth) {
                next({});
                return;
            }
            emit progress(QStringLiteral("turning on authentication with a root user"));
            enableAuth([=, this](const QString &password, const QString &error) {
                if (!error.isEmpty()) {
                    done(OperationResult::failed(error));
                    return;
                }
                next(password);
            });
        };
        withAuth([=, this](const QString &rootPassword) {
            auto maybeStartLoadBalancer = [=, this](std::function<void(const QString &)> next) {
                if (options.loadBalancer)
                    return startLoadBalancer(next);
                recordNoLoadBalancer(QStringLiteral("not asked for"));
                next(m_manifest.lb.unavailable);
            };
            maybeStartLoadBalancer([=, this](const QString &whyNot) {
                QJsonObject details {{QStringLiteral("dir"), dir},
                    {QStringLiteral("endpoints"), m_manifest.endpoints().join(QLatin1Char(','))},
                    {QStringLiteral("lb"), m_manifest.lb.toJson()}};
                if (!rootPassword.isEmpty())
                    details.insert(QStringLiteral("rootPassword"), rootPassword);
                QString sentence = QStringLiteral("demo cluster of %1 member(s) is ready: %2")
                                       .arg(options.members)
                                       .arg(m_manifest.endpoints().join(QLatin1Char(',')));
                sentence += whyNot.isEmpty() ? QStringLiteral("; load balancer at %1 (stats %2)")
                                                   .arg(m_manifest.lb.frontend, m_manifest.lb.statsUrl)
                                             : QStringLiteral("; no load balancer: %1").arg(whyNot);
                done(OperationResult::done(sentence, details));
            });
        });
    });
}

void LocalCluster::startNetwork(const LocalClusterOptions &options, std::function<void(const QString &)> done)
{
    stopNetworkThread();
    if (options.networkHost == LocalClusterOptions::NetworkHost::Thread) {
        m_manifest.network.host = QStringLiteral("window");
        m_manifest.network.pid = QCoreApplication::applicationPid();
        if (const QString e = m_manifest.save(); !e.isEmpty())
            return done(e);
        // Peer traffic must flow while this thread is busy (a dialog, a long paint): the
        // proxies get a thread of their own.
        m_networkThread = new QThread(this);
        m_networkThread->setObjectName(QStringLiteral("peer proxies"));
        auto *host = new PeerProxyHost;
        host->moveToThread(m_networkThread);
        connect(m_networkThread, &QThread::finished, host, &QObject::deleteLater);
        connect(m_networkThread, &QThread::finished, m_networkThread, &QObject::deleteLater);
        connect(m_networkThread, &QObject::destroyed, this, [this, thread = m_networkThread] {
            if (m_networkThread == thread)
                m_networkThread = nullptr;
        });
        m_networkHost = host;
        m_networkThread->start();
        const ClusterManifest manifest = m_manifest;
        connect(
            host, &PeerProxyHost::started, this, [done](const QString &e) { done(e); }, Qt::SingleShotConnection);
        QMetaObject::invokeMethod(host, [host, manifest] { emit host->started(host->start(manifest)); });
        return;
    }
    // A helper process owns them, so that they outlive this command.
    if (const QString e = startHelper(options); !e.isEmpty())
        return done(e);
    waitForNetwork(now() + kNetworkStartMs, done);
}

QString LocalCluster::startHelper(const LocalClusterOptions &options)
{
    if (m_cancelled)
        return QStringLiteral("cancelled before the peer proxies started");
    m_manifest.network.host = QStringLiteral("helper");
    m_manifest.network.logFile = QDir(m_manifest.dir).filePath(QStringLiteral("network.log"));
    if (const QString e = m_manifest.save(); !e.isEmpty())
        return e;
    QProcess process;
    process.setProgram(options.helperProgram);
    process.setArguments({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("serve"),
        QStringLiteral("--dir"), m_manifest.dir});
    process.setWorkingDirectory(m_manifest.dir);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(m_manifest.network.logFile);
    // Appending: two descriptors that both truncate would write over each other.
    process.setStandardErrorFile(m_manifest.network.logFile, QIODevice::Append);
    qint64 pid = 0;
    if (options.helperProgram.isEmpty() || !process.startDetached(&pid))
        return QStringLiteral("cannot start the peer proxies (%1 demo net serve): %2")
            .arg(options.helperProgram, process.errorString());
    m_manifest.network.pid = pid;
    if (const QString e = m_manifest.save(); !e.isEmpty())
        return e;
    QFile pidFile(QDir(m_manifest.dir).filePath(QStringLiteral("network.pid")));
    if (pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        pidFile.write(QByteArray::number(pid) + '\n');
    return {};
}

void LocalCluster::waitForNetwork(qint64 giveUpAt, std::function<void(const QString &)> done)
{
    networkRequest(
        {{QStringLiteral("op"), QStringLiteral("status")}}, [=, this](const QJsonObject &, const QString &error) {
            if (error.isEmpty())
                return done({});
            const bool alive = ProcessControl::isAlive(pid_t(m_manifest.network.pid));
            if (alive && now() < giveUpAt) {
                QTimer::singleShot(kPollMs / 5, this, [=, this] { waitForNetwork(giveUpAt, done); });
                return;
            }
            QFile log(m_manifest.network.logFile);
            const QString said = log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()).trimmed() : QString();
            done(QStringLiteral("the peer proxies did not start: %1").arg(said.isEmpty() ? error : said));
        });
}

void LocalCluster::adoptNetwork(std::function<void(const QString &)> done)
{
    if (!m_manifest.network.enabled())
        return done({});
    networkRequest(
        {{QStringLiteral("op"), QStringLiteral("status")}}, [=, this](const QJsonObject &, const QString &error) {
            if (error.isEmpty())
                return done({}); // their host still serves them
            LocalClusterOptions options;
            options.networkHost = LocalClusterOptions::NetworkHost::Thread;
            startNetwork(options, done);
        });
}

void LocalCluster::networkRequest(const QJsonObject &request, NetworkControl::Reply done)
{
    if (!m_manifest.network.enabled()) {
        done({},
            QStringLiteral("the demo cluster in %1 was started without peer proxies; start it again with "
                           "quorumdeck demo up to use network faults")
                .arg(m_manifest.dir));
        return;
    }
    NetworkControl::request(m_manifest.network.socketPath, request, kNetworkRequestMs, this, std::move(done));
}

void LocalCluster::setNetworkFault(const QString &member, const NetworkFault &fault, OperationCallback done)
{
    const QJsonObject request {{QStringLiteral("op"), QStringLiteral("set")}, {QStringLiteral("member"), member},
        {QStringLiteral("fault"), fault.toJson()}};
    networkRequest(request, [=](const QJsonObject &answer, const QString &error) {
        if (!error.isEmpty())
            return done(OperationResult::refused(error));
        const QString sentence = fault.any() ? QStringLiteral("%1's peer links: %2").arg(member, fault.describe())
                                             : QStringLiteral("%1's peer links are healed").arg(member);
        done(OperationResult::done(sentence, answer));
    });
}

void LocalCluster::clearNetworkFaults(OperationCallback done)
{
    networkRequest(
        {{QStringLiteral("op"), QStringLiteral("clear")}}, [=](const QJsonObject &answer, const QString &error) {
            if (!error.isEmpty())
                return done(OperationResult::failed(error));
            done(OperationResult::done(QStringLiteral("every member's peer links are healed"), answer));
        });
}

namespace {

/// HAProxy admin commands one after another; done(the first failure, or empty).
void runInOrder(
    const QString &socket, QStringList commands, QObject *context, std::function<void(const QString &)> done)
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
            done(QStringLiteral("load balancer not updated (%1): %2")
                     .arg(command, answer ? text : answer.error().describe()));
            return;
        }
        runInOrder(socket, commands, context, done);
    });
}

} // namespace

HaproxyConfig LocalCluster::loadBalancerConfig() const
{
    HaproxyConfig config = withChecks({});
    config.frontendPort = quint16(QUrl(QStringLiteral("tcp://") + m_manifest.lb.frontend).port());
    config.statsPort = quint16(QUrl(m_manifest.lb.statsUrl).port());
    config.socketPath = m_manifest.lb.socketPath;
    for (const LocalMember &m : std::as_const(m_manifest.members))
        config.servers.append({m.name, QUrl(m.clientUrl).authority()});
    return config;
}

QString LocalCluster::writeLoadBalancerConfig(const HaproxyConfig &config) const
{
    const QString path = QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.cfg"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(config.text().toUtf8()) < 0 || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

void LocalCluster::enableLoadBalancerServer(const QString &member, std::function<void(const QString &)> done)
{
    if (!m_manifest.lb.running()) {
        done({});
        return;
    }
    runInOrder(m_manifest.lb.socketPath,
        {QStringLiteral("set server %1/%2 state ready").arg(QLatin1String(HaproxyConfig::kBackend), member)}, this,
        done);
}

void LocalCluster::syncLoadBalancer(
    const QString &member, bool joined, bool inRotation, std::function<void(const QString &)> done)
{
    if (!m_manifest.lb.running() || !ProcessControl::isAlive(pid_t(m_manifest.lb.pid))) {
        done({});
        return;
    }
    QString problem = writeLoadBalancerConfig(loadBalancerConfig());
    const QString backend = QLatin1String(HaproxyConfig::kBackend);
    QStringList commands;
    if (joined) {
        const LocalMember *m = m_manifest.member(member);
        const HaproxyConfig config = withChecks({});
        // A server added at runtime starts in maintenance with its checks off.
        commands << QStringLiteral("add server %1/%2 %3 %4")
                        .arg(backend, member, QUrl(m ? m->clientUrl : QString()).authority(), config.checkOptions(true))
                 << QStringLiteral("enable health %1/%2").arg(backend, member);
        if (inRotation)
            commands << QStringLiteral("enable server %1/%2").arg(backend, member);
    } else {
        // Only a server in maintenance may be deleted.
        commands << QStringLiteral("set server %1/%2 state maint").arg(backend, member)
                 << QStringLiteral("del server %1/%2").arg(backend, member);
    }
    runInOrder(m_manifest.lb.socketPath, commands, this,
        [=](const QString &error) { done(error.isEmpty() ? problem : error); });
}

void LocalCluster::recordNoLoadBalancer(const QString &why)
{
    m_manifest.lb = {};
    m_manifest.lb.unavailable = why;
    m_manifest.save();
    emit changed();
}

void LocalCluster::startLoadBalancer(std::function<void(const QString &whyNot)> done)
{
    auto unavailable = [=, this](const QString &why) {
        recordNoLoadBalancer(why);
        done(why);
    };
    const QString haproxy = locateHaproxy();
    if (haproxy.isEmpty()) {
        unavailable(QStringLiteral("haproxy is not installed; run installer/install-deps.sh (or apt-get install "
                                   "haproxy) and start the demo again"));
        return;
    }
    QString portError;
    const QList<quint16> ports = PortAllocator::freePorts(2, &portError);
    if (ports.size() < 2) {
        unavailable(portError);
        return;
    }
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
    if (const QString e = writeLoadBalancerConfig(config); !e.isEmpty()) {
        unavailable(e);
        return;
    }
    QFile::remove(config.socketPath);
    if (m_cancelled) {
        unavailable(QStringLiteral("cancelled before the load balancer started"));
        return;
    }
    QProcess process;
    process.setProgram(haproxy);
    // -db: stay in the foreground, so that the process started is HAProxy itself.
    process.setArguments({QStringLiteral("-f"), lb.configFile, QStringLiteral("-db")});
    process.setWorkingDirectory(m_manifest.dir);
    process.setStandardInputFile(QProcess::nullDevice());
    const QString log = QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.log"));
    process.setStandardOutputFile(log, QIODevice::Truncate);
    process.setStandardErrorFile(log, QIODevice::Append);
    qint64 pid = 0;
    if (!process.startDetached(&pid)) {
        unavailable(QStringLiteral("cannot start %1: %2").arg(haproxy, process.errorString()));
        return;
    }
    lb.pid = pid;
    QFile pidFile(QDir(m_manifest.dir).filePath(QStringLiteral("haproxy.pid")));
    if (pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        pidFile.write(QByteArray::number(pid) + '\n');
    // Ready once its admin socket exists; gone if it exits (a configuration it refused).
    const QString socket = config.socketPath;
    waitUntil([=] { return QFileInfo::exists(socket) || !ProcessControl::isAlive(pid_t(pid)); }, 5000,
        [=, this](bool) {
            if (!ProcessControl::isAlive(pid_t(pid)) || !QFileInfo::exists(socket)) {
                QFile f(log);
                const QString tail = f.open(QIODevice::ReadOnly)
                    ? QString::fromUtf8(f.readAll()).trimmed().split(QLatin1Char('\n')).last()
                    : QString();
                ProcessControl::sendSignal(pid_t(pid), SIGKILL);
                unavailable(QStringLiteral("haproxy did not start (%1): %2").arg(log, tail));
                return;
            }
            m_manifest.lb = lb;
            m_manifest.save();
            emit changed();
            done(QString());
        });
}

void LocalCluster::waitForHealth(const QStringList &names, qint64 giveUpAt, bool needLeader, OperationCallback done)
{
    for (const QString &name : names) {
        const LocalMember *m = m_manifest.member(name);
        if (!m) {
            done(OperationResult::failed(QStringLiteral("%1 was removed while it was starting").arg(name)));
            return;
        }
        if (!ProcessControl::isAlive(pid_t(m->pid))) {
            done(OperationResult::failed(diagnoseExit(*m)));
            return;
        }
    }
    auto pending = std::make_shared<int>(int(names.size()));
    auto healthy = std::make_shared<int>(0);
    for (const QString &name : names) {
        QNetworkRequest request(QUrl(m_manifest.member(name)->clientUrl + QStringLiteral("/health")));
        request.setTransferTimeout(1000);
        request.setSslConfiguration(m_httpTls);
        QNetworkReply *reply = m_http->get(request);
        connect(reply, &QNetworkReply::finished, this, [=, this] {
            reply->deleteLater();
            // A refused connection leaves the reply closed; there is nothing to read then.
            const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (needLeader ? body.contains("\"health\":\"true\"") : status > 0)
                ++*healthy;
            if (--*pending > 0)
                return;
            if (*healthy == names.size()) {
                done(OperationResult::done(QStringLiteral("healthy")));
            } else if (now() > giveUpAt) {
                done(OperationResult::failed(
                    QStringLiteral("the members did not become healthy in time; see the logs in %1")
                        .arg(m_manifest.dir)));
            } else {
                QTimer::singleShot(
                    kHealthPollMs, this, [=, this] { waitForHealth(names, giveUpAt, needLeader, done); });
            }
        });
    }
}

QString LocalCluster::logTail(const LocalMember &member) const
{
    QFile log(member.logFile);
    if (!log.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = log.size();
    log.seek(std::max<qint64>(0, size - 4096));
    return QString::fromUtf8(log.readAll());
}

QString LocalCluster::diagnoseExit(const LocalMember &member) const
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

void LocalCluster::waitUntil(std::function<bool()> condition, int timeoutMs, std::function<void(bool)> done)
{
    if (condition()) {
        done(true);
        return;
    }
    auto *timer = new QTimer(this);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    connect(timer, &QTimer::timeout, this, [=] {
        const bool met = condition();
        if (met || clock->elapsed() >= timeoutMs) {
            timer->stop();
            timer->deleteLater();
            done(met);
        }
    });
    timer->start(5);
}

void LocalCluster::down(OperationCallback done)
{
    QList<qint64> pids = leftoverPids(m_manifest.dir);
    if (m_manifest.dir.isEmpty())
        pids.clear();
    const int count = int(pids.size());
    stopProcesses(pids, [=, this] {
        const QList<qint64> still = leftoverPids(m_manifest.dir);
        if (!still.isEmpty()) {
            done(OperationResult::failed(QStringLiteral("%1 process(es) could not be stopped").arg(still.size())));
            return;
        }
        QDir d(m_manifest.dir);
        for (const QString &f : d.entryList({QStringLiteral("*.pid")}, QDir::Files))
            d.remove(f);
        if (!m_manifest.lb.socketPath.isEmpty())
            QFile::remove(m_manifest.lb.socketPath);
        stopNetworkThread();
        if (m_manifest.network.enabled())
            QFile::remove(m_manifest.network.socketPath);
        if (m_manifest.lb.running()) {
            m_manifest.lb.pid = 0; // stopped: nothing to read until the next demo up
            m_manifest.lb.unavailable = QStringLiteral("the demo cluster is stopped");
            m_manifest.save();
        }
        emit changed();
        done(OperationResult::done(QStringLiteral("stopped %1 process(es) (etcd, load balancer, peer proxies) in %2")
                                       .arg(count)
                                       .arg(m_manifest.dir)));
    });
}

void LocalCluster::memberAction(const QString &name, MemberAction action, OperationCallback done)
{
    LocalMember *m = m_manifest.member(name);
    if (!m) {
        QStringList names;
        for (const LocalMember &x : m_manifest.members)
            names << x.name;
        done(OperationResult::refused(QStringLiteral("no demo member named \"%1\"; the members are %2")
                                          .arg(name, names.join(QStringLiteral(", ")))));
        return;
    }
    const ProcessControl::State state = memberState(name);
    const bool alive = state != ProcessControl::State::Gone;
    const pid_t pid = pid_t(m->pid);
    switch (action) {
    case MemberAction::Kill:
        if (!alive)
            return done(OperationResult::refused(QStringLiteral("%1 is not running").arg(name)));
        ProcessControl::sendSignal(pid, SIGKILL);
        emit changed();
        return done(OperationResult::done(QStringLiteral("killed %1 (SIGKILL, pid %2)").arg(name).arg(pid)));
    case MemberAction::Pause:
        if (!alive)
            return done(OperationResult::refused(QStringLiteral("%1 is not running").arg(name)));
        ProcessControl::sendSignal(pid, SIGSTOP);
        // Done only once every thread has stopped: until then the member may still answer.
        waitUntil([pid] { return ProcessControl::allThreadsStopped(pid); }, 2000,
            [=, this](bool stopped) {
                emit changed();
                if (!stopped)
                    return done(OperationResult::failed(QStringLiteral("%1 did not stop within 2 s").arg(name)));
                done(OperationResult::done(QStringLiteral("paused %1 (SIGSTOP, pid %2)").arg(name).arg(pid)));
            });
        return;
    case MemberAction::Resume:
        if (!alive)
            return done(OperationResult::refused(QStringLiteral("%1 is not running").arg(name)));
        ProcessControl::sendSignal(pid, SIGCONT);
        emit changed();
        return done(OperationResult::done(QStringLiteral("resumed %1 (SIGCONT, pid %2)").arg(name).arg(pid)));
    case MemberAction::Stop:
        if (!alive)
            return done(OperationResult::refused(QStringLiteral("%1 is not running").arg(name)));
        stopProcesses({m->pid}, [=, this] {
            emit changed();
            done(OperationResult::done(QStringLiteral("stopped %1").arg(name)));
        });
        return;
    case MemberAction::Restart: {
        const QList<qint64> pids = alive ? QList<qint64> {m->pid} : QList<qint64> {};
        stopProcesses(pids, [=, this] {
            LocalMember *member = m_manifest.member(name);
            if (!member)
                return done(OperationResult::failed(QStringLiteral("%1 was removed meanwhile").arg(name)));
            QStringList initial;
            for (const LocalMember &x : m_manifest.members)
                initial << x.initialClusterEntry();
            // The data directory exists, so etcd restarts from its WAL and ignores the
            // initial-cluster flags.
            if (const QString e = startMember(*member, initial.join(QLatin1Char(',')), false); !e.isEmpty())
                return done(OperationResult::failed(e));
            m_manifest.save();
            emit changed();
            waitForHealth({name}, now() + 15000, false, [=, this](const OperationResult &r) {
                if (!r.ok())
                    return done(r);
                done(OperationResult::done(QStringLiteral("restarted %1").arg(name)));
            });
        });
        return;
    }
    }
}

bool LocalCluster::reserveUrls(QString *peerUrl, QString *clientUrl, QString *error) const
{
    const QList<quint16> ports = PortAllocator::freePorts(2, error);
    if (ports.size() != 2)
        return false;
    *clientUrl = loopbackUrl(ports.at(0), m_manifest.tls.enabled());
    *peerUrl = loopbackUrl(ports.at(1), m_manifest.tls.enabled());
    return true;
}

void LocalCluster::startJoiningMember(const QString &name, const QString &peerUrl, const QString &clientUrl,
    const QString &initialCluster, OperationCallback done, bool learner)
{
    if (m_manifest.member(name)) {
        done(OperationResult::refused(QStringLiteral("a demo member named %1 already exists").arg(name)));
        return;
    }
    const QUrl peer(peerUrl);
    if (peer.host() != QLatin1String("127.0.0.1") && peer.host() != QLatin1String("localhost")) {
        done(OperationResult::refused(
            QStringLiteral("demo members listen on 127.0.0.1 only; %1 is elsewhere").arg(peerUrl)));
        return;
    }
    LocalMember m;
    m.name = name;
    m.clientUrl = clientUrl;
    m.peerUrl = peerUrl;
    m.listenPeerUrl = peerUrl;
    m.dataDir = QDir(m_manifest.dir).filePath(name + QStringLiteral(".data"));
    m.logFile = QDir(m_manifest.dir).filePath(name + QStringLiteral(".log"));
    if (!m_manifest.network.enabled()) {
        launchJoiningMember(m, initialCluster, learner, done);
        return;
    }
    // Its peers reach it through a proxy on the advertised port, like everyone else's.
    QString error;
    const QList<quint16> listen = PortAllocator::freePorts(1, &error);
    if (listen.isEmpty()) {
        done(OperationResult::failed(error));
        return;
    }
    m.listenPeerUrl = loopbackUrl(listen.first(), m_manifest.tls.enabled());
    const QJsonObject route {{QStringLiteral("op"), QStringLiteral("add")}, {QStringLiteral("member"), name},
        {QStringLiteral("port"), peer.port()}, {QStringLiteral("target"), int(listen.first())}};
    networkRequest(route, [=, this](const QJsonObject &, const QString &e) {
        if (!e.isEmpty())
            return done(OperationResult::failed(QStringLiteral("no peer proxy for %1: %2").arg(name, e)));
        launchJoiningMember(m, initialCluster, learner, done);
    });
}

void LocalCluster::launchJoiningMember(
    LocalMember m, const QString &initialCluster, bool learner, OperationCallback done)
{
    const QString name = m.name;
    const QString clientUrl = m.clientUrl;
    discardDirectory(m.dataDir);
    if (const QString e = startMember(m, initialCluster, false); !e.isEmpty()) {
        if (m.proxied())
            networkRequest({{QStringLiteral("op"), QStringLiteral("remove")}, {QStringLiteral("member"), name}},
                [](const QJsonObject &, const QString &) {});
        done(OperationResult::failed(e));
        return;
    }
    m_manifest.members << m;
    m_manifest.save();
    emit changed();
    waitForHealth({name}, now() + 15000, false, [=, this](const OperationResult &r) {
        if (!r.ok())
            return done(r);
        syncLoadBalancer(name, true, !learner, [=](const QString &problem) {
            QString sentence = QStringLiteral("started %1 at %2; it joins the cluster").arg(name, clientUrl);
            if (!problem.isEmpty())
                sentence += QStringLiteral("; %1").arg(problem);
            done(OperationResult::done(sentence));
        });
    });
}

void LocalCluster::discardMember(const QString &name, OperationCallback done)
{
    const LocalMember *m = m_manifest.member(name);
    if (!m) {
        done(OperationResult::refused(QStringLiteral("no demo member named \"%1\"").arg(name)));
        return;
    }
    const QList<qint64> pids
        = memberState(name) != ProcessControl::State::Gone ? QList<qint64> {m->pid} : QList<qint64> {};
    stopProcesses(pids, [=, this] {
        const LocalMember *member = m_manifest.member(name);
        if (member) {
            discardDirectory(member->dataDir);
            QFile::remove(QDir(m_manifest.dir).filePath(name + QStringLiteral(".pid")));
            m_manifest.members.removeIf([&](const LocalMember &x) { return x.name == name; });
            m_manifest.save();
        }
        if (m_manifest.network.enabled())
            networkRequest({{QStringLiteral("op"), QStringLiteral("remove")}, {QStringLiteral("member"), name}},
                [](const QJsonObject &, const QString &) {});
        emit changed();
        syncLoadBalancer(name, false, false, [=](const QString &problem) {
            QString sentence = QStringLiteral("stopped %1 and deleted its data").arg(name);
            if (!problem.isEmpty())
                sentence += QStringLiteral("; %1").arg(problem);
            done(OperationResult::done(sentence));
        });
    });
}

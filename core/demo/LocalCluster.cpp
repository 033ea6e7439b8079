#include "demo/LocalCluster.h"

#include "common/Format.h"
#include "common/StepChain.h"
#include "demo/DemoAuth.h"
#include "demo/DemoLoadBalancer.h"
#include "demo/DemoPki.h"
#include "demo/MemberProcesses.h"
#include "demo/PortAllocator.h"
#include "tls/HttpTls.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>

namespace {

constexpr int kHealthPollMs = 200;

QString memberName(int index)
{
    return QStringLiteral("etcd%1").arg(index + 1);
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

/// What up() knows so far, step by step.
struct LocalCluster::UpState {
    LocalClusterOptions options;
    QString dir;
    QString etcd;
    /// Per member: its client port, the peer port it advertises (its proxy's) and the peer
    /// port it really listens on, behind the proxy.
    QList<quint16> ports;
    ClusterManifest manifest;
    QString rootPassword;
    QString noLoadBalancer; ///< why there is none, when there is none
};

/// What down() knows so far.
struct LocalCluster::DownState {
    QList<qint64> pids;
};

LocalCluster::LocalCluster(QObject *parent)
    : QObject(parent)
    , m_network(std::make_unique<DemoNetwork>(m_manifest))
    , m_http(new QNetworkAccessManager(this))
{
    // Health checks go straight to 127.0.0.1, whatever proxy the environment names.
    m_http->setProxy(QNetworkProxy::NoProxy);
}

LocalCluster::~LocalCluster()
{
    // Still hosting the proxies means the cluster was not stopped (the window connected
    // elsewhere): its members must keep reaching each other, so a helper takes over.
    // Only then are the member processes looked at: most objects never host the proxies.
    if (m_network->hosts())
        m_network->handOver(m_helperProgram, anyMemberRuns());
}

void LocalCluster::recordManifest()
{
    if (const Result<void> saved = m_manifest.save(); !saved)
        emit progress(QStringLiteral("warning: %1").arg(saved.error().describe()));
}

bool LocalCluster::anyMemberRuns() const
{
    for (const LocalMember &m : std::as_const(m_manifest.members)) {
        if (memberState(m.name) != ProcessControl::State::Gone)
            return true;
    }
    return false;
}

Result<QString> LocalCluster::locateEtcd(const QString &given)
{
    return MemberProcesses::locateEtcd(given);
}

QString LocalCluster::locateHaproxy()
{
    return MemberProcesses::locateHaproxy();
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

Result<void> LocalCluster::attach(const QString &dir)
{
    const Result<ClusterManifest> manifest = ClusterManifest::read(dir);
    if (!manifest)
        return manifest.error();
    m_manifest = manifest.value();
    updateHttpTls();
    return {};
}

ProcessControl::State LocalCluster::memberState(const QString &name) const
{
    const LocalMember *m = m_manifest.member(name);
    if (!m || !ProcessControl::commandLineContains(pid_t(m->pid), {m->dataDir}))
        return ProcessControl::State::Gone;
    return ProcessControl::state(pid_t(m->pid));
}

void LocalCluster::updateHttpTls()
{
    m_httpTls = QSslConfiguration::defaultConfiguration();
    if (m_manifest.tls.enabled()) {
        // The demo's own files; when they are gone the probes fail and say so.
        m_httpTls = HttpTls::configuration(m_manifest.connectionSettings().tls).valueOr(QSslConfiguration());
    }
}

QList<qint64> LocalCluster::runningProcesses(const QString &dir)
{
    return MemberProcesses::alive(dir, {});
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
    return MemberProcesses::alive(dir, unrecorded);
}

// --- up: the steps ------------------------------------------------------------------------

void LocalCluster::up(const LocalClusterOptions &options, OperationCallback done)
{
    using Chain = StepChain<UpState>;
    using Next = Chain::Next;
    // A request that cannot be right is refused before anything is touched.
    if (options.members < 1 || options.members > kMaxMembers) {
        done(OperationResult::refused(QStringLiteral("--members must be between 1 and %1").arg(kMaxMembers)));
        return;
    }
    auto state = std::make_shared<UpState>();
    state->options = options;
    Chain chain;

    chain.add(QStringLiteral("find etcd and the directory"), [](UpState &s, Next next) {
        const Result<QString> etcd = MemberProcesses::locateEtcd(s.options.etcdPath);
        if (!etcd)
            return next(etcd.error());
        s.etcd = etcd.value();
        s.dir = QDir(s.options.dir).absolutePath();
        if (!QDir().mkpath(s.dir))
            return next(Error::io(QStringLiteral("cannot create the cluster directory %1").arg(s.dir)));
        next({});
    });

    chain.add(QStringLiteral("stop leftover processes"), [this](UpState &s, Next next) {
        const QList<qint64> leftovers = leftoverPids(s.dir);
        if (!leftovers.isEmpty())
            emit progress(QStringLiteral("stopping %1 in %2")
                              .arg(Format::count(leftovers.size(), QStringLiteral("leftover etcd process"),
                                       QStringLiteral("leftover etcd processes")),
                                  s.dir));
        MemberProcesses::stop(leftovers, this, [next] { next({}); });
    });

    // Once the leftovers are gone: they may hold the very ports asked for.
    chain.add(QStringLiteral("choose ports"), [](UpState &s, Next next) {
        const int members = s.options.members;
        const Result<QList<quint16>> found = PortAllocator::freePorts(members * 3);
        if (!found)
            return next(found.error());
        s.ports = found.value();
        if (!s.options.basePort)
            return next({});
        for (int i = 0; i < members * 2; ++i) {
            const int port = s.options.basePort + i;
            if (port > 65535 || !PortAllocator::isFree(quint16(port)))
                return next(Error::unavailable(QStringLiteral("port %1 on 127.0.0.1 is already in use; choose another "
                                                              "--base-port, or leave it out to use free ports")
                                                   .arg(port)));
            s.ports[i] = quint16(port);
        }
        // The listeners behind the proxies must stay clear of the range asked for.
        const int rangeEnd = s.options.basePort + members * 2;
        const Result<QList<quint16>> more = PortAllocator::freePorts(members * 3);
        if (!more)
            return next(more.error());
        QList<quint16> spare = more.value();
        spare.removeIf([&](quint16 p) { return p >= s.options.basePort && p < rangeEnd; });
        if (spare.size() < members)
            return next(Error::unavailable(QStringLiteral("not enough free ports")));
        for (int i = 0; i < members; ++i)
            s.ports[members * 2 + i] = spare.at(i);
        next({});
    });

    chain.add(QStringLiteral("lay out the members"), [](UpState &s, Next next) {
        const LocalClusterOptions &o = s.options;
        ClusterManifest &manifest = s.manifest;
        manifest.dir = s.dir;
        manifest.etcdPath = s.etcd;
        manifest.quotaBytes = o.quotaBytes;
        manifest.authTokenTtlSeconds = o.authTokenTtlSeconds;
        manifest.token
            = QStringLiteral("quorumdeck-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
        for (int i = 0; i < o.members; ++i) {
            LocalMember m;
            m.name = memberName(i);
            m.clientUrl = MemberProcesses::loopbackUrl(s.ports.at(2 * i), o.tls);
            m.peerUrl = MemberProcesses::loopbackUrl(s.ports.at(2 * i + 1), o.tls);
            m.listenPeerUrl
                = o.peerProxies ? MemberProcesses::loopbackUrl(s.ports.at(2 * o.members + i), o.tls) : m.peerUrl;
            m.dataDir = QDir(s.dir).filePath(m.name + QStringLiteral(".data"));
            m.logFile = QDir(s.dir).filePath(m.name + QStringLiteral(".log"));
            MemberProcesses::discardDirectory(m.dataDir);
            QFile::remove(m.logFile);
            manifest.members << m;
        }
        if (o.peerProxies)
            manifest.network.socketPath = DemoNetwork::socketPath(s.dir);
        next({});
    });

    chain.when(options.tls, QStringLiteral("make certificates"), [this](UpState &s, Next next) {
        emit progress(QStringLiteral("making a certificate authority and certificates in %1/pki").arg(s.dir));
        const Result<LocalTls> tls = DemoPki::create(s.dir);
        if (!tls)
            return next(tls.error());
        s.manifest.tls = tls.value();
        next({});
    });

    chain.add(QStringLiteral("adopt the manifest"), [this](UpState &s, Next next) {
        m_manifest = s.manifest;
        updateHttpTls();
        next({});
    });

    chain.when(options.peerProxies, QStringLiteral("start the peer proxies"), [this](UpState &s, Next next) {
        emit progress(QStringLiteral("starting the peer proxies"));
        m_network->start(
            s.options.networkHost, s.options.helperProgram, [this] { return m_cancelled; }, next);
    });

    chain.add(QStringLiteral("start the members"), [this](UpState &s, Next next) {
        QStringList initialCluster;
        for (const LocalMember &m : std::as_const(m_manifest.members))
            initialCluster << m.initialClusterEntry();
        emit progress(
            QStringLiteral("starting %1 in %2")
                .arg(Format::count(s.options.members, QStringLiteral("etcd member"), QStringLiteral("etcd members")),
                    s.dir));
        for (LocalMember &m : m_manifest.members) {
            if (m_cancelled)
                return next(Error::refused(QStringLiteral("cancelled before %1 started").arg(m.name)));
            if (const Result<void> started
                = MemberProcesses::start(m_manifest, m, initialCluster.join(QLatin1Char(',')), true);
                !started)
                return next(started);
        }
        if (const Result<void> saved = m_manifest.save(); !saved)
            return next(saved);
        emit changed();
        next({});
    });

    chain.add(QStringLiteral("wait for a leader and /health"), [this](UpState &s, Next next) {
        emit progress(QStringLiteral("waiting for a leader and for every member to answer /health"));
        QStringList names;
        for (const LocalMember &m : std::as_const(m_manifest.members))
            names << m.name;
        waitForHealth(names, now() + s.options.readyTimeoutMs, true,
            [next](const OperationResult &r) { next(r.ok() ? Result<void>() : Error::unavailable(r.sentence)); });
    });

    chain.when(options.auth, QStringLiteral("turn on authentication"), [this](UpState &s, Next next) {
        emit progress(QStringLiteral("turning on authentication with a root user"));
        const QString password = DemoAuth::newPassword();
        DemoAuth::enable(m_manifest.connectionSettings(), m_manifest.endpoints().value(0), password, this,
            [this, &s, password, next](Result<void> enabled) {
                if (!enabled)
                    return next(enabled);
                m_manifest.authUser = QStringLiteral("root");
                if (const Result<void> saved = m_manifest.save(); !saved)
                    return next(saved);
                s.rootPassword = password;
                next({});
            });
    });

    chain.add(QStringLiteral("start the load balancer"), [this](UpState &s, Next next) {
        if (!s.options.loadBalancer) {
            recordNoLoadBalancer(QStringLiteral("not asked for"));
            s.noLoadBalancer = m_manifest.lb.unavailable;
            return next({});
        }
        // The cluster works without one: a load balancer that does not start is said, not fatal.
        startLoadBalancer([&s, next](const QString &whyNot) {
            s.noLoadBalancer = whyNot;
            next({});
        });
    });

    chain.run(state, {}, [this, done](Result<void> result, UpState &s) {
        if (!result) {
            done(OperationResult::failed(result.error().describe()));
            return;
        }
        QJsonObject details {{QStringLiteral("dir"), s.dir},
            {QStringLiteral("endpoints"), m_manifest.endpoints().join(QLatin1Char(','))},
            {QStringLiteral("lb"), m_manifest.lb.toJson()}};
        if (!s.rootPassword.isEmpty())
            details.insert(QStringLiteral("rootPassword"), s.rootPassword);
        QString sentence
            = QStringLiteral("demo cluster of %1 is ready: %2")
                  .arg(Format::count(s.options.members, QStringLiteral("member"), QStringLiteral("members")),
                      m_manifest.endpoints().join(QLatin1Char(',')));
        sentence += s.noLoadBalancer.isEmpty()
            ? QStringLiteral("; load balancer at %1 (stats %2)").arg(m_manifest.lb.frontend, m_manifest.lb.statsUrl)
            : QStringLiteral("; no load balancer: %1").arg(s.noLoadBalancer);
        done(OperationResult::done(sentence, details));
    });
}

// --- down: the steps ----------------------------------------------------------------------

void LocalCluster::down(OperationCallback done)
{
    using Chain = StepChain<DownState>;
    using Next = Chain::Next;
    Chain chain;

    chain.add(QStringLiteral("stop every process"), [this](DownState &s, Next next) {
        if (!m_manifest.dir.isEmpty())
            s.pids = leftoverPids(m_manifest.dir);
        MemberProcesses::stop(s.pids, this, [next] { next({}); });
    });

    chain.add(QStringLiteral("check that none is left"), [this](DownState &, Next next) {
        const QList<qint64> still = leftoverPids(m_manifest.dir);
        if (!still.isEmpty())
            return next(Error::unavailable(
                QStringLiteral("%1 could not be stopped")
                    .arg(Format::count(still.size(), QStringLiteral("process"), QStringLiteral("processes")))));
        next({});
    });

    chain.add(QStringLiteral("remove pid files and sockets"), [this](DownState &, Next next) {
        QDir d(m_manifest.dir);
        for (const QString &f : d.entryList({QStringLiteral("*.pid")}, QDir::Files))
            d.remove(f);
        if (!m_manifest.lb.socketPath.isEmpty())
            QFile::remove(m_manifest.lb.socketPath);
        m_network->stopThread();
        if (m_manifest.network.enabled())
            QFile::remove(m_manifest.network.socketPath);
        next({});
    });

    chain.add(QStringLiteral("record the stop"), [this](DownState &, Next next) {
        if (m_manifest.lb.running()) {
            m_manifest.lb.pid = 0; // stopped: nothing to read until the next demo up
            m_manifest.lb.unavailable = QStringLiteral("the demo cluster is stopped");
            recordManifest();
        }
        emit changed();
        next({});
    });

    chain.run(std::make_shared<DownState>(), {}, [this, done](Result<void> result, DownState &s) {
        if (!result) {
            done(OperationResult::failed(result.error().describe()));
            return;
        }
        done(OperationResult::done(
            QStringLiteral("stopped %1 (etcd, load balancer, peer proxies) in %2")
                .arg(Format::count(s.pids.size(), QStringLiteral("process"), QStringLiteral("processes")))
                .arg(m_manifest.dir)));
    });
}

// --- health -------------------------------------------------------------------------------

void LocalCluster::waitForHealth(const QStringList &names, qint64 giveUpAt, bool needLeader, OperationCallback done)
{
    for (const QString &name : names) {
        const LocalMember *m = m_manifest.member(name);
        if (!m) {
            done(OperationResult::failed(QStringLiteral("%1 was removed while it was starting").arg(name)));
            return;
        }
        if (!ProcessControl::isAlive(pid_t(m->pid))) {
            done(OperationResult::failed(MemberProcesses::diagnoseExit(*m)));
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

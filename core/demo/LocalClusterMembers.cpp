// LocalCluster's operations on single members (stop, kill, pause, resume, restart; join;
// discard), and its load balancer and peer network through their parts.

#include "demo/LocalCluster.h"

#include "demo/DemoLoadBalancer.h"
#include "demo/MemberProcesses.h"
#include "demo/PortAllocator.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QUrl>
#include <csignal>

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
        MemberProcesses::waitUntil([pid] { return ProcessControl::allThreadsStopped(pid); }, 2000, this,
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
        MemberProcesses::stop({m->pid}, this, [=, this] {
            emit changed();
            done(OperationResult::done(QStringLiteral("stopped %1").arg(name)));
        });
        return;
    case MemberAction::Restart: {
        const QList<qint64> pids = alive ? QList<qint64> {m->pid} : QList<qint64> {};
        MemberProcesses::stop(pids, this, [=, this] {
            LocalMember *member = m_manifest.member(name);
            if (!member)
                return done(OperationResult::failed(QStringLiteral("%1 was removed meanwhile").arg(name)));
            QStringList initial;
            for (const LocalMember &x : m_manifest.members)
                initial << x.initialClusterEntry();
            // The data directory exists, so etcd restarts from its WAL and ignores the
            // initial-cluster flags.
            if (const Result<void> started
                = MemberProcesses::start(m_manifest, *member, initial.join(QLatin1Char(',')), false);
                !started)
                return done(OperationResult::failed(started.error().describe()));
            recordManifest();
            emit changed();
            waitForHealth(
                {name}, QDateTime::currentMSecsSinceEpoch() + 15000, false, [=, this](const OperationResult &r) {
                    if (!r.ok())
                        return done(r);
                    done(OperationResult::done(QStringLiteral("restarted %1").arg(name)));
                });
        });
        return;
    }
    }
}

Result<LocalCluster::MemberUrls> LocalCluster::reserveUrls() const
{
    const Result<QList<quint16>> found = PortAllocator::freePorts(2);
    if (!found)
        return found.error();
    return MemberUrls {MemberProcesses::loopbackUrl(found->at(1), m_manifest.tls.enabled()),
        MemberProcesses::loopbackUrl(found->at(0), m_manifest.tls.enabled())};
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
    const Result<QList<quint16>> found = PortAllocator::freePorts(1);
    if (!found) {
        done(OperationResult::failed(found.error().describe()));
        return;
    }
    const QList<quint16> &listen = found.value();
    m.listenPeerUrl = MemberProcesses::loopbackUrl(listen.first(), m_manifest.tls.enabled());
    const QJsonObject route {{QStringLiteral("op"), QStringLiteral("add")}, {QStringLiteral("member"), name},
        {QStringLiteral("port"), peer.port()}, {QStringLiteral("target"), int(listen.first())}};
    networkRequest(route, [=, this](const Result<QJsonObject> &routed) {
        if (!routed)
            return done(OperationResult::failed(
                QStringLiteral("no peer proxy for %1: %2").arg(name, routed.error().describe())));
        launchJoiningMember(m, initialCluster, learner, done);
    });
}

void LocalCluster::launchJoiningMember(
    LocalMember m, const QString &initialCluster, bool learner, OperationCallback done)
{
    const QString name = m.name;
    const QString clientUrl = m.clientUrl;
    MemberProcesses::discardDirectory(m.dataDir);
    if (m_cancelled) {
        done(OperationResult::failed(QStringLiteral("cancelled before %1 started").arg(name)));
        return;
    }
    if (const Result<void> started = MemberProcesses::start(m_manifest, m, initialCluster, false); !started) {
        if (m.proxied())
            networkRequest({{QStringLiteral("op"), QStringLiteral("remove")}, {QStringLiteral("member"), name}},
                [](const Result<QJsonObject> &) {});
        done(OperationResult::failed(started.error().describe()));
        return;
    }
    m_manifest.members << m;
    recordManifest();
    emit changed();
    waitForHealth({name}, QDateTime::currentMSecsSinceEpoch() + 15000, false, [=, this](const OperationResult &r) {
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
    MemberProcesses::stop(pids, this, [=, this] {
        const LocalMember *member = m_manifest.member(name);
        if (member) {
            MemberProcesses::discardDirectory(member->dataDir);
            QFile::remove(QDir(m_manifest.dir).filePath(name + QStringLiteral(".pid")));
            m_manifest.members.removeIf([&](const LocalMember &x) { return x.name == name; });
            recordManifest();
        }
        if (m_manifest.network.enabled())
            networkRequest({{QStringLiteral("op"), QStringLiteral("remove")}, {QStringLiteral("member"), name}},
                [](const Result<QJsonObject> &) {});
        emit changed();
        syncLoadBalancer(name, false, false, [=](const QString &problem) {
            QString sentence = QStringLiteral("stopped %1 and deleted its data").arg(name);
            if (!problem.isEmpty())
                sentence += QStringLiteral("; %1").arg(problem);
            done(OperationResult::done(sentence));
        });
    });
}

// --- the load balancer and the peer network, through their parts ---------------------------

void LocalCluster::enableLoadBalancerServer(const QString &member, std::function<void(Result<void>)> done)
{
    if (!m_manifest.lb.running()) {
        done({});
        return;
    }
    DemoLoadBalancer(m_manifest).enableServer(member, this, std::move(done));
}

void LocalCluster::syncLoadBalancer(
    const QString &member, bool joined, bool inRotation, std::function<void(const QString &)> done)
{
    DemoLoadBalancer(m_manifest).sync(member, joined, inRotation, this, [done](const Result<void> &r) {
        done(r.problem());
    });
}

void LocalCluster::recordNoLoadBalancer(const QString &why)
{
    m_manifest.lb = {};
    m_manifest.lb.unavailable = why;
    recordManifest();
    emit changed();
}

void LocalCluster::startLoadBalancer(std::function<void(const QString &whyNot)> done)
{
    DemoLoadBalancer(m_manifest)
        .start(
            this, [this] { return m_cancelled; },
            [this, done](const Result<LocalLoadBalancer> &started) {
                if (!started) {
                    recordNoLoadBalancer(started.error().describe());
                    done(started.error().describe());
                    return;
                }
                m_manifest.lb = started.value();
                recordManifest();
                emit changed();
                done({});
            });
}

void LocalCluster::adoptNetwork(std::function<void(Result<void>)> done)
{
    m_network->adopt(std::move(done));
}

void LocalCluster::networkRequest(const QJsonObject &request, NetworkControl::Reply done)
{
    m_network->request(request, std::move(done));
}

void LocalCluster::setNetworkFault(const QString &member, const NetworkFault &fault, OperationCallback done)
{
    m_network->setFault(member, fault, std::move(done));
}

void LocalCluster::clearNetworkFaults(OperationCallback done)
{
    m_network->clearFaults(std::move(done));
}

#include "cluster/ClusterMonitor.h"
#include "demo/LocalCluster.h"
#include "demo/ProcessControl.h"
#include "etcd/EtcdClient.h"
#include "lb/HaproxyStats.h"
#include "lb/LbMonitor.h"
#include "profile/ClusterManifest.h"
#include "profile/ConnectionProfile.h"
#include "session/ConsoleSession.h"
#include "support/CliRun.h"
#include "support/DemoDirectory.h"
#include "support/DemoLoadBalancer.h"
#include "support/ResultText.h"
#include "support/TestSkip.h"
#include "support/TestTiming.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <csignal>

/// The demo cluster's load balancer: a real HAProxy started by `demo up` in front of real
/// etcd members.
class TestLbIntegration : public QObject {
    Q_OBJECT

private slots:
    void demoRunsHaproxyInFrontOfTheMembers();
    void adminSocketAndDrift();
    void profilesDefineTheSessionsLoadBalancer();

private:
    using Run = CliRun;
    static Run quorumdeck(const QStringList &args) { return runQuorumdeck(args); }

    /// HAProxy's state of each server of the members' backend, by name.
    QHash<QString, HaproxyStats::ServerState> lbView(const QString &statsUrl)
    {
        QNetworkRequest request((QUrl(statsUrl)));
        request.setTransferTimeout(2000);
        QNetworkReply *reply = m_http.get(request);
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 3000))
            reply->abort();
        QHash<QString, HaproxyStats::ServerState> out;
        for (const HaproxyStats::Row &row : HaproxyStats::parse(reply->readAll()).rows) {
            if (row.isServer() && row.proxy == QLatin1String("etcd_members"))
                out.insert(row.server, row.state);
        }
        reply->deleteLater();
        return out;
    }

    QNetworkAccessManager m_http;
};

void TestLbIntegration::demoRunsHaproxyInFrontOfTheMembers()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    const Run up = quorumdeck({"demo", "up", "--dir", dir.path()});
    QVERIFY2(up.exitCode == 0, up.err.constData());
    ClusterManifest m;
    QCOMPARE(take(ClusterManifest::read(dir.path()), &m), QString());
    QD_REQUIRE_DEMO_LB(m.lb.running(), m.lb.unavailable);
    QVERIFY2(up.out.contains("load balancer: " + m.lb.frontend.toUtf8()), up.out.constData());
    QVERIFY(m.lb.frontend.startsWith(QLatin1String("127.0.0.1:"))); // loopback only
    QVERIFY(m.lb.statsUrl.startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(QFileInfo(m.lb.socketPath).exists());
    QVERIFY((QFileInfo(m.lb.socketPath).permissions() & (QFile::ReadOther | QFile::WriteOther)) == 0);

    // The cluster answers through the LB, and the LB sees every member up.
    const Run status = quorumdeck({"status", "--endpoints", m.lb.frontend, "-w", "json"});
    QVERIFY2(status.exitCode == 0, status.err.constData());
    QVERIFY(QJsonDocument::fromJson(status.out).object().value("leader").toString().size() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(lbView(m.lb.statsUrl).size() == 3, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(lbView(m.lb.statsUrl).keys(HaproxyStats::ServerState::Up).size() == 3, 10000);

    // A killed member leaves the rotation within fall × inter (2 × 500 ms), and some slack.
    QCOMPARE(quorumdeck({"demo", "kill", "etcd2", "--dir", dir.path()}).exitCode, 0);
    QTRY_COMPARE_WITH_TIMEOUT(lbView(m.lb.statsUrl).value("etcd2"), HaproxyStats::ServerState::Down, 3000);
    QCOMPARE(lbView(m.lb.statsUrl).value("etcd1"), HaproxyStats::ServerState::Up);

    // Stopping the demo stops HAProxy too.
    const Run down = quorumdeck({"demo", "down", "--dir", dir.path()});
    QVERIFY2(down.exitCode == 0, down.err.constData());
    QVERIFY(!ProcessControl::isAlive(pid_t(m.lb.pid)));
    QVERIFY(!QFileInfo::exists(m.lb.socketPath));
}

void TestLbIntegration::adminSocketAndDrift()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    QCOMPARE(quorumdeck({"demo", "up", "--dir", dir.path()}).exitCode, 0);
    ClusterManifest m;
    QCOMPARE(take(ClusterManifest::read(dir.path()), &m), QString());
    QD_REQUIRE_DEMO_LB(m.lb.running(), m.lb.unavailable);

    // The CLI's contract: every backend with these keys, joined to its member.
    QTRY_COMPARE_WITH_TIMEOUT(quorumdeck({"lb", "--dir", dir.path()}).exitCode, 0, 10000);
    const Run json = quorumdeck({"lb", "--dir", dir.path(), "-w", "json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject lb = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(lb.value("frontend").toObject().value("address").toString(), m.lb.frontend);
    QVERIFY(lb.value("frontend").toObject().value("reachable").toBool());
    const QJsonArray backends = lb.value("backends").toArray();
    QCOMPARE(backends.size(), 3);
    for (const QJsonValue &v : backends) {
        const QJsonObject b = v.toObject();
        for (const char *key : {"name", "address", "memberId", "lbStatus", "checkStatus", "probeStatus",
                 "probeLatencyMs", "sessions", "driftRoutesToUnhealthy", "driftHoldsHealthyDown"})
            QVERIFY2(b.contains(key), key);
        QCOMPARE(b.value("lbStatus").toString(), QStringLiteral("UP"));
        QCOMPARE(b.value("probeStatus").toString(), QStringLiteral("ok"));
        QCOMPARE(b.value("memberId").toString().size(), 16);
        QCOMPARE(b.value("member").toString(), b.value("name").toString());
    }

    // In process, ticking fast, with the cluster's own view for the joins.
    ConnectionSettings settings;
    settings.endpoints = m.endpoints();
    EtcdClient client(settings);
    ClusterMonitor cluster(&client);
    cluster.setInterval(200);
    LbMonitor monitor;
    LbDefinition definition;
    definition.kind = LbDefinition::Kind::Haproxy;
    definition.statsUrl = m.lb.statsUrl;
    definition.socketPath = m.lb.socketPath;
    definition.frontend = m.lb.frontend;
    definition.timeoutMs = 300;
    monitor.setDefinition(definition);
    connect(&cluster, &ClusterMonitor::snapshotReady, &monitor, &LbMonitor::setCluster);
    cluster.start();
    monitor.start(100);
    auto backend = [&](const QString &name) {
        for (const LbBackend &b : monitor.last().backends) {
            if (b.name == name)
                return b;
        }
        return LbBackend();
    };

    // Disable through the admin socket: MAINT; enable: UP again.
    QString error = "pending";
    monitor.setServerState("etcd1", "maint", [&](const Result<void> &r) { error = r.problem(); });
    QTRY_COMPARE_WITH_TIMEOUT(error, QString(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(backend("etcd1").lbState, HaproxyStats::ServerState::Maint, 3000);
    error = "pending";
    monitor.setServerState("etcd1", "ready", [&](const Result<void> &r) { error = r.problem(); });
    QTRY_COMPARE_WITH_TIMEOUT(error, QString(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(backend("etcd1").lbState, HaproxyStats::ServerState::Up, 5000);
    error = "pending";
    monitor.setServerState("nosuch", "drain", [&](const Result<void> &r) { error = r.problem(); });
    QTRY_VERIFY_WITH_TIMEOUT(error != "pending", 3000);
    QVERIFY2(error.contains("nosuch") || error.contains("No such"), qPrintable(error));

    // A paused member: the console's probe fails at once, HAProxy needs two failed checks;
    // in between HAProxy still routes to it, and that is drift. Once DOWN, it is not.
    QSignalSpy ticks(&monitor, &LbMonitor::snapshotReady);
    QCOMPARE(quorumdeck({"demo", "pause", "etcd3", "--dir", dir.path()}).exitCode, 0);
    bool drift = false;
    QTRY_VERIFY_WITH_TIMEOUT(
        (drift |= backend("etcd3").driftRoutesToUnhealthy, backend("etcd3").lbState == HaproxyStats::ServerState::Down),
        5000);
    QVERIFY2(drift, "drift while HAProxy still routed to the paused member");
    QVERIFY(!backend("etcd3").driftRoutesToUnhealthy);
    QCOMPARE(backend("etcd3").probe, LbBackend::Probe::Failed);
    QVERIFY(ticks.size() > 3);
    QCOMPARE(quorumdeck({"demo", "resume", "etcd3", "--dir", dir.path()}).exitCode, 0);
    QTRY_COMPARE_WITH_TIMEOUT(backend("etcd3").lbState, HaproxyStats::ServerState::Up, 10000);

    // SIGKILL: HAProxy takes the backend out within fall × inter (2 × 500 ms) and a tick of
    // ours (100 ms); a loaded 2-core machine (with the sanitizer run) gets 1.4 s more. The console's probe notices no
    // later than HAProxy does.
    QTRY_COMPARE_WITH_TIMEOUT(backend("etcd1").lbState, HaproxyStats::ServerState::Up, 10000);
    QElapsedTimer sinceKill;
    qint64 probeFailedAt = -1;
    qint64 lbDownAt = -1;
    connect(&monitor, &LbMonitor::snapshotReady, this, [&](const LbSnapshot &) {
        if (probeFailedAt < 0 && backend("etcd1").probe == LbBackend::Probe::Failed)
            probeFailedAt = sinceKill.elapsed();
        if (lbDownAt < 0 && backend("etcd1").lbState == HaproxyStats::ServerState::Down)
            lbDownAt = sinceKill.elapsed();
    });
    sinceKill.start();
    QVERIFY(ProcessControl::sendSignal(pid_t(m.member("etcd1")->pid), SIGKILL));
    QTRY_VERIFY_WITH_TIMEOUT(lbDownAt >= 0, 5000);
    qInfo("killed etcd1: probe failed after %lld ms, HAProxy DOWN after %lld ms", probeFailedAt, lbDownAt);
    QVERIFY2(lbDownAt <= TestTiming::upTo(2 * 500 + 100 + 1400), qPrintable(QString::number(lbDownAt)));
    QVERIFY(probeFailedAt >= 0 && probeFailedAt <= lbDownAt);

    // If etcd1 led, the others answer /health with 503 until they elect a new leader.
    QTRY_VERIFY_WITH_TIMEOUT(
        backend("etcd2").probe == LbBackend::Probe::Ok && backend("etcd3").probe == LbBackend::Probe::Ok, 15000);

    // A generic LB: no view of its own, only the console's probes of the listed backends,
    // by TCP connect and by HTTP GET /health.
    for (auto kind : {LbDefinition::ProbeKind::Tcp, LbDefinition::ProbeKind::Http}) {
        LbDefinition generic;
        generic.kind = LbDefinition::Kind::Generic;
        generic.frontend = m.lb.frontend;
        generic.probe = kind;
        generic.timeoutMs = 3000; // what is tested here is the verdict, not the speed
        for (const LocalMember &member : m.members)
            generic.backends.append(LbDefinition::Backend {member.name, QUrl(member.clientUrl).authority()});
        generic.backends.append(LbDefinition::Backend {"nothing", "127.0.0.1:1"}); // no listener there
        LbMonitor probes;
        probes.setDefinition(generic);
        QSignalSpy done(&probes, &LbMonitor::snapshotReady);
        probes.refresh();
        QVERIFY(done.wait(10000));
        const LbSnapshot g = done.first().first().value<LbSnapshot>();
        QCOMPARE(g.backends.size(), 4);
        QVERIFY(g.frontendReachable);
        for (const LbBackend &b : g.backends) {
            QVERIFY(!b.hasLbView);
            const bool dead = b.name == "nothing" || b.name == "etcd1"; // etcd1 was killed above
            QCOMPARE(b.probe, dead ? LbBackend::Probe::Failed : LbBackend::Probe::Ok);
        }
    }
}

void TestLbIntegration::profilesDefineTheSessionsLoadBalancer()
{
    if (LocalCluster::locateHaproxy().isEmpty())
        QD_SKIP_WITHOUT("haproxy", "the demo's load balancer runs it (installer/install-deps.sh installs it)");
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    const Run up = quorumdeck({"demo", "up", "--dir", dir.path()});
    QVERIFY2(up.exitCode == 0, up.err.constData());
    ClusterManifest m;
    QCOMPARE(take(ClusterManifest::read(dir.path()), &m), QString());
    QVERIFY2(m.lb.running(), qPrintable(m.lb.unavailable));

    // A cluster the console did not launch: its LB comes from the connection profile, as an
    // HAProxy read through its stats page, or as a generic LB whose backends are probed.
    ConnectionProfile haproxy;
    haproxy.name = "with-haproxy";
    haproxy.endpoints = m.endpoints();
    haproxy.lbKind = LbDefinition::Kind::Haproxy;
    haproxy.lbStatsUrl = m.lb.statsUrl;
    haproxy.lbFrontend = m.lb.frontend;
    ConnectionProfile generic = haproxy;
    generic.name = "generic";
    generic.lbKind = LbDefinition::Kind::Generic;
    generic.lbStatsUrl.clear();
    for (const LocalMember &member : m.members)
        generic.lbBackends << member.name + "=" + QUrl(member.clientUrl).authority();

    for (const ConnectionProfile &profile : {haproxy, generic}) {
        ConsoleSession session(profile.connectionSettings(), nullptr);
        QVERIFY(!session.lb());
        session.useProfile(profile);
        QVERIFY2(session.lb(), qPrintable(profile.name));
        QVERIFY(session.lbUnavailable().isEmpty());
        LbSnapshot last;
        connect(&session, &ConsoleSession::lbSnapshotReady, this, [&](const LbSnapshot &s) { last = s; });
        session.start();
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         if (last.backends.size() != 3 || !last.frontendReachable)
                             return false;
                         for (const LbBackend &b : last.backends)
                             if (b.probe != LbBackend::Probe::Ok || b.memberId == 0)
                                 return false;
                         return true;
                     },
                     15000),
            qPrintable(profile.name));
        if (profile.lbKind == LbDefinition::Kind::Haproxy)
            for (const LbBackend &b : last.backends)
                QCOMPARE(b.lbState, HaproxyStats::ServerState::Up);
        session.stop();
    }
    QCOMPARE(quorumdeck({"demo", "down", "--dir", dir.path()}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestLbIntegration)
#include "tst_lb_integration.moc"

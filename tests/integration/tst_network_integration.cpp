#include "chaos/ChaosSchedule.h"
#include "chaos/InvariantChecker.h"
#include "cluster/ClusterMonitor.h"
#include "common/MemberId.h"
#include "demo/NetworkWatch.h"
#include "demo/ProcessControl.h"
#include "journal/Journal.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QtTest>
#include <cerrno>
#include <sched.h>

/// Network faults on a real three-member cluster whose members advertise peer proxies run
/// on a thread of this process, as the window runs them; the CLI reaches the same proxies
/// through the control socket.
class NetworkIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void isolatingTheLeaderElectsAnotherAndHealingRejoinsIt();
    void isolatedFollowerLeavesWritesWorkingAndNoFaultTolerance();
    void delayedLeaderKeepsOneLeaderAndRaisesPeerRoundTrip();
    void cliSetsReportsAndClearsFaults();
    void cliRefusesBadRequests();
    void chaosSoakWithFixedSeedHoldsEveryInvariant();
    void proxiesOutliveTheirHostThroughAHelper();
    void membersWithoutProxiesPeerDirectly();

private:
    NetworkFault isolated() const
    {
        NetworkFault f;
        f.isolated = true;
        return f;
    }
    OperationResult setFault(const QString &member, const NetworkFault &f)
    {
        return awaitOperation([&](OperationCallback done) { m_demo.cluster().setNetworkFault(member, f, done); });
    }
    /// Waits (bounded) for a snapshot that satisfies condition; the last one seen.
    ClusterSnapshot waitFor(std::function<bool(const ClusterSnapshot &)> condition, int timeoutMs = 15000);
    /// Every leadership line in the members' logs since sinceMs.
    QList<LeadershipLine> leadershipLines(qint64 sinceMs);
    QString nameOf(uint64_t id) const;

    DemoClusterFixture m_demo;
    std::unique_ptr<EtcdClient> m_client;
    std::unique_ptr<ClusterMonitor> m_monitor;
    QList<ClusterSnapshot> m_seen;
    QList<ClusterEvent> m_events;
};

void NetworkIntegrationTest::initTestCase()
{
    const QString error = m_demo.start(3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(m_demo.cluster().hostsNetwork());
    for (const LocalMember &m : m_demo.cluster().manifest().members)
        QVERIFY2(m.proxied(), qPrintable(m.name + QStringLiteral(" does not advertise a proxy")));
    m_client = std::make_unique<EtcdClient>(m_demo.settings());
    m_monitor = std::make_unique<ClusterMonitor>(m_client.get());
    m_monitor->setInterval(200);
    connect(m_monitor.get(), &ClusterMonitor::snapshotReady, this, [this](const ClusterSnapshot &s) { m_seen << s; });
    connect(m_monitor.get(), &ClusterMonitor::eventsOccurred, this,
        [this](const QList<ClusterEvent> &e) { m_events << e; });
    m_monitor->start();
    QVERIFY(waitFor([](const ClusterSnapshot &s) { return s.isHealthy(); }).isHealthy());
}

void NetworkIntegrationTest::init()
{
    m_seen.clear();
    m_events.clear();
}

void NetworkIntegrationTest::cleanup()
{
    QVERIFY(awaitOperation([&](OperationCallback done) { m_demo.cluster().clearNetworkFaults(done); }).ok());
    QVERIFY2(waitFor([](const ClusterSnapshot &s) { return s.isHealthy() && s.quorum().faultTolerance == 1; }, 20000)
                 .isHealthy(),
        "the cluster did not recover after the test");
}

ClusterSnapshot NetworkIntegrationTest::waitFor(std::function<bool(const ClusterSnapshot &)> condition, int timeoutMs)
{
    const qsizetype from = m_seen.size();
    ClusterSnapshot last;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = from; i < m_seen.size(); ++i) {
                last = m_seen.at(i);
                if (condition(last))
                    return true;
            }
            return false;
        },
        timeoutMs);
    return last;
}

QList<LeadershipLine> NetworkIntegrationTest::leadershipLines(qint64 sinceMs)
{
    QList<LeadershipLine> out;
    for (const LocalMember &m : m_demo.cluster().manifest().members) {
        QFile log(m.logFile);
        if (!log.open(QIODevice::ReadOnly))
            continue;
        while (!log.atEnd()) {
            const auto line = LeadershipLine::of(MemberLogEntry::parse(log.readLine()));
            if (line && line->timeMs >= sinceMs)
                out << *line;
        }
    }
    return out;
}

QString NetworkIntegrationTest::nameOf(uint64_t id) const
{
    const MemberState *m = m_seen.isEmpty() ? nullptr : m_seen.last().member(id);
    return m ? m->name : QString();
}

void NetworkIntegrationTest::isolatingTheLeaderElectsAnotherAndHealingRejoinsIt()
{
    const ClusterSnapshot before = waitFor([](const ClusterSnapshot &s) { return s.isHealthy(); });
    QVERIFY(before.hasLeader());
    const uint64_t oldLeader = before.leaderId();
    const QString name = before.leader()->name;
    const qint64 faultAt = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(setFault(name, isolated()).ok());

    // The other two elect a leader in a higher term; the isolated member falls out of the
    // healthy voters.
    const ClusterSnapshot after = waitFor([&](const ClusterSnapshot &s) {
        return s.hasLeader() && s.leaderId() != oldLeader && s.term() > before.term();
    });
    QVERIFY2(after.hasLeader() && after.leaderId() != oldLeader, "no new leader while the old one is isolated");
    QCOMPARE_GT(after.term(), before.term());
    const MemberState *cut = after.member(oldLeader);
    QVERIFY(cut);
    QVERIFY(cut->reachable); // the console still reaches its client URL
    QVERIFY(!cut->isHealthyVoter());
    QCOMPARE(after.quorum().faultTolerance, 0);
    // ...and its peer links as cut off, as the window's topology draws them.
    NetworkWatch watch(m_demo.cluster().manifest().network.socketPath);
    watch.start();
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const MemberNetwork &n : watch.state())
                if (n.member == name)
                    return n.state() == QLatin1String("isolated") && n.connections == 0;
            return false;
        },
        3000));

    // The console saw the new leader no later than the first tick after etcd's log line.
    const QList<LeadershipLine> lines = leadershipLines(faultAt);
    QVERIFY(!lines.isEmpty());
    ChaosHistory history;
    for (const ClusterSnapshot &s : std::as_const(m_seen)) {
        TickRecord t;
        t.startMs = s.timeMs();
        t.tickMs = s.tickMs();
        history.ticks << t;
    }
    history.events = m_events;
    history.leadershipLines = lines;
    history.tickDeadlineMs = m_monitor->tickDeadline();
    history.convergedInMs = 0;
    const ChaosVerdict verdict = InvariantChecker::check(history);
    QVERIFY2(verdict.ok(), qPrintable(verdict.violations.join(QLatin1Char('\n'))));
    QVERIFY(std::any_of(m_events.cbegin(), m_events.cend(), [&](const ClusterEvent &e) {
        return e.type == ClusterEvent::Type::LeaderChanged && e.to == after.leaderId() && e.from == oldLeader;
    }));

    // Healed, it rejoins as a follower of the new leader and catches up.
    QVERIFY(setFault(name, {}).ok());
    const ClusterSnapshot rejoined = waitFor([&](const ClusterSnapshot &s) {
        const MemberState *m = s.member(oldLeader);
        const MemberState *leader = s.leader();
        return s.isHealthy() && m && leader && m->role == MemberRole::Follower
            && m->appliedIndex == leader->appliedIndex;
    });
    QVERIFY2(rejoined.isHealthy(), qPrintable(rejoined.disagreementDetail()));
    QCOMPARE(rejoined.member(oldLeader)->role, MemberRole::Follower);
}

void NetworkIntegrationTest::isolatedFollowerLeavesWritesWorkingAndNoFaultTolerance()
{
    const ClusterSnapshot before = waitFor([](const ClusterSnapshot &s) { return s.isHealthy(); });
    QString follower;
    for (const MemberState &m : before.members())
        if (m.id != before.leaderId())
            follower = m.name;
    QVERIFY(setFault(follower, isolated()).ok());
    const ClusterSnapshot cut = waitFor([](const ClusterSnapshot &s) { return s.quorum().faultTolerance == 0; });
    QCOMPARE(cut.quorum().faultTolerance, 0);
    QVERIFY(cut.hasQuorum());
    QCOMPARE(cut.leaderId(), before.leaderId());

    std::optional<EtcdResult<ResponseHeaderInfo>> put;
    m_client->put(cut.leader()->clientUrls.value(0), "network/test", "written while a follower is cut off", this,
        [&](const EtcdResult<ResponseHeaderInfo> &r) { put = r; });
    QVERIFY(QTest::qWaitFor([&] { return put.has_value(); }, 10000));
    QVERIFY2(put->ok(), qPrintable(put->error.sentence));
}

void NetworkIntegrationTest::delayedLeaderKeepsOneLeaderAndRaisesPeerRoundTrip()
{
    const ClusterSnapshot before = waitFor([](const ClusterSnapshot &s) { return s.isHealthy(); });
    const uint64_t leader = before.leaderId();
    QString followerUrl;
    for (const MemberState &m : before.members())
        if (m.id != leader)
            followerUrl = m.clientUrls.value(0);
    // A follower's round-trip histogram towards the leader: its mean over new probes.
    auto rtt = [&]() -> std::pair<double, double> {
        const CliRun r = runQuorumdeck({QStringLiteral("metrics"), QStringLiteral("scrape"),
            followerUrl + QStringLiteral("/metrics"), QStringLiteral("-w"), QStringLiteral("json")});
        double sum = 0, count = 0;
        for (const QJsonValue &f :
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("families")).toArray()) {
            for (const QJsonValue &v : f.toObject().value(QStringLiteral("samples")).toArray()) {
                const QJsonObject s = v.toObject();
                if (s.value(QStringLiteral("labels")).toObject().value(QStringLiteral("To")).toString()
                    != QString::number(leader, 16)) // etcd writes ids unpadded
                    continue;
                if (s.value(QStringLiteral("name")).toString()
                    == QLatin1String("etcd_network_peer_round_trip_time_seconds_sum"))
                    sum = s.value(QStringLiteral("value")).toDouble();
                if (s.value(QStringLiteral("name")).toString()
                    == QLatin1String("etcd_network_peer_round_trip_time_seconds_count"))
                    count = s.value(QStringLiteral("value")).toDouble();
            }
        }
        return {sum, count};
    };
    const auto [sum0, count0] = rtt();
    const double baseline = count0 > 0 ? sum0 / count0 : 0;
    const qsizetype from = m_seen.size();
    NetworkFault slow;
    slow.delayMs = 300;
    QVERIFY(setFault(before.leader()->name, slow).ok());

    // etcd probes each peer every few seconds and records its smoothed round trip every
    // 30 s: wait (bounded) for the records made since to carry the delay. Their mean must rise
    // by at least half of it above the round trip before: the baseline is a few milliseconds on
    // a quick build and tens of them under a sanitizer, so no ratio to it would hold for both.
    const double raise = slow.delayMs / 1000.0 / 2;
    double mean = 0;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     const auto [sum, count] = rtt();
                     if (count <= count0)
                         return false;
                     mean = (sum - sum0) / (count - count0);
                     return mean - baseline >= raise;
                 },
                 75000),
        qPrintable(QStringLiteral("peer round trip to the delayed leader: %1 s against %2 s before, not %3 s more")
                       .arg(mean)
                       .arg(baseline)
                       .arg(raise)));

    // Through all of it the console reported exactly one leader, the same one.
    QCOMPARE_GT(m_seen.size(), from + 5);
    for (qsizetype i = from; i < m_seen.size(); ++i) {
        const ClusterSnapshot &s = m_seen.at(i);
        int leaders = 0;
        for (const MemberState &m : s.members())
            leaders += m.reachable && m.leaderSeen == m.id;
        QCOMPARE(leaders, 1);
        QCOMPARE(s.leaderId(), leader);
    }
}

void NetworkIntegrationTest::cliSetsReportsAndClearsFaults()
{
    const QString dir = m_demo.dir();
    const QString member = m_demo.cluster().manifest().members.at(1).name;
    const QUrl proxy(m_demo.cluster().manifest().members.at(1).peerUrl);
    NetworkWatch watch(m_demo.cluster().manifest().network.socketPath);
    watch.start();
    QVERIFY(QTest::qWaitFor([&] { return watch.connected() && watch.state().size() == 3; }, 5000));

    CliRun r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("isolate"), member,
        QStringLiteral("--dir"), dir, QStringLiteral("-w"), QStringLiteral("json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject applied = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(applied.value(QStringLiteral("result")).toString(), QStringLiteral("done"));
    QVERIFY(applied.value(QStringLiteral("fault")).toObject().value(QStringLiteral("isolated")).toBool());
    // In force once the command returns: the member's proxy refuses a new connection.
    QTcpSocket probe;
    probe.connectToHost(QStringLiteral("127.0.0.1"), quint16(proxy.port()));
    QVERIFY(QTest::qWaitFor([&] { return probe.state() == QAbstractSocket::UnconnectedState; }, 2000));
    // The window's watch hears of it without asking.
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const MemberNetwork &m : watch.state())
                if (m.member == member)
                    return m.fault.isolated;
            return false;
        },
        2000));

    r = runQuorumdeck(
        {QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("delay"), member, QStringLiteral("--ms"),
            QStringLiteral("40"), QStringLiteral("--jitter"), QStringLiteral("10"), QStringLiteral("--dir"), dir});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("drop"), member,
        QStringLiteral("--percent"), QStringLiteral("5"), QStringLiteral("--dir"), dir});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("status"), QStringLiteral("--dir"),
        dir, QStringLiteral("-w"), QStringLiteral("json")});
    QCOMPARE(r.exitCode, 2); // a fault is set
    const QJsonObject status = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(status.value(QStringLiteral("host")).toString(), QStringLiteral("window"));
    const QJsonArray members = status.value(QStringLiteral("members")).toArray();
    QCOMPARE(members.size(), 3);
    for (const QJsonValue &v : members) {
        const QJsonObject m = v.toObject();
        for (const char *key :
            {"name", "state", "isolated", "delayMs", "jitterMs", "dropPercent", "proxy", "target", "connections"})
            QVERIFY2(m.contains(QLatin1String(key)), key);
        if (m.value(QStringLiteral("name")).toString() != member) {
            QCOMPARE(m.value(QStringLiteral("state")).toString(), QStringLiteral("ok"));
            continue;
        }
        // Faults add up: still isolated, now also delayed and lossy.
        QCOMPARE(m.value(QStringLiteral("state")).toString(), QStringLiteral("isolated"));
        QCOMPARE(m.value(QStringLiteral("delayMs")).toInt(), 40);
        QCOMPARE(m.value(QStringLiteral("jitterMs")).toInt(), 10);
        QCOMPARE(m.value(QStringLiteral("dropPercent")).toInt(), 5);
    }

    r = runQuorumdeck(
        {QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("heal"), member, QStringLiteral("--dir"), dir});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("delay"), member,
        QStringLiteral("--ms"), QStringLiteral("20"), QStringLiteral("--dir"), dir});
    QCOMPARE(r.exitCode, 0);
    r = runQuorumdeck(
        {QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("clear"), QStringLiteral("--dir"), dir});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = runQuorumdeck(
        {QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("status"), QStringLiteral("--dir"), dir});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("etcd1") && !r.out.contains("isolated") && !r.out.contains("delay"));

    // Every change was journalled under the cluster's id, where the window's history finds it.
    Journal journal(cliDataHome() + QStringLiteral("/QuorumDeck/quorumdeck/journal.sqlite"));
    QSignalSpy loaded(&journal, &Journal::historyLoaded);
    journal.loadHistory(m_seen.last().clusterId());
    QVERIFY(loaded.wait(10000));
    QStringList done;
    for (const OperatorAction &a : loaded.at(0).at(2).value<QList<OperatorAction>>()) {
        if (a.target == member || a.target.isEmpty())
            done << a.action;
    }
    for (const char *action :
        {"demo-net-isolate", "demo-net-delay", "demo-net-drop", "demo-net-heal", "demo-net-clear"})
        QVERIFY2(done.contains(QLatin1String(action)), action);
}

void NetworkIntegrationTest::cliRefusesBadRequests()
{
    const QString dir = m_demo.dir();
    struct Case {
        QStringList args;
        const char *says;
    };
    const QList<Case> cases {
        {{QStringLiteral("isolate"), QStringLiteral("nosuch")}, "no demo member named"},
        {{QStringLiteral("delay"), QStringLiteral("etcd1")}, "needs --ms"},
        {{QStringLiteral("delay"), QStringLiteral("etcd1"), QStringLiteral("--ms"), QStringLiteral("soon")},
            "--ms takes"},
        {{QStringLiteral("drop"), QStringLiteral("etcd1"), QStringLiteral("--percent"), QStringLiteral("120")},
            "--percent takes"},
        {{QStringLiteral("isolate"), QStringLiteral("etcd1"), QStringLiteral("--ms"), QStringLiteral("5")},
            "apply to demo net delay only"},
        {{QStringLiteral("isolate")}, "usage"},
        {{QStringLiteral("partition")}, "unknown demo net command"},
    };
    for (const Case &c : cases) {
        const CliRun r = runQuorumdeck(QStringList {QStringLiteral("demo"), QStringLiteral("net")} + c.args
            + QStringList {QStringLiteral("--dir"), dir});
        QVERIFY2(r.exitCode == 1, qPrintable(c.args.join(QLatin1Char(' '))));
        QVERIFY2(r.err.contains(c.says), r.err.constData());
    }
    // No cluster there: a sentence, not a hang.
    QTemporaryDir empty;
    const CliRun r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("status"),
        QStringLiteral("--dir"), empty.path()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("no demo cluster"));
}

void NetworkIntegrationTest::chaosSoakWithFixedSeedHoldsEveryInvariant()
{
    const CliRun r
        = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("chaos"), QStringLiteral("--duration"),
                            QStringLiteral("25s"), QStringLiteral("--seed"), QStringLiteral("11"),
                            QStringLiteral("--dir"), m_demo.dir(), QStringLiteral("-w"), QStringLiteral("json")},
            120000);
    const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    QVERIFY(summary.value(QStringLiteral("ok")).toBool());
    QCOMPARE(summary.value(QStringLiteral("seed")).toInteger(), 11);
    QVERIFY(summary.value(QStringLiteral("violations")).toArray().isEmpty());
    QCOMPARE_GE(summary.value(QStringLiteral("faultsApplied")).toInt(), 4);
    QCOMPARE_GE(summary.value(QStringLiteral("elections")).toInt(), 1);
    QCOMPARE_GE(summary.value(QStringLiteral("healedInMs")).toInteger(), 0);
    QCOMPARE_LE(summary.value(QStringLiteral("healedInMs")).toInteger(), 10000);
    for (const char *key : {"worstDetectionLagMs", "worstTickMs", "faults", "ticks", "writesAccepted"})
        QVERIFY2(summary.contains(QLatin1String(key)), key);
    // The same seed plans the same faults.
    const QJsonArray faults = summary.value(QStringLiteral("faults")).toArray();
    const QList<ChaosFault> planned = ChaosSchedule::generate(11, 25000);
    for (int i = 0; i < faults.size(); ++i)
        QCOMPARE(
            faults.at(i).toObject().value(QStringLiteral("kind")).toString(), ChaosFault::kindName(planned.at(i).kind));
}

void NetworkIntegrationTest::proxiesOutliveTheirHostThroughAHelper()
{
    // A window that connects elsewhere while its demo runs drops its LocalCluster without
    // stopping the cluster: a helper process must take the proxies over.
    QTemporaryDir dir;
    auto cluster = std::make_unique<LocalCluster>();
    cluster->setHelperProgram(QStringLiteral(QUORUMDECK_BINARY));
    LocalClusterOptions options;
    options.dir = dir.path();
    options.members = 3;
    const OperationResult up = awaitOperation([&](OperationCallback done) { cluster->up(options, done); }, 60000);
    QVERIFY2(up.ok(), qPrintable(up.sentence));
    QVERIFY(cluster->hostsNetwork());
    const ClusterManifest manifest = cluster->manifest();
    cluster.reset();

    // The helper answers on the same socket, and the members keep electing and agreeing.
    CliRun r;
    QVERIFY(QTest::qWaitFor(
        [&] {
            r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("status"),
                QStringLiteral("--dir"), dir.path(), QStringLiteral("-w"), QStringLiteral("json")});
            return r.exitCode == 0;
        },
        10000));
    QCOMPARE(
        QJsonDocument::fromJson(r.out).object().value(QStringLiteral("host")).toString(), QStringLiteral("helper"));
    r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("isolate"),
        manifest.members.at(0).name, QStringLiteral("--dir"), dir.path()});
    QCOMPARE(r.exitCode, 0);
    r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("heal"),
        manifest.members.at(0).name, QStringLiteral("--dir"), dir.path()});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QTest::qWaitFor(
        [&] {
            r = runQuorumdeck({QStringLiteral("status"), QStringLiteral("--dir"), dir.path()});
            return r.exitCode == 0;
        },
        20000));

    // demo down stops the helper with the members.
    QFile pidFile(dir.filePath(QStringLiteral("network.pid")));
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const qint64 helper = pidFile.readAll().trimmed().toLongLong();
    QVERIFY(ProcessControl::isAlive(pid_t(helper)));
    r = runQuorumdeck({QStringLiteral("demo"), QStringLiteral("down"), QStringLiteral("--dir"), dir.path()});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(QTest::qWaitFor([&] { return !ProcessControl::isAlive(pid_t(helper)); }, 10000));
    QVERIFY(!QFile::exists(manifest.network.socketPath));
}

void NetworkIntegrationTest::membersWithoutProxiesPeerDirectly()
{
    // What the snapshot benchmark runs: members that peer as a production cluster's do, with
    // no proxy between them and no load balancer in front.
    const int ownPolicy = sched_getscheduler(0);
    DemoClusterFixture plain;
    LocalClusterOptions options;
    options.peerProxies = false;
    options.loadBalancer = false;
    const OperationResult up = plain.start(options);
    QVERIFY2(up.ok(), qPrintable(up.sentence));
    const ClusterManifest &manifest = plain.cluster().manifest();
    QVERIFY(!manifest.network.enabled());
    QVERIFY(!manifest.lb.running());
    QCOMPARE(manifest.lb.unavailable, QStringLiteral("not asked for"));
    for (const LocalMember &m : manifest.members) {
        QVERIFY2(!m.proxied(), qPrintable(m.name));
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(m.pid));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QList<QByteArray> args = cmdline.readAll().split('\0');
        const qsizetype listen = args.indexOf("--listen-peer-urls");
        QVERIFY(listen >= 0 && listen + 1 < args.size());
        QCOMPARE(QString::fromUtf8(args.at(listen + 1)), m.peerUrl);
        // The demo's Go settings, unless this test's own environment chose others.
        QFile environ(QStringLiteral("/proc/%1/environ").arg(m.pid));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QList<QByteArray> env = environ.readAll().split('\0');
        if (!qEnvironmentVariableIsSet("GOGC"))
            QVERIFY2(env.contains("GOGC=400"), qPrintable(m.name));
        if (!qEnvironmentVariableIsSet("GOMAXPROCS"))
            QVERIFY2(env.contains("GOMAXPROCS=1"), qPrintable(m.name));
        // Every thread of a member runs as a batch task (it never preempts the console),
        // unless this test itself runs under a policy of its own, which members then share.
        if (!(ownPolicy & SCHED_RESET_ON_FORK)) {
            const int expected = ownPolicy == SCHED_OTHER ? SCHED_BATCH : ownPolicy;
            const QDir tasks(QStringLiteral("/proc/%1/task").arg(m.pid));
            const QStringList tids = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            QVERIFY(!tids.isEmpty());
            for (const QString &tid : tids) {
                const int policy = sched_getscheduler(pid_t(tid.toInt()));
                if (policy == -1 && errno == ESRCH)
                    continue; // a thread that ended since the listing
                QVERIFY2(policy == expected, qPrintable(m.name + u' ' + tid));
            }
        }
    }
    QCOMPARE(sched_getscheduler(0), ownPolicy); // the console's own thread is left as it was
    EtcdClient client(plain.settings());
    ClusterMonitor monitor(&client);
    const ClusterSnapshot snapshot = takeSnapshot(monitor);
    QVERIFY(snapshot.isHealthy());
    QCOMPARE(snapshot.members().size(), 3);
    // No proxies, so no faults: said plainly.
    const OperationResult fault = awaitOperation(
        [&](OperationCallback done) { plain.cluster().setNetworkFault(QStringLiteral("etcd1"), isolated(), done); });
    QCOMPARE(fault.status, OperationResult::Status::Refused);
    QVERIFY2(fault.sentence.contains(QLatin1String("without peer proxies")), qPrintable(fault.sentence));
}

QTEST_MAIN(NetworkIntegrationTest)
#include "tst_network_integration.moc"

#include "cluster/ClusterMonitor.h"
#include "common/MemberId.h"
#include "demo/PortAllocator.h"
#include "etcd/EtcdClient.h"
#include "support/DemoClusterFixture.h"
#include "support/TestSkip.h"
#include "support/TestTiming.h"

#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

/// ClusterMonitor against real etcd members: agreement with etcdctl, and what it reports
/// while members are killed and paused.
class TestMonitorIntegration : public QObject {
    Q_OBJECT

private slots:
    void snapshotAgreesWithEtcdctl();
    void killingTheLeaderYieldsLeaderChanged();
    void pausedFollowerCostsOneDeadline();
    void losingTwoOfThreeLosesQuorum();
    void memberAdvertisingAnUnreachableUrlIsAskedWhereItAnswers();
    void endpointsOfTwoClustersAreRefused();

private:
    static QList<uint64_t> numbersAfter(const QByteArray &json, const QString &key);
};

QList<uint64_t> TestMonitorIntegration::numbersAfter(const QByteArray &json, const QString &key)
{
    // etcdctl prints 64-bit ids as JSON numbers, beyond a double's precision: read them as text.
    QList<uint64_t> out;
    const QRegularExpression re(QStringLiteral("\"%1\":(\\d+)").arg(key));
    auto it = re.globalMatch(QString::fromUtf8(json));
    while (it.hasNext())
        out << it.next().captured(1).toULongLong();
    return out;
}

void TestMonitorIntegration::snapshotAgreesWithEtcdctl()
{
    QD_START_LIVE_CLUSTER(live);
    DemoClusterFixture &fx = live.fx;
    const ClusterSnapshot &s = live.healthy;

    auto etcdctl = [&](const QStringList &args) {
        QProcess p;
        p.start(QStringLiteral("etcdctl"),
            QStringList {QStringLiteral("--endpoints"), fx.endpoints().join(QLatin1Char(','))} + args);
        if (!p.waitForFinished(10000) || p.exitCode() != 0)
            qWarning() << p.readAllStandardError();
        return p.readAllStandardOutput();
    };
    const QByteArray status = etcdctl({"endpoint", "status", "--cluster", "-w", "json"});
    const QByteArray list = etcdctl({"member", "list", "-w", "json"});
    QVERIFY(!status.isEmpty());
    QVERIFY(!list.isEmpty());

    QList<uint64_t> ours;
    for (const MemberState &m : s.members())
        ours << m.id;
    QList<uint64_t> theirs = numbersAfter(list, QStringLiteral("ID"));
    std::sort(ours.begin(), ours.end());
    std::sort(theirs.begin(), theirs.end());
    QCOMPARE(ours, theirs);

    const QList<uint64_t> leaders = numbersAfter(status, QStringLiteral("leader"));
    QCOMPARE(leaders.size(), 3);
    for (uint64_t l : leaders)
        QCOMPARE(l, s.leaderId());
    for (uint64_t term : numbersAfter(status, QStringLiteral("raftTerm")))
        QCOMPARE(term, s.term());
    QCOMPARE(numbersAfter(list, QStringLiteral("cluster_id")).value(0), s.clusterId());
    for (const MemberState &m : s.members()) {
        QVERIFY(!m.version.isEmpty());
        QVERIFY(status.contains(QStringLiteral("\"version\":\"%1\"").arg(m.version).toUtf8()));
        QVERIFY(m.latencyMs > 0);
        QVERIFY(m.dbSize > 0);
    }
}

void TestMonitorIntegration::killingTheLeaderYieldsLeaderChanged()
{
    QD_START_LIVE_CLUSTER(live);
    DemoClusterFixture &fx = live.fx;
    ClusterMonitor &monitor = *live.monitor;
    monitor.setInterval(200);
    const ClusterSnapshot before = live.healthy;

    QList<ClusterEvent> events;
    connect(&monitor, &ClusterMonitor::eventsOccurred, this, [&](const QList<ClusterEvent> &e) { events << e; });
    monitor.start();
    const QString leaderName = before.leader()->name;
    QVERIFY(fx.act(leaderName, LocalCluster::MemberAction::Kill).ok());

    auto changed = [&]() -> const ClusterEvent * {
        for (const ClusterEvent &e : events) {
            if (e.type == ClusterEvent::Type::LeaderChanged)
                return &e;
        }
        return nullptr;
    };
    // A new leader stands within about two election timeouts (2 x 1 s).
    QTRY_VERIFY_WITH_TIMEOUT(changed() != nullptr, 10000);
    const ClusterEvent *e = changed();
    QCOMPARE(e->from, before.leaderId());
    QVERIFY(e->to != before.leaderId());
    QVERIFY2(e->term > before.term(),
        qPrintable(QStringLiteral("event %1, term before %2")
                       .arg(QString::fromUtf8(QJsonDocument(e->toJson()).toJson()))
                       .arg(before.term())));
    QVERIFY(!e->requested);
    bool unreachableSeen = false;
    for (const ClusterEvent &x : events)
        unreachableSeen |= x.type == ClusterEvent::Type::MemberUnreachable && x.member == before.leaderId();
    QVERIFY(unreachableSeen);
    QCOMPARE(monitor.last().leaderId(), e->to);
}

void TestMonitorIntegration::pausedFollowerCostsOneDeadline()
{
    QD_START_LIVE_CLUSTER(live);
    DemoClusterFixture &fx = live.fx;
    ClusterMonitor &monitor = *live.monitor;
    constexpr int deadline = 600;
    monitor.setInterval(100);
    monitor.setTickDeadline(deadline);
    const ClusterSnapshot before = live.healthy;
    QString follower;
    for (const MemberState &m : before.members()) {
        if (m.role == MemberRole::Follower)
            follower = m.name;
    }
    QVERIFY(fx.act(follower, LocalCluster::MemberAction::Pause).ok());

    QList<ClusterSnapshot> snapshots;
    connect(&monitor, &ClusterMonitor::snapshotReady, this, [&](const ClusterSnapshot &s) { snapshots << s; });
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(snapshots.size() >= 6, 20000);
    monitor.stop();
    fx.act(follower, LocalCluster::MemberAction::Resume);

    int unreachableTicks = 0;
    for (const ClusterSnapshot &s : std::as_const(snapshots)) {
        QVERIFY2(s.tickMs() <= TestTiming::upTo(deadline * 1.2),
            qPrintable(QStringLiteral("tick took %1 ms").arg(s.tickMs())));
        const MemberState *m = nullptr;
        for (const MemberState &x : s.members()) {
            if (x.name == follower)
                m = &x;
        }
        QVERIFY(m);
        if (!m->reachable) {
            ++unreachableTicks;
            QVERIFY(m->errors.value(0).contains(QLatin1String("deadline")));
        }
        QVERIFY(s.hasLeader()); // the other two keep the cluster going
    }
    QCOMPARE(unreachableTicks, snapshots.size());
}

void TestMonitorIntegration::losingTwoOfThreeLosesQuorum()
{
    QD_START_LIVE_CLUSTER(live);
    DemoClusterFixture &fx = live.fx;
    ClusterMonitor &monitor = *live.monitor;
    monitor.setInterval(200);
    const ClusterSnapshot before = live.healthy;
    QList<ClusterEvent> events;
    connect(&monitor, &ClusterMonitor::eventsOccurred, this, [&](const QList<ClusterEvent> &e) { events << e; });
    monitor.start();
    QVERIFY(fx.act(QStringLiteral("etcd1"), LocalCluster::MemberAction::Kill).ok());
    QVERIFY(fx.act(QStringLiteral("etcd2"), LocalCluster::MemberAction::Kill).ok());

    auto seen = [&](ClusterEvent::Type type) {
        return std::any_of(events.cbegin(), events.cend(), [&](const ClusterEvent &e) { return e.type == type; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(seen(ClusterEvent::Type::QuorumLost), 10000);
    // The survivor notices the missing leader after its election timeout.
    QTRY_VERIFY_WITH_TIMEOUT(!monitor.last().hasLeader(), 10000);
    const ClusterSnapshot after = monitor.last();
    QVERIFY(!after.hasQuorum());
    QCOMPARE(after.quorum().healthyVoters, 0);
    QVERIFY(after.member(after.findMember("etcd3")->id)->reachable);
}

void TestMonitorIntegration::memberAdvertisingAnUnreachableUrlIsAskedWhereItAnswers()
{
    // A member that advertises a client URL the console cannot reach (here 127.0.0.2, where
    // nothing listens: the member listens on 127.0.0.1 only), as behind NAT or with names
    // only the cluster's network resolves. The operator's endpoint reaches it.
    const Result<QList<quint16>> found = PortAllocator::freePorts(2);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QCOMPARE(ports.size(), 2);
    QTemporaryDir dir;
    const QString client = QStringLiteral("127.0.0.1:%1").arg(ports[0]);
    const QString peer = QStringLiteral("http://127.0.0.1:%1").arg(ports[1]);
    QProcess etcd;
    etcd.setStandardErrorFile(dir.filePath("etcd.log"));
    etcd.start(QStringLiteral("etcd"),
        {"--name", "solo", "--data-dir", dir.filePath("data"), "--listen-client-urls", "http://" + client,
            "--advertise-client-urls", QStringLiteral("http://127.0.0.2:%1").arg(ports[0]), "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer, "--initial-cluster", "solo=" + peer});
    QVERIFY(etcd.waitForStarted(10000));
    auto cleanup = qScopeGuard([&] {
        etcd.kill();
        etcd.waitForFinished(10000);
    });

    ConnectionSettings settings;
    settings.endpoints = {client};
    EtcdClient etcdClient(settings);
    ClusterMonitor monitor(&etcdClient);
    const ClusterSnapshot first = waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
    QVERIFY2(first.isHealthy(), qPrintable(first.members().value(0).errors.join("; ")));
    QCOMPARE(first.members().value(0).clientUrls, QStringList {QStringLiteral("http://127.0.0.2:%1").arg(ports[0])});
    // Every later tick, once the member list is known, still finds it.
    for (int i = 0; i < 5; ++i) {
        const ClusterSnapshot s = takeSnapshot(monitor);
        QVERIFY2(s.isHealthy(), qPrintable(s.members().value(0).errors.join("; ")));
    }
}

namespace {

/// A single-member etcd cluster of its own on free loopback ports, answering on every
/// client port given. Killed when destroyed.
struct SoloEtcd {
    QTemporaryDir dir;
    QProcess process;
    QStringList clientUrls;

    QString start(const QString &name, const QList<quint16> &clientPorts, quint16 peerPort)
    {
        for (quint16 port : clientPorts)
            clientUrls << QStringLiteral("http://127.0.0.1:%1").arg(port);
        const QString peer = QStringLiteral("http://127.0.0.1:%1").arg(peerPort);
        process.setStandardErrorFile(dir.filePath("etcd.log"));
        process.start(QStringLiteral("etcd"),
            {"--name", name, "--data-dir", dir.filePath("data"), "--listen-client-urls", clientUrls.join(','),
                "--advertise-client-urls", clientUrls.first(), "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster", name + "=" + peer,
                "--initial-cluster-token", name});
        return process.waitForStarted(10000) ? QString() : process.errorString();
    }

    ~SoloEtcd()
    {
        process.kill();
        process.waitForFinished(10000);
    }
};

/// The cluster id a lone endpoint answers for, once its member leads.
uint64_t clusterIdAt(const QString &endpoint)
{
    ConnectionSettings settings;
    settings.endpoints = {endpoint};
    EtcdClient client(settings);
    ClusterMonitor monitor(&client);
    return waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); }).clusterId();
}

} // namespace

void TestMonitorIntegration::endpointsOfTwoClustersAreRefused()
{
    // Two clusters, one member each; the first answers on two client ports, so that two of the
    // three endpoints given agree and the odd one comes first.
    if (QStandardPaths::findExecutable(QStringLiteral("etcd")).isEmpty())
        QD_SKIP_WITHOUT("etcd", "the two clusters run it");
    const Result<QList<quint16>> found = PortAllocator::freePorts(5);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QCOMPARE(ports.size(), 5);
    SoloEtcd one;
    SoloEtcd other;
    QCOMPARE(one.start(QStringLiteral("one"), {ports[0], ports[1]}, ports[2]), QString());
    QCOMPARE(other.start(QStringLiteral("other"), {ports[3]}, ports[4]), QString());
    const uint64_t oneId = clusterIdAt(one.clientUrls[0]);
    const uint64_t otherId = clusterIdAt(other.clientUrls[0]);
    QVERIFY(oneId != 0 && otherId != 0);
    QVERIFY(oneId != otherId);

    const QString odd = QStringLiteral("127.0.0.1:%1").arg(ports[3]);
    ConnectionSettings settings;
    settings.endpoints
        = {odd, QStringLiteral("127.0.0.1:%1").arg(ports[0]), QStringLiteral("127.0.0.1:%1").arg(ports[1])};
    EtcdClient client(settings);
    ClusterMonitor monitor(&client);
    const ClusterSnapshot mixed
        = waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return !s.endpointConflict().isEmpty(); });
    const QString expected = QStringLiteral("%1 answers for cluster %2, not cluster %3 like 127.0.0.1:%4 and "
                                            "127.0.0.1:%5; check --endpoints")
                                 .arg(odd, MemberId::toHex(otherId), MemberId::toHex(oneId))
                                 .arg(ports[0])
                                 .arg(ports[1]);
    QCOMPARE(mixed.endpointConflict(), expected);
    QVERIFY(!mixed.isHealthy());
    // Once known, the odd endpoint is not asked for the member list: the snapshots describe the
    // cluster most endpoints answer for, and keep saying what is wrong.
    const ClusterSnapshot next = takeSnapshot(monitor);
    QCOMPARE(next.clusterId(), oneId);
    QCOMPARE(next.endpointConflict(), expected);

    // The command line refuses the same endpoints with the same sentence, exit 1.
    QProcess status;
    status.start(QStringLiteral(QUORUMDECK_BINARY), {"status", "--endpoints", settings.endpoints.join(',')});
    QVERIFY(status.waitForFinished(60000));
    QCOMPARE(status.exitCode(), 1);
    QCOMPARE(QString::fromUtf8(status.readAllStandardError()).trimmed(), QStringLiteral("quorumdeck: ") + expected);

    // The same endpoints, one cluster each: no conflict.
    ConnectionSettings alone;
    alone.endpoints = {QStringLiteral("127.0.0.1:%1").arg(ports[0]), QStringLiteral("127.0.0.1:%1").arg(ports[1])};
    EtcdClient aloneClient(alone);
    ClusterMonitor aloneMonitor(&aloneClient);
    const ClusterSnapshot fine = waitForSnapshot(aloneMonitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
    QVERIFY(fine.isHealthy());
    QCOMPARE(fine.endpointConflict(), QString());
}

QTEST_GUILESS_MAIN(TestMonitorIntegration)
#include "tst_monitor_integration.moc"

#include "lb/LbMonitor.h"
#include "support/SnapshotBuilder.h"

#include <QJsonArray>
#include <QTest>

using HaproxyStats::ServerState;

/// Backends joined to members, and the drift flags, from the LB's view, the console's probe
/// and the cluster's own view.
class TestLbJoin : public QObject {
    Q_OBJECT

private slots:
    void joinsByNameOrAddress();
    void drift_data();
    void drift();
    void genericLbHasNoDrift();
    void snapshotJson();

private:
    static LbBackend backend(const QString &name, ServerState state, LbBackend::Probe probe)
    {
        LbBackend b;
        b.name = name;
        b.hasLbView = true;
        b.lbState = state;
        b.lbStatus = HaproxyStats::stateName(state);
        b.probe = probe;
        return b;
    }
};

void TestLbJoin::joinsByNameOrAddress()
{
    const ClusterSnapshot cluster = SnapshotBuilder().member(1, "etcd1", 1, 2).member(2, "etcd2", 1, 2).build();
    LbSnapshot lb;
    lb.backends << backend("etcd1", ServerState::Up, LbBackend::Probe::Ok);
    LbBackend byAddress = backend("srv-b", ServerState::Up, LbBackend::Probe::Ok);
    byAddress.address = "127.0.0.1:10002"; // etcd2's client URL
    lb.backends << byAddress << backend("stranger", ServerState::Up, LbBackend::Probe::Ok);
    LbMonitor::join(lb, cluster);
    QCOMPARE(lb.backends[0].memberId, uint64_t(1));
    QCOMPARE(lb.backends[1].memberId, uint64_t(2));
    QCOMPARE(lb.backends[1].memberName, QStringLiteral("etcd2"));
    QCOMPARE(lb.backends[2].memberId, uint64_t(0));
}

void TestLbJoin::drift_data()
{
    QTest::addColumn<int>("lbState");
    QTest::addColumn<int>("probe");
    QTest::addColumn<bool>("memberHealthy");
    QTest::addColumn<bool>("routesToUnhealthy");
    QTest::addColumn<bool>("holdsHealthyDown");
    using P = LbBackend::Probe;
    QTest::newRow("agree up") << int(ServerState::Up) << int(P::Ok) << true << false << false;
    QTest::newRow("agree down") << int(ServerState::Down) << int(P::Failed) << false << false << false;
    QTest::newRow("routes, probe fails") << int(ServerState::Up) << int(P::Failed) << true << true << false;
    QTest::newRow("routes, member down") << int(ServerState::Up) << int(P::Ok) << false << true << false;
    QTest::newRow("holds healthy down") << int(ServerState::Down) << int(P::Ok) << true << false << true;
    QTest::newRow("maint is the operator's") << int(ServerState::Maint) << int(P::Ok) << true << false << false;
    QTest::newRow("drain is the operator's") << int(ServerState::Drain) << int(P::Failed) << false << false << false;
    QTest::newRow("down, not probed") << int(ServerState::Down) << int(P::NotProbed) << true << false << false;
}

void TestLbJoin::drift()
{
    QFETCH(int, lbState);
    QFETCH(int, probe);
    QFETCH(bool, memberHealthy);
    QFETCH(bool, routesToUnhealthy);
    QFETCH(bool, holdsHealthyDown);
    SnapshotBuilder builder;
    builder.member(1, "etcd1", 1, 2);
    if (memberHealthy)
        builder.member(2, "etcd2", 1, 2);
    else
        builder.down(2, "etcd2");
    builder.member(3, "etcd3", 1, 2);
    LbSnapshot lb;
    lb.backends << backend("etcd2", ServerState(lbState), LbBackend::Probe(probe));
    LbMonitor::join(lb, builder.build());
    QCOMPARE(lb.backends[0].driftRoutesToUnhealthy, routesToUnhealthy);
    QCOMPARE(lb.backends[0].driftHoldsHealthyDown, holdsHealthyDown);
    QCOMPARE(lb.hasDrift(), routesToUnhealthy || holdsHealthyDown);
}

void TestLbJoin::genericLbHasNoDrift()
{
    // Without the LB's own view there is nothing to disagree with: only the probe shows.
    LbSnapshot lb;
    LbBackend b;
    b.name = "etcd1";
    b.probe = LbBackend::Probe::Failed;
    lb.backends << b;
    LbMonitor::join(lb, SnapshotBuilder().member(1, "etcd1", 1, 2).build());
    QVERIFY(!lb.hasDrift());
    QVERIFY(!lb.backends[0].inRotation());
}

void TestLbJoin::snapshotJson()
{
    LbSnapshot lb;
    lb.frontend = "127.0.0.1:2379";
    lb.frontendReachable = true;
    LbBackend b = backend("etcd1", ServerState::Drain, LbBackend::Probe::NotProbed);
    b.memberId = 0xab;
    b.sessions = 4;
    lb.backends << b;
    const QJsonObject o = lb.toJson();
    QCOMPARE(o.value("frontend").toObject().value("address").toString(), QStringLiteral("127.0.0.1:2379"));
    const QJsonObject j = o.value("backends").toArray().at(0).toObject();
    QCOMPARE(j.value("lbStatus").toString(), QStringLiteral("DRAIN"));
    QCOMPARE(j.value("memberId").toString(), QStringLiteral("00000000000000ab"));
    QCOMPARE(j.value("probeStatus").toString(), QStringLiteral("not-probed"));
    QVERIFY(j.value("probeLatencyMs").isNull()); // not measured, not zero
    QCOMPARE(j.value("sessions").toInt(), 4);
    QCOMPARE(j.value("driftRoutesToUnhealthy").toBool(), false);
}

QTEST_GUILESS_MAIN(TestLbJoin)
#include "tst_lbjoin.moc"

#include "cluster/MemberOps.h"
#include "common/MemberId.h"
#include "support/DemoClusterFixture.h"

/// Member operations against real etcd members, each through its pre-flight check.
class TestMemberOpsIntegration : public QObject {
    Q_OBJECT

private slots:
    void moveLeaderToEachFollower();
    void moveLeaderKnowingOnlyAFollower();
    void learnerAddStartPromoteRemove();
    void removalThatBreaksQuorumIsRefused();

private:
    static QList<MemberInfo> memberList(EtcdClient &client, const QString &endpoint);
};

QList<MemberInfo> TestMemberOpsIntegration::memberList(EtcdClient &client, const QString &endpoint)
{
    std::optional<EtcdResult<MemberListInfo>> result;
    client.memberList(endpoint, nullptr, [&](const EtcdResult<MemberListInfo> &r) { result = r; });
    (void)QTest::qWaitFor([&] { return result.has_value(); }, 5000);
    return result && result->ok() ? (*result)->members : QList<MemberInfo>();
}

void TestMemberOpsIntegration::moveLeaderToEachFollower()
{
    QD_START_LIVE_CLUSTER(live);
    DemoClusterFixture &fx = live.fx;
    EtcdClient &client = *live.client;
    ClusterMonitor &monitor = *live.monitor;
    MemberOps ops(&client);
    QSignalSpy requested(&ops, &MemberOps::leaderTransferRequested);
    ClusterSnapshot s = waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
    QVERIFY(s.isHealthy());

    // Each round hands leadership to a follower of the moment that has not led in this test
    // yet. Followers are read afresh each round: a slow machine (sanitizers) may hold an
    // election of its own between two rounds, and the test must not ask for a transfer to
    // the member that already leads.
    QSet<QString> hasLed {s.leader()->name};
    for (int round = 0; round < 2; ++round) {
        s = waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
        QVERIFY2(s.isHealthy(), qPrintable(QStringLiteral("not healthy: ") + s.disagreementDetail()));
        hasLed.insert(s.leader()->name);
        QString target;
        for (const MemberState &m : s.members()) {
            if (m.role == MemberRole::Follower && (target.isEmpty() || !hasLed.contains(m.name)))
                target = m.name;
        }
        QVERIFY(!target.isEmpty());
        const OperationResult r = awaitOperation([&](OperationCallback done) { ops.moveLeader(s, target, done); });
        QVERIFY2(r.ok(), qPrintable(r.sentence));
        // Healthy, not merely led by the target: a member's status may name the new leader
        // while its term is still the old one (etcd learns of the leader at once, and its
        // term moves with the entries it applies), as SnapshotDiff also allows for. Once
        // every member agrees, the term is settled.
        const ClusterSnapshot after = waitForSnapshot(monitor,
            [&](const ClusterSnapshot &x) { return x.isHealthy() && x.leader() && x.leader()->name == target; });
        QVERIFY(after.leader());
        QCOMPARE(after.leader()->name, target);
        QVERIFY2(after.term() > s.term(),
            qPrintable(QStringLiteral("%1 leads at term %2; before the transfer %3 led at term %4")
                           .arg(target)
                           .arg(after.term())
                           .arg(s.leader()->name)
                           .arg(s.term())));
        hasLed.insert(target);
    }
    QCOMPARE(requested.size(), 2);
}

void TestMemberOpsIntegration::moveLeaderKnowingOnlyAFollower()
{
    DemoClusterFixture fx;
    const QString error = fx.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Find a follower with a full view, then connect through that follower alone.
    EtcdClient full(fx.settings());
    ClusterMonitor fullMonitor(&full);
    const ClusterSnapshot s = waitForSnapshot(fullMonitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
    QVERIFY(s.isHealthy());
    const MemberState *follower = nullptr;
    for (const MemberState &m : s.members()) {
        if (m.role == MemberRole::Follower)
            follower = &m;
    }
    QVERIFY(follower);

    ConnectionSettings onlyFollower;
    onlyFollower.endpoints = {follower->clientUrls.first()};
    EtcdClient client(onlyFollower);
    ClusterMonitor monitor(&client);
    MemberOps ops(&client);
    const ClusterSnapshot view = waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
    QCOMPARE(view.members().size(), 3);
    // No target: the most up-to-date follower is chosen, and the request goes to the leader.
    const OperationResult r = awaitOperation([&](OperationCallback done) { ops.moveLeader(view, QString(), done); });
    QVERIFY2(r.ok(), qPrintable(r.sentence));
    const uint64_t target = MemberId::fromHex(r.details.value("to").toString()).value_or(0);
    QVERIFY(target != 0 && target != view.leaderId());
    const ClusterSnapshot after
        = waitForSnapshot(monitor, [&](const ClusterSnapshot &x) { return x.leaderId() == target; });
    QCOMPARE(after.leaderId(), target);
}

void TestMemberOpsIntegration::learnerAddStartPromoteRemove()
{
    QD_START_LIVE_CLUSTER(live);
    DemoClusterFixture &fx = live.fx;
    EtcdClient &client = *live.client;
    ClusterMonitor &monitor = *live.monitor;
    MemberOps ops(&client);
    ClusterSnapshot s = waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
    QVERIFY(s.isHealthy());

    const Result<LocalCluster::MemberUrls> urls = fx.cluster().reserveUrls();
    QVERIFY(urls.ok());
    const QString peerUrl = urls->peer;
    const QString clientUrl = urls->client;
    const OperationResult added
        = awaitOperation([&](OperationCallback done) { ops.addMember(s, "etcd4", {peerUrl}, true, done); });
    QVERIFY2(added.ok(), qPrintable(added.sentence));
    QVERIFY(added.details.value("initialCluster").toString().contains("etcd4=" + peerUrl));
    const uint64_t id = MemberId::fromHex(added.details.value("id").toString()).value_or(0);
    QVERIFY(id != 0);

    // Added but not started: listed as a learner without a name.
    s = waitForSnapshot(monitor, [&](const ClusterSnapshot &x) { return x.member(id) != nullptr; });
    QVERIFY(s.member(id)->isLearner);
    QVERIFY(!s.member(id)->reachable);
    // A learner not yet running cannot be promoted: the pre-flight check says why.
    const OperationResult early
        = awaitOperation([&](OperationCallback done) { ops.promoteMember(s, MemberId::toHex(id), done); });
    QCOMPARE(early.status, OperationResult::Status::Refused);
    QVERIFY(early.sentence.contains("unreachable"));

    const OperationResult started = awaitOperation([&](OperationCallback done) {
        fx.cluster().startJoiningMember(
            "etcd4", peerUrl, clientUrl, added.details.value("initialCluster").toString(), done);
    });
    QVERIFY2(started.ok(), qPrintable(started.sentence));
    s = waitForSnapshot(monitor, [&](const ClusterSnapshot &x) {
        const MemberState *m = x.member(id);
        return m && m->reachable && m->role == MemberRole::Learner;
    });
    QCOMPARE(s.member(id)->name, QStringLiteral("etcd4"));
    QCOMPARE(s.quorum().voters, 3);

    const OperationResult promoted
        = awaitOperation([&](OperationCallback done) { ops.promoteMember(s, "etcd4", done); });
    QVERIFY2(promoted.ok(), qPrintable(promoted.sentence));
    s = waitForSnapshot(
        monitor, [&](const ClusterSnapshot &x) { return x.member(id) && !x.member(id)->isLearner && x.isHealthy(); });
    QCOMPARE(s.quorum().voters, 4);
    QCOMPARE(s.quorum().quorum, 3);

    const OperationResult removed
        = awaitOperation([&](OperationCallback done) { ops.removeMember(s, "etcd4", false, done); });
    QVERIFY2(removed.ok(), qPrintable(removed.sentence));
    QCOMPARE(removed.details.value("after").toObject().value("voters").toInt(), 3);
    s = waitForSnapshot(monitor, [&](const ClusterSnapshot &x) { return !x.member(id) && x.isHealthy(); });
    QCOMPARE(s.members().size(), 3);
    QVERIFY(awaitOperation([&](OperationCallback done) { fx.cluster().discardMember("etcd4", done); }).ok());
}

void TestMemberOpsIntegration::removalThatBreaksQuorumIsRefused()
{
    QD_START_LIVE_CLUSTER(live);
    DemoClusterFixture &fx = live.fx;
    EtcdClient &client = *live.client;
    ClusterMonitor &monitor = *live.monitor;
    MemberOps ops(&client);
    QVERIFY(fx.act("etcd3", LocalCluster::MemberAction::Kill).ok());
    const ClusterSnapshot s = waitForSnapshot(monitor, [](const ClusterSnapshot &x) {
        const MemberState *m = x.findMember("etcd3");
        return m && !m->reachable && x.hasLeader();
    });
    QVERIFY(s.hasLeader());
    const QList<MemberInfo> before = memberList(client, fx.endpoints().first());
    QCOMPARE(before.size(), 3);

    const OperationResult r = awaitOperation([&](OperationCallback done) { ops.removeMember(s, "etcd2", true, done); });
    QCOMPARE(r.status, OperationResult::Status::Refused);
    QVERIFY2(r.sentence.contains("below the quorum of 2"), qPrintable(r.sentence));
    QCOMPARE(r.details.value("after").toObject().value("healthyVoters").toInt(), 1);
    QCOMPARE(memberList(client, fx.endpoints().first()), before);
}

QTEST_GUILESS_MAIN(TestMemberOpsIntegration)
#include "tst_memberops_integration.moc"

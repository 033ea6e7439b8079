#include "cluster/Preflight.h"
#include "support/SnapshotBuilder.h"

#include <QTest>

class TestPreflight : public QObject {
    Q_OBJECT

private slots:
    void moveLeaderPicksMostUpToDateFollower();
    void moveLeaderRefusals_data();
    void moveLeaderRefusals();
    void moveLeaderGoesToTheLeader();
    void removeFollowerOfFiveIsAllowed();
    void removeFromThreeNeedsForce();
    void removeThatBreaksQuorumIsRefused();
    void removeDownMemberKeepsQuorum();
    void removeLastVoterIsRefused();
    void removeLearnerLeavesQuorumAlone();
    void removeWithoutQuorumIsRefused();
    void promote();
    void addVoter_data();
    void addVoter();
    void addLearnerNeedsOnlyQuorum();
};

namespace {

ClusterSnapshot five()
{
    return SnapshotBuilder()
        .member(1, "a", 1, 3, 100)
        .member(2, "b", 1, 3, 90)
        .member(3, "c", 1, 3, 99)
        .member(4, "d", 1, 3, 95)
        .member(5, "e", 1, 3, 80)
        .build();
}

} // namespace

void TestPreflight::moveLeaderPicksMostUpToDateFollower()
{
    const MoveLeaderPlan plan = Preflight::moveLeader(five(), QString());
    QVERIFY(plan.allowed);
    QCOMPARE(plan.targetId, 3u);
    QCOMPARE(plan.leaderId, 1u);
}

void TestPreflight::moveLeaderRefusals_data()
{
    QTest::addColumn<ClusterSnapshot>("snapshot");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("reason");
    const ClusterSnapshot withLearner = SnapshotBuilder()
                                            .member(1, "a", 1, 3)
                                            .member(2, "b", 1, 3)
                                            .member(3, "l", 1, 3, 100, true)
                                            .down(4, "d")
                                            .build();
    QTest::newRow("learner") << withLearner << "l"
                             << "learner";
    QTest::newRow("unknown") << withLearner << "zzz"
                             << "no member";
    QTest::newRow("unreachable") << withLearner << "d"
                                 << "unreachable";
    QTest::newRow("already leader") << withLearner << "a"
                                    << "already the leader";
    QTest::newRow("no leader") << SnapshotBuilder().member(1, "a", 0, 3).down(2, "b").build() << "b"
                               << "no leader";
    QTest::newRow("only a follower of an older term to pick")
        << SnapshotBuilder().member(1, "a", 1, 4).member(2, "b", 1, 3).down(3, "c").build() << ""
        << "no reachable follower";
    QTest::newRow("nobody to pick")
        << SnapshotBuilder().member(1, "a", 1, 3).down(2, "b").member(3, "l", 1, 3, 1, true).build() << ""
        << "no reachable follower";
}

void TestPreflight::moveLeaderRefusals()
{
    QFETCH(ClusterSnapshot, snapshot);
    QFETCH(QString, target);
    QFETCH(QString, reason);
    const MoveLeaderPlan plan = Preflight::moveLeader(snapshot, target);
    QVERIFY(!plan.allowed);
    QVERIFY2(plan.sentence.contains(reason), qPrintable(plan.sentence));
}

void TestPreflight::moveLeaderGoesToTheLeader()
{
    const MoveLeaderPlan plan = Preflight::moveLeader(five(), "e");
    QVERIFY(plan.allowed);
    QCOMPARE(plan.leaderEndpoint, QStringLiteral("http://127.0.0.1:10001"));
    QCOMPARE(plan.targetId, 5u);
}

void TestPreflight::removeFollowerOfFiveIsAllowed()
{
    const RemovePlan plan = Preflight::remove(five(), "b", false);
    QCOMPARE(plan.verdict, RemovePlan::Verdict::Allowed);
    QCOMPARE(plan.before, QuorumFigures::of(5, 5));
    QCOMPARE(plan.after, QuorumFigures::of(4, 4));
    QCOMPARE(plan.after.faultTolerance, 1);
    QCOMPARE(plan.endpoint, QStringLiteral("http://127.0.0.1:10001"));
}

void TestPreflight::removeFromThreeNeedsForce()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).member(3, "c", 1, 3).build();
    const RemovePlan warned = Preflight::remove(s, "c", false);
    QCOMPARE(warned.verdict, RemovePlan::Verdict::NeedsForce);
    QVERIFY(warned.sentence.contains("--force"));
    QVERIFY(warned.sentence.contains("3 voters · quorum 2 · survives 1 failure"));
    QVERIFY(warned.sentence.contains("2 voters · quorum 2 · survives no failure"));
    QCOMPARE(Preflight::remove(s, "c", true).verdict, RemovePlan::Verdict::Allowed);
}

void TestPreflight::removeThatBreaksQuorumIsRefused()
{
    // One voter of three is already down; removing a healthy one leaves 1 healthy of 2.
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).down(3, "c").build();
    const RemovePlan plan = Preflight::remove(s, "b", true); // --force never overrides a refusal
    QCOMPARE(plan.verdict, RemovePlan::Verdict::Refused);
    QVERIFY2(plan.sentence.contains("below the quorum"), qPrintable(plan.sentence));
    QCOMPARE(plan.after.healthyVoters, 1);
    QCOMPARE(plan.after.quorum, 2);
}

void TestPreflight::removeDownMemberKeepsQuorum()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).down(3, "c").build();
    const RemovePlan plan = Preflight::remove(s, "c", false);
    QCOMPARE(plan.verdict, RemovePlan::Verdict::NeedsForce);
    QCOMPARE(plan.after, QuorumFigures::of(2, 2));
}

void TestPreflight::removeLastVoterIsRefused()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 3).build();
    const RemovePlan plan = Preflight::remove(s, "a", true);
    QCOMPARE(plan.verdict, RemovePlan::Verdict::Refused);
    QVERIFY(plan.sentence.contains("last voter"));
    QVERIFY2(plan.sentence.contains("before: 1 voter"), qPrintable(plan.sentence));
}

void TestPreflight::removeLearnerLeavesQuorumAlone()
{
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 3)
                                  .member(2, "b", 1, 3)
                                  .member(3, "c", 1, 3)
                                  .member(4, "l", 1, 3, 50, true)
                                  .build();
    const RemovePlan plan = Preflight::remove(s, "l", false);
    QCOMPARE(plan.verdict, RemovePlan::Verdict::Allowed);
    QCOMPARE(plan.after, plan.before);
}

void TestPreflight::removeWithoutQuorumIsRefused()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 0, 3).down(2, "b").down(3, "c").build();
    const RemovePlan plan = Preflight::remove(s, "b", true);
    QCOMPARE(plan.verdict, RemovePlan::Verdict::Refused);
    QVERIFY(plan.sentence.contains("no voting member") || plan.sentence.contains("no quorum"));
}

void TestPreflight::promote()
{
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 3, 1000)
                                  .member(2, "b", 1, 3, 1000)
                                  .member(3, "l", 1, 3, 950, true)
                                  .build();
    const PromotePlan plan = Preflight::promote(s, "l");
    QVERIFY(plan.allowed);
    QCOMPARE(plan.behind, 50);
    QCOMPARE(plan.caughtUpPercent, 95.0);
    QVERIFY(plan.sentence.contains("50 entries behind"));

    QVERIFY(!Preflight::promote(s, "b").allowed);
    QVERIFY(Preflight::promote(s, "b").sentence.contains("already votes"));
    const ClusterSnapshot down = SnapshotBuilder().member(1, "a", 1, 3).down(3, "l", true).build();
    QVERIFY(Preflight::promote(down, "l").sentence.contains("unreachable"));
}

void TestPreflight::addVoter_data()
{
    QTest::addColumn<ClusterSnapshot>("snapshot");
    QTest::addColumn<QString>("problem");
    QTest::newRow("healthy three")
        << SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).member(3, "c", 1, 3).build() << "";
    QTest::newRow("one of three down: quorum lost until it starts")
        << SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).down(3, "c").build()
        << "2 healthy of 4 voters, below the quorum of 3";
    QTest::newRow("one of five down: etcd would refuse") << SnapshotBuilder()
                                                                .member(1, "a", 1, 3)
                                                                .member(2, "b", 1, 3)
                                                                .member(3, "c", 1, 3)
                                                                .member(4, "d", 1, 3)
                                                                .down(5, "e")
                                                                .build()
                                                         << "and e is not; restart or remove it first";
    QTest::newRow("growing from one member, as etcd allows") << SnapshotBuilder().member(1, "a", 1, 2).build() << "";
    QTest::newRow("no quorum") << SnapshotBuilder().member(1, "a", 0, 3).down(2, "b").down(3, "c").build()
                               << "no quorum now";
}

void TestPreflight::addVoter()
{
    QFETCH(ClusterSnapshot, snapshot);
    QFETCH(QString, problem);
    const QString result = Preflight::add(snapshot, false);
    if (problem.isEmpty())
        QCOMPARE(result, QString());
    else
        QVERIFY2(result.contains(problem), qPrintable(result));
}

void TestPreflight::addLearnerNeedsOnlyQuorum()
{
    const ClusterSnapshot oneDown = SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).down(3, "c").build();
    QCOMPARE(Preflight::add(oneDown, true), QString());
    const ClusterSnapshot noQuorum = SnapshotBuilder().member(1, "a", 0, 3).down(2, "b").down(3, "c").build();
    QVERIFY(Preflight::add(noQuorum, true).contains("no quorum now"));
}

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"

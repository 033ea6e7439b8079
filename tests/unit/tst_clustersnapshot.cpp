#include "support/SnapshotBuilder.h"

#include <QJsonArray>
#include <QTest>

Q_DECLARE_METATYPE(EndpointAnswer)

class TestClusterSnapshot : public QObject {
    Q_OBJECT

private slots:
    void quorumFigures_data();
    void quorumFigures();
    void quorumFiguresAfterAChange();
    void rolesFromStatus();
    void learnersDoNotCountTowardsQuorum();
    void unreachableMembersLoseTheirVote();
    void leaderOfHighestTermWins();
    void campaigningMemberDoesNotUnseatTheLeader();
    void disagreementIsFlagged();
    void noLeaderMeansNoQuorum();
    void lagIsMeasuredAgainstLeader();
    void alarmsAreAttributedToTheirMember();
    void lagOfAnUnreachableMemberIsUnknown();
    void memberOfAnotherClusterIsNotCounted();
    void endpointsOfAnotherClusterAreRefused_data();
    void endpointsOfAnotherClusterAreRefused();
    void endpointsOfOneClusterAreNoConflict();
    void unstartedMemberIsExplained();
    void findMemberByNameHexOrDecimal();
    void jsonHasTheDocumentedKeys();
};

void TestClusterSnapshot::quorumFigures_data()
{
    QTest::addColumn<int>("voters");
    QTest::addColumn<int>("healthy");
    QTest::addColumn<int>("quorum");
    QTest::addColumn<int>("tolerance");
    QTest::addColumn<bool>("hasQuorum");
    QTest::addColumn<QString>("text");
    QTest::newRow("1 of 1") << 1 << 1 << 1 << 0 << true << "1 voter · quorum 1 · survives no failure";
    QTest::newRow("2 of 2") << 2 << 2 << 2 << 0 << true << "2 voters · quorum 2 · survives no failure";
    QTest::newRow("3 of 3") << 3 << 3 << 2 << 1 << true << "3 voters · quorum 2 · survives 1 failure";
    QTest::newRow("2 of 3") << 3 << 2 << 2 << 0 << true << "3 voters · quorum 2 · survives no failure";
    QTest::newRow("1 of 3") << 3 << 1 << 2 << 0 << false << "3 voters · quorum 2 · quorum lost";
    QTest::newRow("4 of 4") << 4 << 4 << 3 << 1 << true << "4 voters · quorum 3 · survives 1 failure";
    QTest::newRow("5 of 5") << 5 << 5 << 3 << 2 << true << "5 voters · quorum 3 · survives 2 failures";
    QTest::newRow("6 of 6") << 6 << 6 << 4 << 2 << true << "6 voters · quorum 4 · survives 2 failures";
    QTest::newRow("7 of 7") << 7 << 7 << 4 << 3 << true << "7 voters · quorum 4 · survives 3 failures";
    QTest::newRow("4 of 7") << 7 << 4 << 4 << 0 << true << "7 voters · quorum 4 · survives no failure";
    QTest::newRow("3 of 7") << 7 << 3 << 4 << 0 << false << "7 voters · quorum 4 · quorum lost";
}

void TestClusterSnapshot::quorumFigures()
{
    QFETCH(int, voters);
    QFETCH(int, healthy);
    const QuorumFigures q = QuorumFigures::of(voters, healthy);
    QTEST(q.quorum, "quorum");
    QTEST(q.faultTolerance, "tolerance");
    QTEST(q.hasQuorum(), "hasQuorum");
    QTEST(q.describe(), "text");

    // The same figures must come out of a real snapshot of that many voters.
    SnapshotBuilder b;
    for (int i = 1; i <= voters; ++i) {
        if (i <= healthy)
            b.member(i, QStringLiteral("m%1").arg(i), 1, 5);
        else
            b.down(i, QStringLiteral("m%1").arg(i));
    }
    const ClusterSnapshot s = b.build();
    QCOMPARE(s.quorum(), q);
}

void TestClusterSnapshot::quorumFiguresAfterAChange()
{
    // Three voters, all healthy: quorum 2, survives 1.
    const QuorumFigures three = QuorumFigures::of(3, 3);
    // A fourth voter that has not started yet: quorum 3 out of 3 that answer, survives none.
    QCOMPARE(three.withVoterJoining(), QuorumFigures::of(4, 3));
    QCOMPARE(three.withVoterJoining().quorum, 3);
    QCOMPARE(three.withVoterJoining().faultTolerance, 0);
    // Removing a healthy voter leaves 2 of 2: quorum 2, survives none.
    QCOMPARE(three.withVoterRemoved(true), QuorumFigures::of(2, 2));
    QCOMPARE(three.withVoterRemoved(true).faultTolerance, 0);
    // Removing a voter that was down leaves the healthy count alone.
    const QuorumFigures oneDown = QuorumFigures::of(3, 2);
    QCOMPARE(oneDown.withVoterRemoved(false), QuorumFigures::of(2, 2));
    QVERIFY(oneDown.withVoterRemoved(false).hasQuorum());
    // Taking one more healthy voter down from 2 of 3 loses the quorum; from 3 of 3 it does not.
    QVERIFY(!oneDown.withVoterDown().hasQuorum());
    QVERIFY(three.withVoterDown().hasQuorum());
    // Five voters survive two failures, and one at a time in a defragmentation keeps quorum.
    const QuorumFigures five = QuorumFigures::of(5, 5);
    QCOMPARE(five.faultTolerance, 2);
    QCOMPARE(five.withVoterDown().faultTolerance, 1);
}

void TestClusterSnapshot::rolesFromStatus()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 2, 7).member(2, "b", 2, 7).member(3, "c", 2, 7).build();
    QCOMPARE(s.leaderId(), 2u);
    QCOMPARE(s.term(), 7u);
    QCOMPARE(s.member(1)->role, MemberRole::Follower);
    QCOMPARE(s.member(2)->role, MemberRole::Leader);
    QCOMPARE(s.member(3)->role, MemberRole::Follower);
    QVERIFY(s.isHealthy());
    QVERIFY(!s.disagreement());
}

void TestClusterSnapshot::learnersDoNotCountTowardsQuorum()
{
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 3)
                                  .member(2, "b", 1, 3)
                                  .member(3, "c", 1, 3)
                                  .member(4, "l", 1, 3, 90, true)
                                  .build();
    QCOMPARE(s.member(4)->role, MemberRole::Learner);
    QCOMPARE(s.quorum().voters, 3);
    QCOMPARE(s.quorum().quorum, 2);
    QCOMPARE(s.quorum().faultTolerance, 1);

    // An unreachable learner is still shown as a learner, and still costs no vote.
    const ClusterSnapshot t = SnapshotBuilder().member(1, "a", 1, 3).down(4, "l", true).build();
    QCOMPARE(t.member(4)->role, MemberRole::Learner);
    QCOMPARE(t.quorum().voters, 1);
    QVERIFY(t.hasQuorum());
}

void TestClusterSnapshot::unreachableMembersLoseTheirVote()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).down(3, "c").build();
    QCOMPARE(s.member(3)->role, MemberRole::Unknown);
    QVERIFY(!s.member(3)->reachable);
    QVERIFY(s.member(3)->errors.value(0).contains("deadline"));
    QCOMPARE(s.quorum().healthyVoters, 2);
    QCOMPARE(s.quorum().faultTolerance, 0);
    QVERIFY(s.hasQuorum());
    QVERIFY(!s.isHealthy());
}

void TestClusterSnapshot::leaderOfHighestTermWins()
{
    // Member 1 was cut off and still believes it leads term 4; the others moved on to term 5.
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 4).member(2, "b", 3, 5).member(3, "c", 3, 5).build();
    QCOMPARE(s.leaderId(), 3u);
    QCOMPARE(s.term(), 5u);
    // It neither leads nor follows, and says so.
    QCOMPARE(s.member(1)->role, MemberRole::Unknown);
    QVERIFY(s.member(1)->errors.join(' ').contains("believes it leads at term 4"));
    QCOMPARE(s.member(3)->role, MemberRole::Leader);
    QVERIFY(s.disagreement());
    QVERIFY(s.disagreementDetail().contains("term 4"));
    // The cut-off member does not count towards quorum.
    QCOMPARE(s.quorum().healthyVoters, 2);
    QVERIFY(!s.member(1)->isHealthyVoter());
}

void TestClusterSnapshot::campaigningMemberDoesNotUnseatTheLeader()
{
    // Member 3 lost touch with its peers and campaigns at ever higher terms (no pre-vote);
    // the other two still run term 5 under member 1.
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 5).member(2, "b", 1, 5).member(3, "c", 0, 9).build();
    QCOMPARE(s.leaderId(), 1u);
    QCOMPARE(s.term(), 5u);
    QCOMPARE(s.member(1)->role, MemberRole::Leader);
    QCOMPARE(s.quorum().healthyVoters, 2);
    QVERIFY(s.hasQuorum());
    QVERIFY(s.disagreement());
    QVERIFY2(s.disagreementDetail().contains("c is at term 9, the cluster at 5 with no leader (campaigning"),
        qPrintable(s.disagreementDetail()));
}

void TestClusterSnapshot::disagreementIsFlagged()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 6).member(2, "b", 2, 6).member(3, "c", 1, 6).build();
    QCOMPARE(s.leaderId(), 1u); // two of three name member 1
    QVERIFY(s.disagreement());
    QVERIFY(s.disagreementDetail().contains("different leaders"));
    QVERIFY(!s.isHealthy());
}

void TestClusterSnapshot::noLeaderMeansNoQuorum()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 0, 9).down(2, "b").down(3, "c").build();
    QVERIFY(!s.hasLeader());
    QVERIFY(!s.hasQuorum());
    QCOMPARE(s.quorum().healthyVoters, 0);
    QCOMPARE(s.member(1)->role, MemberRole::Follower);
    QVERIFY(s.member(1)->errors.contains("etcdserver: no leader"));
}

void TestClusterSnapshot::lagIsMeasuredAgainstLeader()
{
    const ClusterSnapshot s
        = SnapshotBuilder().member(1, "a", 1, 2, 500).member(2, "b", 1, 2, 480).member(3, "c", 1, 2, 510).build();
    QCOMPARE(s.member(1)->lag, 0);
    QCOMPARE(s.member(2)->lag, 20);
    QCOMPARE(s.member(3)->lag, 0); // ahead of a slightly stale leader reading: never negative
}

void TestClusterSnapshot::alarmsAreAttributedToTheirMember()
{
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 2)
                                  .member(2, "b", 1, 2)
                                  .alarm(1, 2, "NOSPACE")
                                  .alarm(2, 2, "NOSPACE")
                                  .build();
    QCOMPARE(s.member(1)->alarms, QStringList());
    QCOMPARE(s.member(2)->alarms, QStringList {"NOSPACE"});
    // Errors carry a member's own alarms, in words; etcd's copy of every alarm is dropped.
    QCOMPARE(s.member(1)->errors, QStringList());
    QCOMPARE(s.member(2)->errors, QStringList {"NOSPACE alarm raised"});
}

void TestClusterSnapshot::lagOfAnUnreachableMemberIsUnknown()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 3).member(2, "b", 1, 3).down(3, "c").build();
    QVERIFY(s.member(3)->toJson().value("lag").isNull());
    QCOMPARE(s.member(2)->toJson().value("lag").toInteger(), 0);
}

void TestClusterSnapshot::memberOfAnotherClusterIsNotCounted()
{
    MemberListInfo list;
    list.header.clusterId = 0xc1;
    QHash<uint64_t, StatusObservation> statuses;
    for (uint64_t id : {1, 2, 3}) {
        list.members << MemberInfo {
            id, QStringLiteral("m%1").arg(id), {}, {QStringLiteral("http://h%1:2379").arg(id)}, false};
        StatusInfo st;
        st.header = {id == 3 ? 0xc2u : 0xc1u, id, 1, 4};
        st.leader = id == 3 ? 3 : 1; // bootstrapped again on its own, it leads its own cluster
        st.raftTerm = id == 3 ? 9 : 4;
        StatusObservation obs;
        obs.status = st;
        statuses.insert(id, obs);
    }
    const ClusterSnapshot s = ClusterSnapshot::build(5, list, true, statuses);
    QCOMPARE(s.leaderId(), 1u);
    QCOMPARE(s.term(), 4u);
    QVERIFY(!s.member(3)->reachable);
    QVERIFY2(s.member(3)->errors.value(0).contains("answers for another cluster (00000000000000c2)"),
        qPrintable(s.member(3)->errors.join("; ")));
    QCOMPARE(s.quorum().healthyVoters, 2);
    QVERIFY(s.disagreementDetail().contains("m3 answers for another cluster"));
}

void TestClusterSnapshot::endpointsOfAnotherClusterAreRefused_data()
{
    QTest::addColumn<QList<EndpointAnswer>>("endpoints");
    QTest::addColumn<QString>("sentence");
    QTest::addColumn<QStringList>("foreign");
    const QString a = "http://127.0.0.1:2379";
    const QString b = "http://127.0.0.1:2389";
    const QString c = "http://127.0.0.1:2479";
    const QString d = "https://10.0.0.9:2379";
    QTest::newRow("one odd, last") << QList<EndpointAnswer> {{a, 0x3a2b}, {b, 0x3a2b}, {c, 0x9f1c}}
                                   << "127.0.0.1:2479 answers for cluster 0000000000009f1c, not cluster "
                                      "0000000000003a2b like 127.0.0.1:2379 and 127.0.0.1:2389; check --endpoints"
                                   << QStringList {c};
    // The majority decides, even against the first endpoint.
    QTest::newRow("one odd, first") << QList<EndpointAnswer> {{c, 0x9f1c}, {a, 0x3a2b}, {b, 0x3a2b}}
                                    << "127.0.0.1:2479 answers for cluster 0000000000009f1c, not cluster "
                                       "0000000000003a2b like 127.0.0.1:2379 and 127.0.0.1:2389; check --endpoints"
                                    << QStringList {c};
    // On a tie the first endpoint's cluster is the one meant.
    QTest::newRow("tie") << QList<EndpointAnswer> {{a, 0x3a2b}, {c, 0x9f1c}}
                         << "127.0.0.1:2479 answers for cluster 0000000000009f1c, not cluster 0000000000003a2b like "
                            "127.0.0.1:2379; check --endpoints"
                         << QStringList {c};
    QTest::newRow("tie, first wins") << QList<EndpointAnswer> {{c, 0x9f1c}, {a, 0x3a2b}}
                                     << "127.0.0.1:2379 answers for cluster 0000000000003a2b, not cluster "
                                        "0000000000009f1c like 127.0.0.1:2479; check --endpoints"
                                     << QStringList {a};
    // An endpoint that did not answer says nothing; a scheme other than http is kept.
    QTest::newRow("three clusters, one silent")
        << QList<EndpointAnswer> {{a, 0x3a2b}, {b, 0}, {c, 0x9f1c}, {d, 0x77}}
        << "127.0.0.1:2479 answers for cluster 0000000000009f1c and https://10.0.0.9:2379 answers for cluster "
           "0000000000000077, not cluster 0000000000003a2b like 127.0.0.1:2379; check --endpoints"
        << QStringList {c, d};
}

void TestClusterSnapshot::endpointsOfAnotherClusterAreRefused()
{
    QFETCH(QList<EndpointAnswer>, endpoints);
    SnapshotBuilder builder;
    builder.member(1, "a", 1, 2).member(2, "b", 1, 2).member(3, "c", 1, 2);
    for (const EndpointAnswer &e : endpoints)
        builder.endpoint(e.endpoint, e.clusterId);
    const ClusterSnapshot s = builder.build();
    QTEST(s.endpointConflict(), "sentence");
    QTEST(s.foreignEndpoints(), "foreign");
    // Everything else about the members may look fine; a mix of clusters is not.
    QVERIFY(s.hasLeader() && s.allReachable() && !s.disagreement());
    QVERIFY(!s.isHealthy());
    QCOMPARE(s.toJson().value("endpointConflict").toString(), s.endpointConflict());
}

void TestClusterSnapshot::endpointsOfOneClusterAreNoConflict()
{
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 2)
                                  .member(2, "b", 1, 2)
                                  .endpoint("http://127.0.0.1:2379", 0xc1)
                                  .endpoint("http://127.0.0.1:2389", 0xc1)
                                  .endpoint("http://127.0.0.1:2399", 0) // down: no answer, no cluster
                                  .build();
    QCOMPARE(s.endpointConflict(), QString());
    QVERIFY(s.foreignEndpoints().isEmpty());
    QVERIFY(s.isHealthy());
    QVERIFY(!s.toJson().contains("endpointConflict"));
}

void TestClusterSnapshot::unstartedMemberIsExplained()
{
    MemberListInfo list;
    list.members << MemberInfo {7, QString(), {"http://127.0.0.1:2380"}, {}, true};
    const ClusterSnapshot s = ClusterSnapshot::build(5, list, true, {});
    QVERIFY(!s.member(7)->reachable);
    QVERIFY(s.member(7)->errors.value(0).startsWith("not started"));
    QCOMPARE(s.member(7)->displayName(), QStringLiteral("0000000000000007"));
}

void TestClusterSnapshot::findMemberByNameHexOrDecimal()
{
    const ClusterSnapshot s = SnapshotBuilder().member(0xabc, "alpha", 0xabc, 1).member(2, "beta", 0xabc, 1).build();
    QCOMPARE(s.findMember("alpha")->id, 0xabcu);
    QCOMPARE(s.findMember("0000000000000abc")->id, 0xabcu);
    QCOMPARE(s.findMember("abc")->id, 0xabcu);
    QCOMPARE(s.findMember("2748")->id, 0xabcu); // decimal, as etcdctl's JSON prints ids
    QVERIFY(!s.findMember("gamma"));
}

void TestClusterSnapshot::jsonHasTheDocumentedKeys()
{
    const ClusterSnapshot s = SnapshotBuilder().member(0x1f, "a", 0x1f, 4).down(2, "b").build();
    const QJsonObject o = s.toJson();
    for (const char *key : {"clusterId", "leader", "term", "quorum", "faultTolerance", "members"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    QCOMPARE(o.value("leader").toString(), QStringLiteral("000000000000001f"));
    QCOMPARE(o.value("term").toInt(), 4);
    const QJsonArray members = o.value("members").toArray();
    QCOMPARE(members.size(), 2);
    const QJsonObject m = members.at(0).toObject();
    for (const char *key : {"id", "name", "peerURLs", "clientURLs", "role", "reachable", "version", "term", "raftIndex",
             "appliedIndex", "dbSize", "dbSizeInUse", "latencyMs", "errors"})
        QVERIFY2(m.contains(QLatin1String(key)), key);
    QCOMPARE(m.value("id").toString().size(), 16);
    QCOMPARE(m.value("role").toString(), QStringLiteral("leader"));
    QCOMPARE(members.at(1).toObject().value("reachable").toBool(), false);

    const QJsonObject none = SnapshotBuilder().member(1, "a", 0, 4).build().toJson();
    QVERIFY(none.value("leader").isNull());
}

QTEST_GUILESS_MAIN(TestClusterSnapshot)
#include "tst_clustersnapshot.moc"

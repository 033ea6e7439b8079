#include "cluster/SnapshotDiff.h"
#include "support/SnapshotBuilder.h"

#include <QJsonObject>
#include <QTest>

using T = ClusterEvent::Type;

class TestSnapshotDiff : public QObject {
    Q_OBJECT

private slots:
    void events_data();
    void events();
    void eventsCarryTheNewSnapshotsTime();
    void leaderChangeDetails();
    void unseenElections_data();
    void unseenElections();
    void unseenElectionsComeBeforeTheLeaderChange();
    void newLeaderAtTheOldTermIsNoUnseenElection();
    void noUnseenElectionsAfterALeaderlessStretch();
    void unseenElectionsSurviveJson();
    void newLeaderReportedAtTheOldTermGetsTheNextTerm();
    void requestedTransferIsMarked();
    void electionAfterLeaderlessTicksNamesThePreviousLeader();
    void firstSnapshotHasNoEvents();
    void staleMemberListSaysNothingAboutMembership();
};

namespace {

ClusterSnapshot healthy3(uint64_t leader, uint64_t term, qint64 t = 1000)
{
    return SnapshotBuilder(t)
        .member(1, "a", leader, term)
        .member(2, "b", leader, term)
        .member(3, "c", leader, term)
        .build();
}

QStringList typesOf(const QList<ClusterEvent> &events)
{
    QStringList out;
    for (const ClusterEvent &e : events)
        out << ClusterEvent::typeName(e.type);
    return out;
}

} // namespace

void TestSnapshotDiff::events_data()
{
    QTest::addColumn<ClusterSnapshot>("before");
    QTest::addColumn<ClusterSnapshot>("after");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("nothing changed") << healthy3(1, 2) << healthy3(1, 2, 2000) << QStringList {};
    QTest::newRow("leader changed") << healthy3(1, 2) << healthy3(2, 3, 2000) << QStringList {"LeaderChanged"};
    QTest::newRow("term changed, same leader")
        << healthy3(1, 2) << healthy3(1, 4, 2000) << QStringList {"ElectionsUnseen"};
    QTest::newRow("leader changed, a term skipped")
        << healthy3(1, 2) << healthy3(2, 4, 2000) << QStringList {"ElectionsUnseen", "LeaderChanged"};
    QTest::newRow("leader killed") << healthy3(
        1, 2) << SnapshotBuilder(2000).down(1, "a").member(2, "b", 3, 3).member(3, "c", 3, 3).build()
                                   << QStringList {"LeaderChanged", "MemberUnreachable"};
    QTest::newRow("leader lost, quorum lost")
        << healthy3(1, 2) << SnapshotBuilder(2000).member(1, "a", 0, 2).down(2, "b").down(3, "c").build()
        << QStringList {"QuorumLost", "LeaderLost", "MemberUnreachable", "MemberUnreachable"};
    QTest::newRow("quorum restored")
        << SnapshotBuilder().member(1, "a", 0, 2).down(2, "b").down(3, "c").build()
        << SnapshotBuilder(2000).member(1, "a", 1, 4).member(2, "b", 1, 4).down(3, "c").build()
        << QStringList {"LeaderChanged", "QuorumRestored", "MemberRecovered"};
    QTest::newRow("follower paused") << healthy3(
        1, 2) << SnapshotBuilder(2000).member(1, "a", 1, 2).member(2, "b", 1, 2).down(3, "c").build()
                                     << QStringList {"MemberUnreachable"};
    QTest::newRow("follower recovered")
        << SnapshotBuilder().member(1, "a", 1, 2).member(2, "b", 1, 2).down(3, "c").build() << healthy3(1, 2, 2000)
        << QStringList {"MemberRecovered"};
    QTest::newRow("learner added") << healthy3(1, 2)
                                   << SnapshotBuilder(2000)
                                          .member(1, "a", 1, 2)
                                          .member(2, "b", 1, 2)
                                          .member(3, "c", 1, 2)
                                          .down(4, "", true)
                                          .build()
                                   << QStringList {"MemberAdded"};
    QTest::newRow("learner promoted") << SnapshotBuilder().member(1, "a", 1, 2).member(4, "d", 1, 2, 100, true).build()
                                      << SnapshotBuilder(2000).member(1, "a", 1, 2).member(4, "d", 1, 2).build()
                                      << QStringList {"MemberPromoted"};
    QTest::newRow("member removed") << healthy3(1, 2)
                                    << SnapshotBuilder(2000).member(1, "a", 1, 2).member(2, "b", 1, 2).build()
                                    << QStringList {"MemberRemoved"};
    QTest::newRow("alarm raised") << healthy3(1, 2)
                                  << SnapshotBuilder(2000)
                                         .member(1, "a", 1, 2)
                                         .member(2, "b", 1, 2)
                                         .member(3, "c", 1, 2)
                                         .alarm(1, 2, "NOSPACE")
                                         .build()
                                  << QStringList {"AlarmRaised"};
    QTest::newRow("alarm cleared") << SnapshotBuilder()
                                          .member(1, "a", 1, 2)
                                          .member(2, "b", 1, 2)
                                          .member(3, "c", 1, 2)
                                          .alarm(1, 2, "NOSPACE")
                                          .build()
                                   << healthy3(1, 2, 2000) << QStringList {"AlarmCleared"};
}

void TestSnapshotDiff::events()
{
    QFETCH(ClusterSnapshot, before);
    QFETCH(ClusterSnapshot, after);
    QFETCH(QStringList, expected);
    QCOMPARE(typesOf(SnapshotDiff::between(before, after)), expected);
}

void TestSnapshotDiff::eventsCarryTheNewSnapshotsTime()
{
    const auto events = SnapshotDiff::between(healthy3(1, 2, 1000), healthy3(2, 3, 4242));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().timeMs, 4242);
}

void TestSnapshotDiff::leaderChangeDetails()
{
    const ClusterSnapshot after = SnapshotBuilder(2000).down(1, "a").member(2, "b", 3, 7).member(3, "c", 3, 7).build();
    const auto events = SnapshotDiff::between(healthy3(1, 6), after);
    const ClusterEvent &e = events.first();
    QCOMPARE(e.type, T::LeaderChanged);
    QCOMPARE(e.from, 1u);
    QCOMPARE(e.to, 3u);
    QCOMPARE(e.member, 3u);
    QCOMPARE(e.term, 7u);
    QVERIFY(!e.requested);
    QVERIFY(e.detail.contains("unreachable"));

    const auto unknown = SnapshotDiff::between(healthy3(1, 6), healthy3(2, 7, 2000));
    QVERIFY(unknown.first().detail.contains("unknown"));
}

void TestSnapshotDiff::requestedTransferIsMarked()
{
    const auto asked = SnapshotDiff::between(healthy3(1, 2), healthy3(2, 3, 2000), 2);
    QVERIFY(asked.first().requested);
    QVERIFY(asked.first().detail.contains("operator"));
    // A different member than the one asked for is not what the console requested.
    const auto other = SnapshotDiff::between(healthy3(1, 2), healthy3(3, 3, 2000), 2);
    QVERIFY(!other.first().requested);
}

void TestSnapshotDiff::electionAfterLeaderlessTicksNamesThePreviousLeader()
{
    const ClusterSnapshot leaderless
        = SnapshotBuilder(2000).down(1, "a").member(2, "b", 0, 3).member(3, "c", 0, 3).build();
    const ClusterSnapshot elected
        = SnapshotBuilder(3000).down(1, "a").member(2, "b", 2, 3).member(3, "c", 2, 3).build();
    const auto events = SnapshotDiff::between(leaderless, elected, 0, 1);
    QCOMPARE(events.first().type, T::LeaderChanged);
    QCOMPARE(events.first().from, 1u);
    QCOMPARE(events.first().to, 2u);
    QVERIFY(events.first().detail.contains("unreachable"));
    // Without a known previous leader the event says so.
    QCOMPARE(SnapshotDiff::between(leaderless, elected).first().from, 0u);
    QVERIFY(SnapshotDiff::between(leaderless, elected).first().detail.contains("without leader"));
}

void TestSnapshotDiff::firstSnapshotHasNoEvents()
{
    QVERIFY(SnapshotDiff::between(ClusterSnapshot(), healthy3(1, 2)).isEmpty());
}

void TestSnapshotDiff::staleMemberListSaysNothingAboutMembership()
{
    const ClusterSnapshot stale = SnapshotBuilder(2000).member(1, "a", 1, 2).stale().build();
    QVERIFY(!typesOf(SnapshotDiff::between(healthy3(1, 2), stale)).contains("MemberRemoved"));
}

void TestSnapshotDiff::unseenElections_data()
{
    QTest::addColumn<uint64_t>("leaderBefore");
    QTest::addColumn<uint64_t>("termBefore");
    QTest::addColumn<uint64_t>("leaderAfter");
    QTest::addColumn<uint64_t>("termAfter");
    QTest::addColumn<int>("unseen");
    QTest::addColumn<uint64_t>("term");
    QTest::addColumn<QString>("detail");
    // a -> b -> a, or a re-elected twice: the samples cannot tell which.
    QTest::newRow("same leader, two terms later")
        << uint64_t(1) << uint64_t(5) << uint64_t(1) << uint64_t(7) << 2 << uint64_t(7)
        << "2 elections between samples were not seen (term 5 → 7); another member may have led in between";
    // b's election is seen; the two before it are not.
    QTest::newRow("new leader, three terms later")
        << uint64_t(1) << uint64_t(5) << uint64_t(2) << uint64_t(8) << 2 << uint64_t(8)
        << "2 elections between samples were not seen (term 5 → 8); another member may have led in between";
    // One term, the same leader: nobody else can have led.
    QTest::newRow("same leader, next term")
        << uint64_t(1) << uint64_t(5) << uint64_t(1) << uint64_t(6) << 1 << uint64_t(6)
        << "1 election between samples was not seen (term 5 → 6); a was elected again";
    QTest::newRow("new leader, two terms later")
        << uint64_t(1) << uint64_t(5) << uint64_t(3) << uint64_t(7) << 1 << uint64_t(7)
        << "1 election between samples was not seen (term 5 → 7); another member may have led in between";
}

void TestSnapshotDiff::unseenElections()
{
    QFETCH(uint64_t, leaderBefore);
    QFETCH(uint64_t, termBefore);
    QFETCH(uint64_t, leaderAfter);
    QFETCH(uint64_t, termAfter);
    QFETCH(int, unseen);
    QFETCH(uint64_t, term);
    QFETCH(QString, detail);
    const QList<ClusterEvent> events
        = SnapshotDiff::between(healthy3(leaderBefore, termBefore, 1000), healthy3(leaderAfter, termAfter, 2000));
    QList<ClusterEvent> said;
    for (const ClusterEvent &e : events) {
        if (e.type == T::ElectionsUnseen)
            said << e;
        QVERIFY2(e.type != T::TermChanged, "a term change with the same leader is an unseen election, said once");
    }
    QCOMPARE(said.size(), 1);
    const ClusterEvent &e = said.first();
    QCOMPARE(e.unseenElections, unseen);
    QCOMPARE(e.detail, detail);
    QCOMPARE(e.term, term);
    QCOMPARE(e.from, leaderBefore);
    QCOMPARE(e.to, leaderAfter);
    QCOMPARE(e.member, leaderAfter);
    QCOMPARE(e.sinceMs, 1000); // the gap runs from the earlier sample...
    QCOMPARE(e.timeMs, 2000); // ...to the later one
    // A new leader is still its own event, beside the unseen ones.
    QCOMPARE(events.size(), leaderBefore == leaderAfter ? 1 : 2);
}

void TestSnapshotDiff::unseenElectionsComeBeforeTheLeaderChange()
{
    // In time, the elections nobody saw came before the one that made the new leader.
    const QList<ClusterEvent> events = SnapshotDiff::between(healthy3(1, 5), healthy3(2, 8, 2000));
    QCOMPARE(typesOf(events), (QStringList {"ElectionsUnseen", "LeaderChanged"}));
    QCOMPARE(events.at(1).term, 8u);
}

void TestSnapshotDiff::newLeaderAtTheOldTermIsNoUnseenElection()
{
    // Members name the new leader 2 at once but report the term of the last entry they applied
    // (5) for a moment: the LeaderChanged says term 6, and nothing went unseen.
    const QList<ClusterEvent> quirk = SnapshotDiff::between(healthy3(1, 5, 1000), healthy3(2, 5, 2000), 0, 1, 5);
    QCOMPARE(typesOf(quirk), QStringList {"LeaderChanged"});
    QCOMPARE(quirk.first().term, 6u);
    // Next sample, the real term shows: compared with the term the change carried (6), not with
    // what the members reported (5), it is no election.
    QVERIFY(SnapshotDiff::between(healthy3(2, 5, 2000), healthy3(2, 6, 3000), 0, 2, 6).isEmpty());
    // A term beyond it is.
    const QList<ClusterEvent> later = SnapshotDiff::between(healthy3(2, 5, 2000), healthy3(2, 8, 3000), 0, 2, 6);
    QCOMPARE(typesOf(later), QStringList {"ElectionsUnseen"});
    QCOMPARE(later.first().unseenElections, 2);
    QVERIFY2(later.first().detail.contains("(term 6 → 8)"), qPrintable(later.first().detail));
    // The term a leader was last known at belongs to that leader only.
    const QList<ClusterEvent> other = SnapshotDiff::between(healthy3(2, 5, 2000), healthy3(2, 6, 3000), 0, 1, 6);
    QCOMPARE(typesOf(other), QStringList {"ElectionsUnseen"});
}

void TestSnapshotDiff::noUnseenElectionsAfterALeaderlessStretch()
{
    // The campaigns of a stretch without a leader are in the samples (a LeaderLost, then no
    // leader): the election that ends it says what it needs to, and nothing more.
    const ClusterSnapshot leaderless = SnapshotBuilder().down(1, "a").member(2, "b", 0, 8).member(3, "c", 0, 8).build();
    const ClusterSnapshot elected
        = SnapshotBuilder(2000).down(1, "a").member(2, "b", 2, 9).member(3, "c", 2, 9).build();
    QCOMPARE(typesOf(SnapshotDiff::between(leaderless, elected, 0, 1, 5)),
        (QStringList {"LeaderChanged", "QuorumRestored"}));
}

void TestSnapshotDiff::unseenElectionsSurviveJson()
{
    // The journal's export and `events -w json` carry the count and the gap's start.
    const ClusterEvent e = SnapshotDiff::between(healthy3(1, 5, 1000), healthy3(1, 7, 2000)).first();
    const QJsonObject o = e.toJson();
    QCOMPARE(o.value("type").toString(), QStringLiteral("ElectionsUnseen"));
    QCOMPARE(o.value("unseenElections").toInt(), 2);
    QCOMPARE(o.value("since").toString(), QStringLiteral("1970-01-01T00:00:01.000Z"));
    const auto back = ClusterEvent::fromJson(o);
    QVERIFY(back);
    QCOMPARE(*back, e);
    // Other events keep their shape.
    QVERIFY(!SnapshotDiff::between(healthy3(1, 5), healthy3(2, 6, 2000)).first().toJson().contains("unseenElections"));
}

void TestSnapshotDiff::newLeaderReportedAtTheOldTermGetsTheNextTerm()
{
    // Members already name member 2 but still report term 2, the term of the last entry they
    // applied: the change happened in term 3 at the earliest.
    const QList<ClusterEvent> lagging = SnapshotDiff::between(healthy3(1, 2), healthy3(2, 2, 2000));
    QCOMPARE(lagging.size(), 1);
    QCOMPARE(lagging.first().type, ClusterEvent::Type::LeaderChanged);
    QCOMPARE(lagging.first().term, 3u);
    // After a stretch without a leader, the term the last leader led in is the reference.
    const ClusterSnapshot leaderless = SnapshotBuilder().member(1, "a", 0, 4).member(2, "b", 0, 4).down(3, "c").build();
    const QList<ClusterEvent> elected = SnapshotDiff::between(leaderless, healthy3(2, 2, 2000), 0, 1, 2);
    QCOMPARE(elected.first().term, 3u);
    // A term etcd already reports is kept.
    QCOMPARE(SnapshotDiff::between(healthy3(1, 2), healthy3(2, 5, 2000)).first().term, 5u);
}

QTEST_GUILESS_MAIN(TestSnapshotDiff)
#include "tst_snapshotdiff.moc"

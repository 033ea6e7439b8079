#include "cluster/SnapshotDiff.h"
#include "support/SnapshotBuilder.h"

#include <QTest>

using T = ClusterEvent::Type;

class TestSnapshotDiff : public QObject {
    Q_OBJECT

private slots:
    void events_data();
    void events();
    void eventsCarryTheNewSnapshotsTime();
    void leaderChangeDetails();
    void termJumpSaysElectionsWereMissed();
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
    QTest::newRow("term changed, same leader") << healthy3(1, 2) << healthy3(1, 4, 2000) << QStringList {"TermChanged"};
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

void TestSnapshotDiff::termJumpSaysElectionsWereMissed()
{
    const QList<ClusterEvent> one = SnapshotDiff::between(healthy3(1, 2), healthy3(1, 3, 2000));
    QCOMPARE(one.size(), 1);
    QCOMPARE(one.first().detail, QStringLiteral("term 2 -> 3 with the same leader"));
    const QList<ClusterEvent> two = SnapshotDiff::between(healthy3(1, 2), healthy3(1, 4, 2000));
    QCOMPARE(two.size(), 1);
    QVERIFY2(two.first().detail.contains("2 elections since the last sample"), qPrintable(two.first().detail));
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

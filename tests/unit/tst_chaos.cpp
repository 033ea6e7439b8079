#include "chaos/ChaosSchedule.h"
#include "chaos/InvariantChecker.h"
#include "logs/MemberLogEntry.h"

#include <QtTest>

namespace {

constexpr uint64_t kA = 0xaaaa;
constexpr uint64_t kB = 0xbbbb;
constexpr qint64 kT0 = 1'800'000'000'000;

/// Ticks every 200 ms from kT0, each 5 ms long: no leader in the first `leaderless` ones,
/// then `leader` reports itself leader of `term` and the others follow.
QList<TickRecord> ticks(int count, uint64_t leader, uint64_t term, int leaderless = 0)
{
    QList<TickRecord> out;
    for (int i = 0; i < count; ++i) {
        TickRecord t;
        t.startMs = kT0 + i * 200;
        if (i < leaderless) {
            t.tickMs = 5;
            t.members << MemberSighting {kA, true, false, term - 1} << MemberSighting {kB, true, false, term - 1};
            out << t;
            continue;
        }
        t.tickMs = 5;
        t.members << MemberSighting {kA, true, leader == kA, term} << MemberSighting {kB, true, leader == kB, term};
        out << t;
    }
    return out;
}

ClusterEvent leaderChanged(qint64 at, uint64_t to, uint64_t term)
{
    ClusterEvent e;
    e.type = ClusterEvent::Type::LeaderChanged;
    e.timeMs = at;
    e.member = to;
    e.to = to;
    e.term = term;
    return e;
}

ChaosHistory clean()
{
    ChaosHistory h;
    h.ticks = ticks(10, kA, 2, 4);
    h.tickDeadlineMs = 1000;
    h.tickMarginMs = 100;
    h.convergedInMs = 300;
    // A became leader of term 2 at kT0+650; the tick starting at kT0+800 showed it.
    h.leadershipLines << LeadershipLine {kT0 + 650, kA, 2};
    h.events << leaderChanged(kT0 + 800, kA, 2);
    return h;
}

} // namespace

/// The chaos run's pieces that need no cluster: the invariant checker fed doctored
/// histories (so the checker itself is tested), the seeded schedule, and log parsing.
class ChaosTest : public QObject {
    Q_OBJECT

private slots:
    void cleanHistoryHoldsEveryInvariant();
    void twoLeadersInOneTermAreAViolation();
    void leadersOfDifferentTermsAreNot();
    void anElectionTheConsoleMissedIsAViolation();
    void anElectionSeenATickLateIsAViolation();
    void anElectionOvertakenBeforeAnyTickIsNot();
    void aReelectionIsNoChangeOfLeader();
    void aFreshLeaderNamingItsOldTermIsNoSecondLeader();
    void aSlowTickIsAViolation();
    void notSettlingAfterHealingIsAViolation();
    void scheduleIsReproducible();
    void parsesEtcdLogLines();
};

void ChaosTest::cleanHistoryHoldsEveryInvariant()
{
    const ChaosVerdict v = InvariantChecker::check(clean());
    QVERIFY2(v.ok(), qPrintable(v.violations.join(QLatin1Char('\n'))));
    QCOMPARE(v.elections, 1);
    QCOMPARE(v.worstDetectionLagMs, 800 + 5 - 650);
    QCOMPARE(v.worstTickMs, 5.0);
}

void ChaosTest::twoLeadersInOneTermAreAViolation()
{
    ChaosHistory h = clean();
    h.ticks[5].members[1].leader = true; // B also claims term 2
    const ChaosVerdict v = InvariantChecker::check(h);
    QCOMPARE(v.violations.size(), 1);
    QVERIFY2(
        v.violations.first().startsWith("two leaders in term 2: 000000000000aaaa"), qPrintable(v.violations.first()));
    QVERIFY(v.violations.first().contains("000000000000bbbb"));
}

void ChaosTest::leadersOfDifferentTermsAreNot()
{
    ChaosHistory h = clean();
    // An isolated old leader still says leader of term 2 while B leads term 3.
    h.ticks[6].members[1] = MemberSighting {kB, true, true, 3};
    h.ticks[7].members[1] = MemberSighting {kB, true, true, 3};
    QVERIFY(InvariantChecker::check(h).ok());
    // An unreachable member's last word does not count as a claim.
    h.ticks[8].members[1] = MemberSighting {kB, false, true, 2};
    QVERIFY(InvariantChecker::check(h).ok());
}

void ChaosTest::anElectionTheConsoleMissedIsAViolation()
{
    ChaosHistory h = clean();
    h.leadershipLines << LeadershipLine {kT0 + 1000, kB, 3};
    const ChaosVerdict v = InvariantChecker::check(h);
    QCOMPARE(v.violations.size(), 1);
    QVERIFY2(
        v.violations.first().contains("became leader at term 3") && v.violations.first().contains("never reported"),
        qPrintable(v.violations.first()));
}

void ChaosTest::anElectionSeenATickLateIsAViolation()
{
    ChaosHistory h = clean();
    h.events.clear();
    h.events << leaderChanged(kT0 + 1000, kA, 2); // the tick at +800 should have shown it
    const ChaosVerdict v = InvariantChecker::check(h);
    QCOMPARE(v.violations.size(), 1);
    QVERIFY2(v.violations.first().contains("only at the tick"), qPrintable(v.violations.first()));
}

void ChaosTest::aReelectionIsNoChangeOfLeader()
{
    // A wins term 3 too: the console sees the new term once its first entry is applied,
    // which may take longer than a tick; there is no new leader to report.
    ChaosHistory h = clean();
    h.leadershipLines << LeadershipLine {kT0 + 1050, kA, 3};
    const ChaosVerdict v = InvariantChecker::check(h);
    QVERIFY2(v.ok(), qPrintable(v.violations.join(QLatin1Char('\n'))));
    QCOMPARE(v.reelections, 1);
    QCOMPARE(v.elections, 2);
}

void ChaosTest::aFreshLeaderNamingItsOldTermIsNoSecondLeader()
{
    // B wins term 3 at +1010; at the tick of +1200 it says "leader" with term 2 still, the
    // term of the last entry it applied. Its own log line names the term it leads.
    ChaosHistory h = clean();
    h.leadershipLines << LeadershipLine {kT0 + 1010, kB, 3};
    h.ticks[6].members[0].leader = false;
    h.ticks[6].members[1] = MemberSighting {kB, true, true, 2};
    h.events << leaderChanged(kT0 + 1200, kB, 2);
    ChaosVerdict v = InvariantChecker::check(h);
    QVERIFY2(v.ok(), qPrintable(v.violations.join(QLatin1Char('\n'))));
    // Two winners of one term in the members' own logs are a violation whatever was seen.
    h.leadershipLines << LeadershipLine {kT0 + 1100, kA, 3};
    v = InvariantChecker::check(h);
    QVERIFY(!v.ok());
    QVERIFY2(v.violations.first().startsWith("two leaders in term 3"), qPrintable(v.violations.first()));
}

void ChaosTest::anElectionOvertakenBeforeAnyTickIsNot()
{
    ChaosHistory h = clean();
    // B wins term 3 at +1010 and A term 4 at +1012, before the tick of +1200 could look.
    h.leadershipLines << LeadershipLine {kT0 + 1010, kB, 3} << LeadershipLine {kT0 + 1012, kA, 4};
    h.events << leaderChanged(kT0 + 1200, kA, 4);
    ChaosVerdict v = InvariantChecker::check(h);
    QVERIFY2(v.ok(), qPrintable(v.violations.join(QLatin1Char('\n'))));
    QCOMPARE(v.superseded, 1);
    // If the newer one was missed as well, that one is reported.
    h.events.removeLast();
    v = InvariantChecker::check(h);
    QCOMPARE(v.violations.size(), 1);
    QVERIFY(v.violations.first().contains("term 4"));
}

void ChaosTest::aSlowTickIsAViolation()
{
    ChaosHistory h = clean();
    h.ticks[3].tickMs = 1100; // the margin is 100 ms: still fine
    QVERIFY(InvariantChecker::check(h).ok());
    h.ticks[3].tickMs = 1100.5;
    const ChaosVerdict v = InvariantChecker::check(h);
    QCOMPARE(v.violations.size(), 1);
    QVERIFY(v.violations.first().contains("took 1100.5 ms"));
    QCOMPARE(v.worstTickMs, 1100.5);
}

void ChaosTest::notSettlingAfterHealingIsAViolation()
{
    ChaosHistory h = clean();
    h.convergedInMs = -1;
    h.convergeProblem = QStringLiteral("the members are at 2 different revisions");
    const ChaosVerdict v = InvariantChecker::check(h);
    QCOMPARE(v.violations.size(), 1);
    QVERIFY(v.violations.first().contains("did not settle within 10 s: the members are at 2 different revisions"));
}

void ChaosTest::scheduleIsReproducible()
{
    const QList<ChaosFault> a = ChaosSchedule::generate(7, 60000);
    const QList<ChaosFault> b = ChaosSchedule::generate(7, 60000);
    const QList<ChaosFault> c = ChaosSchedule::generate(8, 60000);
    QCOMPARE(a.size(), b.size());
    qint64 planned = 0;
    bool differs = a.size() != c.size();
    QSet<QString> kinds;
    for (int i = 0; i < a.size(); ++i) {
        QCOMPARE(a.at(i).toJson(), b.at(i).toJson());
        differs = differs || (i < c.size() && a.at(i).toJson() != c.at(i).toJson());
        planned += a.at(i).holdMs + a.at(i).gapMs;
        kinds << ChaosFault::kindName(a.at(i).kind);
        QVERIFY(a.at(i).gapMs >= 500);
        if (a.at(i).kind == ChaosFault::Kind::Delay)
            QVERIFY(a.at(i).delayMs >= 50 && a.at(i).jitterMs <= a.at(i).delayMs);
    }
    QVERIFY(differs);
    QVERIFY(planned >= 60000);
    // The schedule a seed stands for is fixed, not only equal from one call to the next: a
    // seed written in a report must replay the same faults in another build of QuorumDeck.
    QStringList firstFaults;
    for (int i = 0; i < 4; ++i)
        firstFaults << a.at(i).describe() + QStringLiteral(", then %1 ms quiet").arg(a.at(i).gapMs);
    const QStringList expected {QStringLiteral("delay the leader's links 244±108 ms for 1531 ms, then 1196 ms quiet"),
        QStringLiteral("move leadership to a follower, then 1309 ms quiet"),
        QStringLiteral("pause the leader for 2409 ms, then 1229 ms quiet"),
        QStringLiteral("pause the leader for 2538 ms, then 1614 ms quiet")};
    QCOMPARE(firstFaults, expected);
    QCOMPARE_GE(kinds.size(), 4); // a minute covers nearly every kind of fault
}

void ChaosTest::parsesEtcdLogLines()
{
    // As etcd 3.4's zap logger writes them.
    const MemberLogEntry became = MemberLogEntry::parse(
        R"({"level":"info","ts":"2026-11-28T02:22:35.149Z","caller":"raft/raft.go:771","msg":"6d088f92bdea7189 became leader at term 2"})");
    QCOMPARE(became.level, MemberLogEntry::Level::Info);
    QCOMPARE(became.caller, QStringLiteral("raft/raft.go:771"));
    QCOMPARE(became.timeMs, QDateTime::fromString("2026-11-28T02:22:35.149Z", Qt::ISODateWithMs).toMSecsSinceEpoch());
    QVERIFY(became.isLeadership());
    const auto line = LeadershipLine::of(became);
    QVERIFY(line);
    QCOMPARE(line->leader, 0x6d088f92bdea7189ULL);
    QCOMPARE(line->term, 2ULL);

    const MemberLogEntry elected = MemberLogEntry::parse(
        R"({"level":"info","ts":"2026-11-28T02:22:35.150Z","caller":"raft/node.go:327","msg":"raft.node: 85d934f7c9476461 elected leader 6d088f92bdea7189 at term 2"})");
    QVERIFY(elected.isLeadership());
    QVERIFY(!LeadershipLine::of(elected)); // a follower learning of it, not the election itself
    const MemberLogEntry lost = MemberLogEntry::parse(
        R"({"level":"info","ts":"2026-11-28T02:22:39.000Z","msg":"raft.node: 85d934f7c9476461 lost leader 6d088f92bdea7189 at term 2"})");
    QVERIFY(lost.isLeadership());

    const MemberLogEntry warn = MemberLogEntry::parse(
        R"({"level":"warn","ts":"2026-11-28T02:22:40.001Z","caller":"etcdserver/server.go:2065","msg":"failed to publish"})");
    QCOMPARE(warn.level, MemberLogEntry::Level::Warn);
    QVERIFY(!warn.isLeadership());

    const MemberLogEntry plain = MemberLogEntry::parse("2026-11-28 02:50:50.079127 W | etcdserver/api/etcdhttp: "
                                                       "/health error; QGET failed etcdserver: request timed out");
    QCOMPARE(plain.level, MemberLogEntry::Level::Warn);
    QCOMPARE(plain.caller, QStringLiteral("etcdserver/api/etcdhttp"));
    QCOMPARE(plain.message, QStringLiteral("/health error; QGET failed etcdserver: request timed out"));
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(plain.timeMs).toString("yyyy-MM-dd HH:mm:ss.zzz"),
        QStringLiteral("2026-11-28 02:50:50.079"));

    const MemberLogEntry panic = MemberLogEntry::parse("panic: runtime error: index out of range\n");
    QCOMPARE(panic.level, MemberLogEntry::Level::Other);
    QCOMPARE(panic.timeMs, 0);
    QCOMPARE(panic.message, QStringLiteral("panic: runtime error: index out of range"));
    QCOMPARE(MemberLogEntry::parse("{not json").message, QStringLiteral("{not json"));
}

QTEST_GUILESS_MAIN(ChaosTest)
#include "tst_chaos.moc"

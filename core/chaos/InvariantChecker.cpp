#include "chaos/InvariantChecker.h"

#include "common/MemberId.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <algorithm>
#include <tuple>

namespace {

/// Log times have whole milliseconds: a tick is surely after a line only from the next one.
constexpr qint64 kLogResolutionMs = 1;

QString clock(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

/// The term a member's claim to lead is for. etcd reports the term of the last entry it
/// applied, so a member that has just won term T still names T-1 until its first entry of
/// T is applied (a round trip to a quorum, longer under a delay). Its own "became leader"
/// line, written before that tick ended, tells the real term.
uint64_t claimedTerm(const MemberSighting &m, qint64 tickEndMs, const QList<LeadershipLine> &lines)
{
    uint64_t term = m.term;
    for (const LeadershipLine &l : lines) {
        if (l.timeMs > tickEndMs)
            break;
        if (l.leader == m.id && l.term > term)
            term = l.term;
    }
    return term;
}

void checkSingleLeaderPerTerm(const ChaosHistory &h, const QList<LeadershipLine> &lines, QStringList *violations)
{
    QHash<uint64_t, uint64_t> leaderOfTerm;
    QHash<uint64_t, qint64> firstSeen;
    QSet<uint64_t> reported;
    auto claim = [&](uint64_t term, uint64_t id, qint64 at, const QString &source) {
        const auto known = leaderOfTerm.constFind(term);
        if (known == leaderOfTerm.constEnd()) {
            leaderOfTerm.insert(term, id);
            firstSeen.insert(term, at);
        } else if (*known != id && !reported.contains(term)) {
            reported.insert(term); // each term once, however long both claim it
            violations->append(QStringLiteral("two leaders in term %1: %2 (at %3) and %4 (at %5, %6)")
                                   .arg(term)
                                   .arg(MemberId::toHex(*known), clock(firstSeen.value(term)), MemberId::toHex(id),
                                       clock(at), source));
        }
    };
    // What the members wrote themselves: Raft allows one election winner a term.
    for (const LeadershipLine &l : lines)
        claim(l.term, l.leader, l.timeMs, QStringLiteral("its log"));
    // What they told the console.
    for (const TickRecord &t : h.ticks) {
        for (const MemberSighting &m : t.members) {
            if (m.reachable && m.leader)
                claim(claimedTerm(m, t.endMs(), lines), m.id, t.startMs, QStringLiteral("its Status"));
        }
    }
}

/// The leader the console saw in a tick, or 0.
uint64_t leaderIn(const TickRecord &t)
{
    for (const MemberSighting &m : t.members) {
        if (m.reachable && m.leader)
            return m.id;
    }
    return 0;
}

} // namespace

QJsonObject ChaosVerdict::toJson() const
{
    return {{QStringLiteral("ok"), ok()}, {QStringLiteral("violations"), QJsonArray::fromStringList(violations)},
        {QStringLiteral("elections"), elections}, {QStringLiteral("reelections"), reelections},
        {QStringLiteral("superseded"), superseded}, {QStringLiteral("worstDetectionLagMs"), worstDetectionLagMs},
        {QStringLiteral("worstTickMs"), worstTickMs}};
}

ChaosVerdict InvariantChecker::check(const ChaosHistory &h)
{
    ChaosVerdict v;
    QList<LeadershipLine> lines = h.leadershipLines;
    // Two elections can share a millisecond: the older term first.
    std::sort(lines.begin(), lines.end(),
        [](const auto &a, const auto &b) { return std::tie(a.timeMs, a.term) < std::tie(b.timeMs, b.term); });
    v.elections = int(lines.size());
    checkSingleLeaderPerTerm(h, lines, &v.violations);

    for (const TickRecord &t : h.ticks) {
        v.worstTickMs = std::max(v.worstTickMs, t.tickMs);
        if (t.tickMs > h.tickDeadlineMs + h.tickMarginMs)
            v.violations << QStringLiteral("the tick that started at %1 took %2 ms, more than its deadline of %3 ms "
                                           "plus %4 ms")
                                .arg(clock(t.startMs))
                                .arg(t.tickMs, 0, 'f', 1)
                                .arg(h.tickDeadlineMs)
                                .arg(h.tickMarginMs);
    }

    for (int i = 0; i < lines.size(); ++i) {
        const LeadershipLine &line = lines.at(i);
        // The tick under way when the line was written, and the first that began after it:
        // that one must have shown the new leader.
        const auto due = std::find_if(h.ticks.cbegin(), h.ticks.cend(),
            [&](const TickRecord &t) { return t.startMs >= line.timeMs + kLogResolutionMs; });
        if (due == h.ticks.cend())
            continue; // written after the last tick: nothing could have seen it
        const TickRecord *underWay = due == h.ticks.cbegin() ? nullptr : &*(due - 1);
        // The same member winning again is a new term, not a change of leader; etcd shows
        // the new term only once its first entry is applied.
        const uint64_t before = i > 0 ? lines.at(i - 1).leader : (underWay ? leaderIn(*underWay) : 0);
        if (before == line.leader) {
            ++v.reelections;
            continue;
        }
        const qint64 from = underWay ? underWay->startMs : due->startMs;
        const auto seen = std::find_if(h.events.cbegin(), h.events.cend(), [&](const ClusterEvent &e) {
            return e.type == ClusterEvent::Type::LeaderChanged && e.to == line.leader && e.timeMs >= from;
        });
        const bool inTime = seen != h.events.cend() && seen->timeMs <= due->startMs;
        if (inTime) {
            // Events carry their tick's start; the console knew at that tick's end.
            qint64 knownAt = seen->timeMs;
            for (const TickRecord &t : h.ticks) {
                if (t.startMs == seen->timeMs)
                    knownAt = t.endMs();
            }
            v.worstDetectionLagMs = std::max(v.worstDetectionLagMs, std::max<qint64>(0, knownAt - line.timeMs));
            continue;
        }
        // Overtaken: a newer election was logged before the due tick ended, so no tick could
        // have shown this one; the newer one is checked in its turn.
        const bool overtaken
            = i + 1 < lines.size() && lines.at(i + 1).term > line.term && lines.at(i + 1).timeMs <= due->endMs();
        if (overtaken) {
            ++v.superseded;
            continue;
        }
        v.violations << QStringLiteral("%1 became leader at term %2 at %3 (its log says), but the console %4")
                            .arg(MemberId::toHex(line.leader))
                            .arg(line.term)
                            .arg(clock(line.timeMs),
                                seen == h.events.cend()
                                    ? QStringLiteral("never reported it")
                                    : QStringLiteral("reported it only at the tick of %1, after the tick of %2")
                                          .arg(clock(seen->timeMs), clock(due->startMs)));
    }

    if (h.convergedInMs < 0 || h.convergedInMs > h.convergeLimitMs)
        v.violations << QStringLiteral("after healing, the cluster did not settle within %1 s: %2")
                            .arg(h.convergeLimitMs / 1000)
                            .arg(h.convergeProblem.isEmpty() ? QStringLiteral("no answer") : h.convergeProblem);
    return v;
}

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

void checkSingleLeaderPerTerm(const ChaosHistory &h, QStringList *violations)
{
    QHash<uint64_t, uint64_t> leaderOfTerm;
    QHash<uint64_t, qint64> firstSeen;
    QSet<uint64_t> reported;
    for (const TickRecord &t : h.ticks) {
        for (const MemberSighting &m : t.members) {
            if (!m.reachable || !m.leader)
                continue;
            const auto known = leaderOfTerm.constFind(m.term);
            if (known == leaderOfTerm.constEnd()) {
                leaderOfTerm.insert(m.term, m.id);
                firstSeen.insert(m.term, t.startMs);
            } else if (*known != m.id && !reported.contains(m.term)) {
                reported.insert(m.term); // each term once, however long both claim it
                violations->append(QStringLiteral("two leaders in term %1: %2 (seen at %3) and %4 (at %5)")
                                       .arg(m.term)
                                       .arg(MemberId::toHex(*known), clock(firstSeen.value(m.term)),
                                           MemberId::toHex(m.id), clock(t.startMs)));
            }
        }
    }
}

} // namespace

QJsonObject ChaosVerdict::toJson() const
{
    return {{QStringLiteral("ok"), ok()}, {QStringLiteral("violations"), QJsonArray::fromStringList(violations)},
        {QStringLiteral("elections"), elections}, {QStringLiteral("superseded"), superseded},
        {QStringLiteral("worstDetectionLagMs"), worstDetectionLagMs}, {QStringLiteral("worstTickMs"), worstTickMs}};
}

ChaosVerdict InvariantChecker::check(const ChaosHistory &h)
{
    ChaosVerdict v;
    checkSingleLeaderPerTerm(h, &v.violations);

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

    QList<LeadershipLine> lines = h.leadershipLines;
    // Two elections can share a millisecond: the older term first.
    std::sort(lines.begin(), lines.end(),
        [](const auto &a, const auto &b) { return std::tie(a.timeMs, a.term) < std::tie(b.timeMs, b.term); });
    v.elections = int(lines.size());
    for (int i = 0; i < lines.size(); ++i) {
        const LeadershipLine &line = lines.at(i);
        // The first tick that began after the line must have shown it.
        const auto due = std::find_if(h.ticks.cbegin(), h.ticks.cend(),
            [&](const TickRecord &t) { return t.startMs >= line.timeMs + kLogResolutionMs; });
        if (due == h.ticks.cend())
            continue; // written after the last tick: nothing could have seen it
        const auto seen = std::find_if(h.events.cbegin(), h.events.cend(), [&](const ClusterEvent &e) {
            const bool leadership
                = e.type == ClusterEvent::Type::LeaderChanged || e.type == ClusterEvent::Type::TermChanged;
            return leadership && e.member == line.leader && e.term >= line.term;
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

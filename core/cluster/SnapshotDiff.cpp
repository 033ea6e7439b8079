#include "cluster/SnapshotDiff.h"

namespace {

ClusterEvent make(ClusterEvent::Type type, const ClusterSnapshot &at)
{
    ClusterEvent e;
    e.type = type;
    e.timeMs = at.timeMs();
    return e;
}

} // namespace

QList<ClusterEvent> SnapshotDiff::between(const ClusterSnapshot &before, const ClusterSnapshot &after,
    uint64_t requestedLeader, uint64_t lastKnownLeader, uint64_t lastKnownTerm)
{
    QList<ClusterEvent> out;
    if (!before.isValid() || !after.isValid())
        return out;
    membership(before, after, out);
    leadership(before, after, requestedLeader, lastKnownLeader, lastKnownTerm, out);
    reachability(before, after, out);
    alarms(before, after, out);
    return out;
}

void SnapshotDiff::leadership(const ClusterSnapshot &before, const ClusterSnapshot &after, uint64_t requestedLeader,
    uint64_t lastKnownLeader, uint64_t lastKnownTerm, QList<ClusterEvent> &out)
{
    using T = ClusterEvent::Type;
    const uint64_t was = before.leaderId();
    const uint64_t now = after.leaderId();

    if (before.hasQuorum() && !after.hasQuorum()) {
        ClusterEvent e = make(T::QuorumLost, after);
        e.term = after.term();
        e.detail = after.quorum().describe();
        out.append(e);
    }
    if (was != 0 && now == 0) {
        ClusterEvent e = make(T::LeaderLost, after);
        e.member = was;
        e.from = was;
        e.term = before.term();
        const MemberState *old = after.member(was);
        e.detail = old && !old->reachable ? QStringLiteral("the leader is unreachable: %1").arg(old->errors.value(0))
                                          : QStringLiteral("no member reports a leader");
        out.append(e);
    } else if (now != 0 && now != was) {
        ClusterEvent e = make(T::LeaderChanged, after);
        e.member = now;
        e.from = was ? was : lastKnownLeader;
        e.to = now;
        // etcd reports a member's term as that of the last entry it applied, while the leader
        // it reports changes at once: for a moment after an election members name the new
        // leader at the old term. A new leader means a new term, so the event says at least
        // the next one.
        const uint64_t previousLeadersTerm = was ? before.term() : lastKnownTerm;
        e.term = previousLeadersTerm ? std::max(after.term(), previousLeadersTerm + 1) : after.term();
        e.requested = requestedLeader != 0 && requestedLeader == now;
        const MemberState *old = after.member(e.from);
        if (e.requested)
            e.detail = QStringLiteral("leadership transferred by the operator");
        else if (e.from == 0)
            e.detail = QStringLiteral("elected after a period without leader");
        else if (!old)
            e.detail = QStringLiteral("the previous leader was removed");
        else if (!old->reachable)
            e.detail = QStringLiteral("the previous leader became unreachable or stopped");
        else
            e.detail = QStringLiteral("cause unknown");
        out.append(e);
    } else if (now != 0 && now == was && after.term() > before.term()) {
        ClusterEvent e = make(T::TermChanged, after);
        e.member = now;
        e.term = after.term();
        e.detail = QStringLiteral("term %1 -> %2 with the same leader").arg(before.term()).arg(after.term());
        // Each term is one election. More than one between two samples means an election
        // the leader did not win, or another member leading for a moment in between.
        if (after.term() - before.term() > 1)
            e.detail += QStringLiteral(" (%1 elections since the last sample; another member may have led in between)")
                            .arg(after.term() - before.term());
        out.append(e);
    }
    if (!before.hasQuorum() && after.hasQuorum()) {
        ClusterEvent e = make(T::QuorumRestored, after);
        e.term = after.term();
        e.detail = after.quorum().describe();
        out.append(e);
    }
}

void SnapshotDiff::membership(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out)
{
    using T = ClusterEvent::Type;
    // A remembered list says nothing new about membership; an older remembered list is
    // still the right baseline to compare a fresh one with.
    if (!after.membersFresh())
        return;
    for (const MemberState &m : after.members()) {
        const MemberState *old = before.member(m.id);
        if (!old) {
            ClusterEvent e = make(T::MemberAdded, after);
            e.member = m.id;
            e.detail = QStringLiteral("%1 %2").arg(
                m.isLearner ? QStringLiteral("learner") : QStringLiteral("voter"), m.peerUrls.join(QLatin1Char(',')));
            out.append(e);
        } else if (old->isLearner && !m.isLearner) {
            ClusterEvent e = make(T::MemberPromoted, after);
            e.member = m.id;
            e.detail = QStringLiteral("%1 now votes").arg(m.displayName());
            out.append(e);
        }
    }
    for (const MemberState &m : before.members()) {
        if (!after.member(m.id)) {
            ClusterEvent e = make(T::MemberRemoved, after);
            e.member = m.id;
            e.detail = m.displayName();
            out.append(e);
        }
    }
}

void SnapshotDiff::reachability(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out)
{
    using T = ClusterEvent::Type;
    for (const MemberState &m : after.members()) {
        const MemberState *old = before.member(m.id);
        if (!old || old->reachable == m.reachable)
            continue;
        ClusterEvent e = make(m.reachable ? T::MemberRecovered : T::MemberUnreachable, after);
        e.member = m.id;
        e.term = after.term();
        e.detail = m.reachable ? QStringLiteral("%1 answers again").arg(m.displayName()) : m.errors.value(0);
        out.append(e);
    }
}

void SnapshotDiff::alarms(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out)
{
    using T = ClusterEvent::Type;
    // Alarms are read from the members that answered; an unreachable member's alarms are
    // unknown this tick, not cleared.
    if (!after.anyAnswered() || !before.anyAnswered())
        return;
    for (const MemberState &m : after.members()) {
        const MemberState *old = before.member(m.id);
        const QStringList previous = old ? old->alarms : QStringList();
        for (const QString &a : m.alarms) {
            if (!previous.contains(a)) {
                ClusterEvent e = make(T::AlarmRaised, after);
                e.member = m.id;
                e.detail = a;
                out.append(e);
            }
        }
        for (const QString &a : previous) {
            if (!m.alarms.contains(a)) {
                ClusterEvent e = make(T::AlarmCleared, after);
                e.member = m.id;
                e.detail = a;
                out.append(e);
            }
        }
    }
}

#include "cluster/SnapshotDiff.h"

#include "common/MemberId.h"

#include <limits>

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
    // The term the previous leader led in. An earlier LeaderChanged may have said a later
    // term than the members then reported (see below); that one counts, or the next sample
    // at the real term would look like an election nobody saw.
    const uint64_t previousLeadersTerm
        = was == 0 ? lastKnownTerm : (was == lastKnownLeader ? std::max(before.term(), lastKnownTerm) : before.term());

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
        e.term = previousLeadersTerm ? std::max(after.term(), previousLeadersTerm + 1) : after.term();
        e.requested = requestedLeader != 0 && requestedLeader == now;
        e.detail = leaderChangeCause(after, e.from, e.requested);
        // The election that made this leader is seen; any other term in between is not. After
        // a stretch without a leader the campaigns are in the samples already.
        if (was != 0 && previousLeadersTerm != 0)
            unseenElections(before, after, previousLeadersTerm, e.term, e.term - previousLeadersTerm - 1, out);
        out.append(e);
    } else if (now != 0 && now == was && previousLeadersTerm != 0 && after.term() > previousLeadersTerm) {
        // The same leader at a later term: every election since the earlier sample went unseen,
        // whoever won the ones before the last.
        unseenElections(before, after, previousLeadersTerm, after.term(), after.term() - previousLeadersTerm, out);
    }
    if (!before.hasQuorum() && after.hasQuorum()) {
        ClusterEvent e = make(T::QuorumRestored, after);
        e.term = after.term();
        e.detail = after.quorum().describe();
        out.append(e);
    }
}

QString SnapshotDiff::leaderChangeCause(const ClusterSnapshot &after, uint64_t from, bool requested)
{
    const MemberState *old = after.member(from);
    if (requested)
        return QStringLiteral("leadership transferred by the operator");
    if (from == 0)
        return QStringLiteral("elected after a period without leader");
    if (!old)
        return QStringLiteral("the previous leader was removed");
    if (!old->reachable)
        return QStringLiteral("the previous leader became unreachable or stopped");
    return QStringLiteral("cause unknown");
}

void SnapshotDiff::unseenElections(const ClusterSnapshot &before, const ClusterSnapshot &after, uint64_t fromTerm,
    uint64_t toTerm, uint64_t count, QList<ClusterEvent> &out)
{
    if (count == 0)
        return;
    ClusterEvent e = make(ClusterEvent::Type::ElectionsUnseen, after);
    e.member = after.leaderId();
    e.from = before.leaderId();
    e.to = after.leaderId();
    e.term = toTerm;
    e.sinceMs = before.timeMs();
    e.unseenElections = int(std::min<uint64_t>(count, uint64_t(std::numeric_limits<int>::max())));
    const QString what = count == 1 ? QStringLiteral("1 election between samples was not seen")
                                    : QStringLiteral("%1 elections between samples were not seen").arg(count);
    // One election won by the leader both samples show leaves no term for anyone else.
    const MemberState *leader = after.leader();
    const QString who = count == 1 && e.from == e.to
        ? QStringLiteral("%1 was elected again").arg(leader ? leader->displayName() : MemberId::toHex(e.to))
        : QStringLiteral("another member may have led in between");
    e.detail = QStringLiteral("%1 (term %2 → %3); %4").arg(what).arg(fromTerm).arg(e.term).arg(who);
    out.append(e);
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

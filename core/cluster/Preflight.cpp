#include "cluster/Preflight.h"

#include <algorithm>

namespace {

QString unknownMember(const QString &text)
{
    return QStringLiteral("no member has the id or name \"%1\"; see quorumdeck member list").arg(text);
}

} // namespace

QJsonObject RemovePlan::toJson() const
{
    return {{QStringLiteral("before"), before.toJson()}, {QStringLiteral("after"), after.toJson()}};
}

QString Preflight::writeEndpoint(const ClusterSnapshot &snapshot)
{
    if (const MemberState *leader = snapshot.leader(); leader && leader->reachable && !leader->clientUrls.isEmpty())
        return leader->clientUrls.first();
    for (const MemberState &m : snapshot.members()) {
        if (m.isVoter() && m.reachable && !m.clientUrls.isEmpty())
            return m.clientUrls.first();
    }
    return {};
}

MoveLeaderPlan Preflight::moveLeader(const ClusterSnapshot &snapshot, const QString &target)
{
    MoveLeaderPlan plan;
    const MemberState *leader = snapshot.leader();
    if (!leader) {
        plan.sentence = QStringLiteral("the cluster has no leader to transfer leadership from");
        return plan;
    }
    if (!leader->reachable || leader->clientUrls.isEmpty()) {
        plan.sentence = QStringLiteral("the leader %1 cannot be reached, so it cannot hand over leadership")
                            .arg(leader->displayName());
        return plan;
    }
    plan.leaderId = leader->id;
    plan.leaderEndpoint = leader->clientUrls.first();

    const MemberState *to = nullptr;
    if (target.isEmpty()) {
        for (const MemberState &m : snapshot.members()) {
            // A follower on another term or leader has not heard from this leader lately (a
            // partition, a restart): not the one to hand over to.
            if (m.role != MemberRole::Follower || !m.reachable || !m.followsLeader)
                continue;
            if (!to || m.appliedIndex > to->appliedIndex
                || (m.appliedIndex == to->appliedIndex && m.latencyMs < to->latencyMs))
                to = &m;
        }
        if (!to) {
            plan.sentence = QStringLiteral("no reachable follower can take over leadership");
            return plan;
        }
    } else {
        to = snapshot.findMember(target);
        if (!to) {
            plan.sentence = unknownMember(target);
            return plan;
        }
        if (to->id == leader->id) {
            plan.sentence = QStringLiteral("%1 is already the leader").arg(to->displayName());
            return plan;
        }
        if (to->isLearner) {
            plan.sentence = QStringLiteral("%1 is a learner; a learner cannot become leader (promote it first)")
                                .arg(to->displayName());
            return plan;
        }
        if (!to->reachable) {
            plan.sentence
                = QStringLiteral("%1 is unreachable; a transfer to it would only time out").arg(to->displayName());
            return plan;
        }
    }
    plan.allowed = true;
    plan.targetId = to->id;
    plan.sentence = QStringLiteral("transfer leadership from %1 to %2").arg(leader->displayName(), to->displayName());
    return plan;
}

QString Preflight::add(const ClusterSnapshot &snapshot, bool learner)
{
    const QuorumFigures before = snapshot.quorum();
    if (!snapshot.hasQuorum()) {
        return QStringLiteral("refused: the cluster has no quorum now, so an addition cannot be committed (%1)")
            .arg(before.describe());
    }
    if (learner)
        return {}; // a learner does not vote: quorum is unchanged
    // Until the new voter starts and catches up it counts towards the quorum without being
    // able to answer.
    const QuorumFigures after = before.withVoterJoining();
    // Growing a one-member cluster is the exception etcd makes too: the second member is
    // added while the first is alone, and the pair has no quorum until it starts.
    const bool growingFromOne = before.voters == 1;
    if (!after.hasQuorum() && !growingFromOne) {
        return QStringLiteral("refused: until it starts, a new voter would leave %1 healthy of %2 voters, below the "
                              "quorum of %3 (before: %4; after: %5); add it as a learner (--learner) instead")
            .arg(after.healthyVoters)
            .arg(after.voters)
            .arg(after.quorum)
            .arg(before.describe(), after.describe());
    }
    // etcd itself refuses a new voter ("unhealthy cluster") while its leader is out of touch
    // with any voter; say which, rather than retrying what cannot succeed.
    QStringList silent;
    for (const MemberState &m : snapshot.members()) {
        if (m.isVoter() && !m.isHealthyVoter())
            silent << m.displayName();
    }
    if (!silent.isEmpty()) {
        return QStringLiteral("refused: etcd adds a voter only while every voter is in touch with the leader, and %1 "
                              "%2 not; restart or remove %3 first, or add the new member as a learner (--learner)")
            .arg(silent.join(QStringLiteral(", ")), silent.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"),
                silent.size() == 1 ? QStringLiteral("it") : QStringLiteral("them"));
    }
    return {};
}

RemovePlan Preflight::remove(const ClusterSnapshot &snapshot, const QString &member, bool force)
{
    RemovePlan plan;
    plan.before = snapshot.quorum();
    plan.after = plan.before;
    const MemberState *m = snapshot.findMember(member);
    if (!m) {
        plan.sentence = unknownMember(member);
        return plan;
    }
    plan.memberId = m->id;
    plan.endpoint = writeEndpoint(snapshot);
    if (plan.endpoint.isEmpty()) {
        plan.sentence = QStringLiteral("no voting member answers, so no removal can be sent");
        return plan;
    }
    if (m->isLearner) {
        plan.verdict = RemovePlan::Verdict::Allowed;
        plan.sentence
            = QStringLiteral("remove learner %1 (it does not vote; quorum is unchanged)").arg(m->displayName());
        return plan;
    }
    plan.after = plan.before.withVoterRemoved(m->isHealthyVoter());
    const QString figures = QStringLiteral("before: %1; after: %2").arg(plan.before.describe(), plan.after.describe());
    if (plan.before.voters <= 1) {
        plan.sentence = QStringLiteral("refused: %1 is the last voter; removing it would destroy the cluster (%2)")
                            .arg(m->displayName(), figures);
        return plan;
    }
    if (!snapshot.hasQuorum()) {
        plan.sentence = QStringLiteral("refused: the cluster has no quorum now, so a removal cannot be committed (%1)")
                            .arg(figures);
        return plan;
    }
    if (!plan.after.hasQuorum()) {
        plan.sentence = QStringLiteral("refused: removing %1 would leave %2 healthy of %3 voters, below the quorum of "
                                       "%4 (%5)")
                            .arg(m->displayName())
                            .arg(plan.after.healthyVoters)
                            .arg(plan.after.voters)
                            .arg(plan.after.quorum)
                            .arg(figures);
        return plan;
    }
    const QString leaderNote
        = m->role == MemberRole::Leader ? QStringLiteral("; it is the leader, so an election follows") : QString();
    if (plan.after.faultTolerance == 0 && !force) {
        plan.verdict = RemovePlan::Verdict::NeedsForce;
        plan.sentence = QStringLiteral("removing %1 leaves a cluster that survives no further failure (%2)%3; "
                                       "repeat with --force to proceed")
                            .arg(m->displayName(), figures, leaderNote);
        return plan;
    }
    plan.verdict = RemovePlan::Verdict::Allowed;
    plan.sentence = QStringLiteral("remove %1 (%2)%3").arg(m->displayName(), figures, leaderNote);
    return plan;
}

PromotePlan Preflight::promote(const ClusterSnapshot &snapshot, const QString &member)
{
    PromotePlan plan;
    const MemberState *m = snapshot.findMember(member);
    if (!m) {
        plan.sentence = unknownMember(member);
        return plan;
    }
    plan.learnerId = m->id;
    plan.learnerName = m->displayName();
    if (!m->isLearner) {
        plan.sentence = QStringLiteral("%1 already votes; only a learner can be promoted").arg(m->displayName());
        return plan;
    }
    plan.endpoint = writeEndpoint(snapshot);
    const MemberState *leader = snapshot.leader();
    if (!leader || !leader->reachable || plan.endpoint.isEmpty()) {
        plan.sentence = QStringLiteral("the cluster has no reachable leader to promote %1").arg(m->displayName());
        return plan;
    }
    if (!m->reachable) {
        plan.sentence = QStringLiteral("learner %1 is unreachable (%2); start it and let it catch up first")
                            .arg(m->displayName(), m->errors.value(0));
        return plan;
    }
    plan.leaderApplied = leader->appliedIndex;
    plan.learnerApplied = m->appliedIndex;
    plan.behind = std::max<int64_t>(0, int64_t(leader->appliedIndex) - int64_t(m->appliedIndex));
    plan.caughtUpPercent
        = leader->appliedIndex == 0 ? 100.0 : 100.0 * double(m->appliedIndex) / double(leader->appliedIndex);
    plan.caughtUpPercent = std::min(100.0, plan.caughtUpPercent);
    plan.allowed = true;
    plan.sentence = QStringLiteral("promote learner %1: %2 entries behind the leader (%3 % caught up)")
                        .arg(m->displayName())
                        .arg(plan.behind)
                        .arg(plan.caughtUpPercent, 0, 'f', 1);
    return plan;
}

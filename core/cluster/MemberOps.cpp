#include "cluster/MemberOps.h"

#include "cluster/PeerUrlValidator.h"
#include "common/MemberId.h"
#include "etcd/EtcdClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

namespace {

constexpr int kRetryMs = 500;
constexpr int kUnhealthyRetryForMs = 10000;

QJsonArray membersJson(const QList<MemberInfo> &members)
{
    QJsonArray out;
    for (const MemberInfo &m : members) {
        out.append(QJsonObject {{QStringLiteral("id"), MemberId::toHex(m.id)}, {QStringLiteral("name"), m.name},
            {QStringLiteral("peerURLs"), QJsonArray::fromStringList(m.peerUrls)},
            {QStringLiteral("clientURLs"), QJsonArray::fromStringList(m.clientUrls)},
            {QStringLiteral("isLearner"), m.isLearner}});
    }
    return out;
}

} // namespace

MemberOps::MemberOps(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void MemberOps::moveLeader(const ClusterSnapshot &snapshot, const QString &target, OperationCallback done)
{
    const MoveLeaderPlan plan = Preflight::moveLeader(snapshot, target);
    if (!plan.allowed) {
        done(OperationResult::refused(plan.sentence));
        return;
    }
    const MemberState *to = snapshot.member(plan.targetId);
    const MemberState *from = snapshot.member(plan.leaderId);
    const QString toName = to->displayName();
    const QString fromName = from->displayName();
    const QJsonObject details {{QStringLiteral("from"), MemberId::toHex(plan.leaderId)},
        {QStringLiteral("to"), MemberId::toHex(plan.targetId)}};
    emit leaderTransferRequested(plan.targetId);
    m_client->moveLeader(plan.leaderEndpoint, plan.targetId, this, [=](const EtcdResult<ResponseHeaderInfo> &r) {
        if (!r.ok()) {
            done(OperationResult::failed(
                QStringLiteral("leader transfer to %1 failed: %2").arg(toName, r.error.sentence), details));
            return;
        }
        done(OperationResult::done(QStringLiteral("leadership moved from %1 to %2").arg(fromName, toName), details));
    });
}

void MemberOps::addMember(const ClusterSnapshot &snapshot, const QString &name, const QStringList &peerUrls,
    bool learner, OperationCallback done)
{
    if (name.trimmed().isEmpty()) {
        done(OperationResult::refused(QStringLiteral("a new member needs a name")));
        return;
    }
    for (const MemberState &m : snapshot.members()) {
        if (m.name == name) {
            done(OperationResult::refused(QStringLiteral("a member named %1 already exists").arg(name)));
            return;
        }
    }
    if (const QString problem = PeerUrlValidator::check(peerUrls, snapshot); !problem.isEmpty()) {
        done(OperationResult::refused(problem));
        return;
    }
    const QString endpoint = Preflight::writeEndpoint(snapshot);
    if (endpoint.isEmpty()) {
        done(OperationResult::refused(QStringLiteral("no voting member answers, so the member cannot be added")));
        return;
    }
    if (const QString problem = Preflight::add(snapshot, learner); !problem.isEmpty()) {
        done(OperationResult::refused(problem));
        return;
    }
    // What the cluster looks like until the new voter starts and catches up.
    const QString meanwhile = learner ? QString() : snapshot.quorum().withVoterJoining().describe();
    sendAdd(endpoint, name, peerUrls, learner, QDateTime::currentMSecsSinceEpoch() + kUnhealthyRetryForMs, false,
        [done = std::move(done), meanwhile](OperationResult r) {
            if (r.ok() && !meanwhile.isEmpty())
                r.sentence += QStringLiteral("; until it starts: %1").arg(meanwhile);
            done(r);
        });
}

void MemberOps::sendAdd(const QString &endpoint, const QString &name, const QStringList &peerUrls, bool learner,
    qint64 giveUpAtMs, bool retrying, OperationCallback done)
{
    const QString kind = learner ? QStringLiteral("learner") : QStringLiteral("voter");
    m_client->memberAdd(endpoint, peerUrls, learner, this, [=, this](const EtcdResult<MemberAddInfo> &r) {
        // Right after an election the new leader has not yet seen every voter as active and
        // refuses changes for a few seconds; that is worth waiting out.
        if (!r.ok() && r.error.message.contains(QLatin1String("unhealthy cluster"))
            && QDateTime::currentMSecsSinceEpoch() + kRetryMs < giveUpAtMs) {
            if (!retrying) {
                emit progress(QStringLiteral("the leader does not see every voter as active yet (as for a few seconds "
                                             "after an election); retrying for up to %1 s")
                                  .arg(kUnhealthyRetryForMs / 1000));
            }
            QTimer::singleShot(
                kRetryMs, this, [=, this] { sendAdd(endpoint, name, peerUrls, learner, giveUpAtMs, true, done); });
            return;
        }
        if (!r.ok()) {
            done(OperationResult::failed(QStringLiteral("adding %1 failed: %2").arg(name, r.error.sentence)));
            return;
        }
        // What the new member's process needs to join, as etcdctl prints it.
        QStringList initialCluster;
        for (const MemberInfo &m : r->members) {
            const QString memberName = m.id == r->added.id ? name : m.name;
            for (const QString &url : m.peerUrls)
                initialCluster << memberName + QLatin1Char('=') + url;
        }
        const QJsonObject details {
            {QStringLiteral("id"), MemberId::toHex(r->added.id)},
            {QStringLiteral("name"), name},
            {QStringLiteral("isLearner"), learner},
            {QStringLiteral("peerURLs"), QJsonArray::fromStringList(peerUrls)},
            {QStringLiteral("initialCluster"), initialCluster.join(QLatin1Char(','))},
            {QStringLiteral("initialClusterState"), QStringLiteral("existing")},
            {QStringLiteral("members"), membersJson(r->members)},
        };
        done(OperationResult::done(QStringLiteral("added %1 %2 as %3; start it with --initial-cluster-state existing")
                                       .arg(kind, name, MemberId::toHex(r->added.id)),
            details));
    });
}

void MemberOps::removeMember(const ClusterSnapshot &snapshot, const QString &member, bool force, OperationCallback done)
{
    const RemovePlan plan = Preflight::remove(snapshot, member, force);
    if (plan.verdict != RemovePlan::Verdict::Allowed) {
        done(OperationResult::refused(plan.sentence, plan.toJson()));
        return;
    }
    const QString name = snapshot.member(plan.memberId)->displayName();
    QJsonObject details = plan.toJson();
    details.insert(QStringLiteral("id"), MemberId::toHex(plan.memberId));
    m_client->memberRemove(plan.endpoint, plan.memberId, this, [=](const EtcdResult<MemberListInfo> &r) {
        if (!r.ok()) {
            done(
                OperationResult::failed(QStringLiteral("removing %1 failed: %2").arg(name, r.error.sentence), details));
            return;
        }
        done(OperationResult::done(QStringLiteral("removed %1; %2").arg(name, plan.after.describe()), details));
    });
}

void MemberOps::promoteMember(
    const ClusterSnapshot &snapshot, const QString &member, OperationCallback done, int retryForMs)
{
    const PromotePlan plan = Preflight::promote(snapshot, member);
    if (!plan.allowed) {
        done(OperationResult::refused(plan.sentence));
        return;
    }
    emit progress(plan.sentence);
    sendPromote(plan, QDateTime::currentMSecsSinceEpoch() + retryForMs, 1, std::move(done));
}

void MemberOps::sendPromote(const PromotePlan &plan, qint64 giveUpAtMs, int attempt, OperationCallback done)
{
    const QJsonObject details {{QStringLiteral("id"), MemberId::toHex(plan.learnerId)},
        {QStringLiteral("behind"), qint64(plan.behind)}, {QStringLiteral("attempts"), attempt}};
    m_client->memberPromote(plan.endpoint, plan.learnerId, this, [=, this](const EtcdResult<MemberListInfo> &r) {
        if (r.ok()) {
            done(OperationResult::done(QStringLiteral("promoted %1 to voter (it was %2 entries behind)")
                                           .arg(plan.learnerName)
                                           .arg(plan.behind),
                details));
            return;
        }
        const bool notInSync = r.error.message.contains(QLatin1String("in sync with leader"));
        if (notInSync && QDateTime::currentMSecsSinceEpoch() + kRetryMs < giveUpAtMs) {
            emit progress(
                QStringLiteral("learner not yet in sync with the leader; retrying (attempt %1)").arg(attempt + 1));
            QTimer::singleShot(kRetryMs, this, [=, this] { sendPromote(plan, giveUpAtMs, attempt + 1, done); });
            return;
        }
        done(OperationResult::failed(QStringLiteral("promotion failed: %1").arg(r.error.sentence), details));
    });
}

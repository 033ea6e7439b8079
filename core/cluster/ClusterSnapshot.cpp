#include "cluster/ClusterSnapshot.h"

#include "common/MemberId.h"

#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

QString memberRoleName(MemberRole role)
{
    switch (role) {
    case MemberRole::Leader:
        return QStringLiteral("leader");
    case MemberRole::Follower:
        return QStringLiteral("follower");
    case MemberRole::Learner:
        return QStringLiteral("learner");
    case MemberRole::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QString MemberState::displayName() const
{
    return name.isEmpty() ? MemberId::toHex(id) : name;
}

QJsonObject MemberState::toJson() const
{
    return {
        {QStringLiteral("id"), MemberId::toHex(id)},
        {QStringLiteral("name"), name},
        {QStringLiteral("peerURLs"), QJsonArray::fromStringList(peerUrls)},
        {QStringLiteral("clientURLs"), QJsonArray::fromStringList(clientUrls)},
        {QStringLiteral("isLearner"), isLearner},
        {QStringLiteral("role"), memberRoleName(role)},
        {QStringLiteral("reachable"), reachable},
        {QStringLiteral("version"), version},
        {QStringLiteral("term"), qint64(term)},
        {QStringLiteral("raftIndex"), qint64(raftIndex)},
        {QStringLiteral("appliedIndex"), qint64(appliedIndex)},
        {QStringLiteral("revision"), qint64(revision)},
        {QStringLiteral("lag"), reachable ? QJsonValue(qint64(lag)) : QJsonValue()}, // unknown, not 0
        {QStringLiteral("dbSize"), qint64(dbSize)},
        {QStringLiteral("dbSizeInUse"), qint64(dbSizeInUse)},
        {QStringLiteral("latencyMs"), std::round(latencyMs * 1000) / 1000},
        {QStringLiteral("errors"), QJsonArray::fromStringList(errors)},
        {QStringLiteral("alarms"), QJsonArray::fromStringList(alarms)},
    };
}

QuorumFigures QuorumFigures::of(int voters, int healthyVoters)
{
    QuorumFigures q;
    q.voters = voters;
    q.quorum = voters / 2 + 1;
    q.healthyVoters = healthyVoters;
    q.faultTolerance = std::max(0, healthyVoters - q.quorum);
    return q;
}

QString QuorumFigures::describe() const
{
    const QString votersText = voters == 1 ? QStringLiteral("1 voter") : QStringLiteral("%1 voters").arg(voters);
    QString tail;
    if (!hasQuorum())
        tail = QStringLiteral("quorum lost");
    else if (faultTolerance == 0)
        tail = QStringLiteral("survives no failure");
    else if (faultTolerance == 1)
        tail = QStringLiteral("survives 1 failure");
    else
        tail = QStringLiteral("survives %1 failures").arg(faultTolerance);
    return QStringLiteral("%1 · quorum %2 · %3").arg(votersText).arg(quorum).arg(tail);
}

QJsonObject QuorumFigures::toJson() const
{
    return {{QStringLiteral("voters"), voters}, {QStringLiteral("quorum"), quorum},
        {QStringLiteral("healthyVoters"), healthyVoters}, {QStringLiteral("faultTolerance"), faultTolerance}};
}

namespace {

// etcd lists alarms in StatusResponse.errors in protobuf text form:
// "memberID:10276657743932975437 alarm:NOSPACE ".
void collectAlarms(const QStringList &errors, QHash<uint64_t, QStringList> &into)
{
    static const QRegularExpression re(QStringLiteral("memberID:(\\d+)\\s+alarm:([A-Z]+)"));
    for (const QString &e : errors) {
        const auto m = re.match(e);
        if (!m.hasMatch())
            continue;
        QStringList &list = into[m.captured(1).toULongLong()];
        if (!list.contains(m.captured(2)))
            list.append(m.captured(2));
    }
}

QString endpointText(const QString &endpoint)
{
    // Operators write host:port; the scheme only matters when it is not plain http.
    return endpoint.startsWith(QLatin1String("http://")) ? endpoint.mid(7) : endpoint;
}

QString listed(const QStringList &items)
{
    if (items.size() < 2)
        return items.value(0);
    return QStringList(items.cbegin(), items.cend() - 1).join(QStringLiteral(", ")) + QStringLiteral(" and ")
        + items.last();
}

} // namespace

void ClusterSnapshot::checkEndpoints(const QList<EndpointAnswer> &endpoints)
{
    // "The" cluster is the one most of the endpoints answer for; on a tie, the one the
    // first of them answers for (the operator's order: the first endpoint leads).
    QList<uint64_t> clusters; // in order of first appearance
    QHash<uint64_t, int> count;
    for (const EndpointAnswer &a : endpoints) {
        if (a.clusterId == 0)
            continue;
        if (!count.contains(a.clusterId))
            clusters << a.clusterId;
        ++count[a.clusterId];
    }
    if (clusters.size() < 2)
        return;
    uint64_t majority = clusters.first();
    for (uint64_t c : std::as_const(clusters)) {
        if (count.value(c) > count.value(majority))
            majority = c;
    }
    QStringList odd;
    QStringList agreeing;
    for (const EndpointAnswer &a : endpoints) {
        if (a.clusterId == 0)
            continue;
        if (a.clusterId == majority) {
            agreeing << endpointText(a.endpoint);
        } else {
            m_foreignEndpoints << a.endpoint;
            odd << QStringLiteral("%1 answers for cluster %2")
                       .arg(endpointText(a.endpoint), MemberId::toHex(a.clusterId));
        }
    }
    m_endpointConflict = QStringLiteral("%1, not cluster %2 like %3; check --endpoints")
                             .arg(listed(odd), MemberId::toHex(majority), listed(agreeing));
}

ClusterSnapshot ClusterSnapshot::build(qint64 timeMs, const MemberListInfo &list, bool membersFresh,
    const QHash<uint64_t, StatusObservation> &statuses, const QString &listError,
    const QList<EndpointAnswer> &endpoints)
{
    ClusterSnapshot s;
    s.m_timeMs = timeMs;
    s.m_membersFresh = membersFresh;
    s.m_clusterId = list.header.clusterId;

    QHash<uint64_t, QStringList> alarms;
    QStringList foreignMembers;
    for (const MemberInfo &info : list.members) {
        MemberState m;
        m.id = info.id;
        m.name = info.name;
        m.peerUrls = info.peerUrls;
        m.clientUrls = info.clientUrls;
        m.isLearner = info.isLearner;
        const auto it = statuses.constFind(info.id);
        const bool otherCluster = it != statuses.constEnd() && it->status && s.m_clusterId != 0
            && it->status->header.clusterId != 0 && it->status->header.clusterId != s.m_clusterId;
        if (otherCluster) {
            // Same member id, another cluster: a member wiped and bootstrapped again on its own
            // (etcd derives member ids from peer URLs and the cluster token). It is not this
            // cluster's member, whatever it reports.
            m.errors = {QStringLiteral("answers for another cluster (%1), not this one (%2)")
                            .arg(MemberId::toHex(it->status->header.clusterId), MemberId::toHex(s.m_clusterId))};
            m.latencyMs = it->latencyMs;
            foreignMembers << m.displayName();
        } else if (it != statuses.constEnd() && it->status) {
            const StatusInfo &st = *it->status;
            m.reachable = true;
            m.version = st.version;
            m.term = st.raftTerm;
            m.raftIndex = st.raftIndex;
            m.appliedIndex = st.raftAppliedIndex;
            m.leaderSeen = st.leader;
            m.revision = st.header.revision;
            m.dbSize = st.dbSize;
            m.dbSizeInUse = st.dbSizeInUse;
            m.errors = st.errors;
            m.latencyMs = it->latencyMs;
            collectAlarms(st.errors, alarms);
            if (s.m_clusterId == 0)
                s.m_clusterId = st.header.clusterId;
        } else if (it != statuses.constEnd()) {
            m.errors = {it->error.sentence};
            m.latencyMs = it->latencyMs;
        } else if (info.clientUrls.isEmpty()) {
            m.errors = {QStringLiteral("not started: the member has been added but has no client URL yet")};
        } else {
            m.errors = {QStringLiteral("not asked in this tick")};
        }
        s.m_members.append(m);
    }
    // etcd repeats every alarm of the cluster in each member's errors, in protobuf text form.
    // A member's errors keep its own alarms only, in words.
    static const QRegularExpression alarmText(QStringLiteral("memberID:\\d+\\s+alarm:"));
    for (MemberState &m : s.m_members) {
        m.alarms = alarms.value(m.id);
        m.errors.removeIf([](const QString &e) { return e.contains(alarmText); });
        for (const QString &a : std::as_const(m.alarms))
            m.errors << QStringLiteral("%1 alarm raised").arg(a);
    }

    // The cluster's leader and term are what most reachable members report together. A
    // member cut off from its peers proves nothing: a deposed leader still believes in its
    // old term, and a follower that lost touch campaigns at ever higher terms (etcd 3.4 runs
    // without pre-vote by default) while the majority carries on under its leader. A tie
    // goes to the higher term, the later election.
    QMap<std::pair<uint64_t, uint64_t>, int> votes; // (term, leader) -> members reporting it
    for (const MemberState &m : std::as_const(s.m_members)) {
        if (m.reachable) {
            s.m_term = std::max(s.m_term, m.term); // kept when nobody reports a leader
            if (m.leaderSeen != 0)
                votes[{m.term, m.leaderSeen}]++;
        }
    }
    int best = 0;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it) {
        if (it.value() >= best) { // ascending by term: on a tie the later term wins
            best = it.value();
            s.m_term = it.key().first;
            s.m_leaderId = it.key().second;
        }
    }
    QStringList disagreements;
    for (const QString &name : std::as_const(foreignMembers))
        disagreements << QStringLiteral("%1 answers for another cluster").arg(name);
    QSet<uint64_t> leadersAtTerm;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it) {
        if (it.key().first == s.m_term)
            leadersAtTerm.insert(it.key().second);
    }
    if (leadersAtTerm.size() > 1)
        disagreements << QStringLiteral("members report different leaders for term %1").arg(s.m_term);
    for (const MemberState &m : std::as_const(s.m_members)) {
        if (!m.reachable || m.term == s.m_term)
            continue;
        QString note
            = QStringLiteral("%1 is at term %2, the cluster at %3").arg(m.displayName()).arg(m.term).arg(s.m_term);
        if (m.leaderSeen == 0 && m.term > s.m_term)
            note += QStringLiteral(" with no leader (campaigning: cut off from the leader?)");
        disagreements << note;
    }
    s.m_disagreement = disagreements.join(QStringLiteral("; "));

    const MemberState *leader = s.member(s.m_leaderId);
    int voters = 0;
    int healthy = 0;
    for (MemberState &m : s.m_members) {
        if (m.reachable) {
            if (m.id == m.leaderSeen && m.id == s.m_leaderId)
                m.role = MemberRole::Leader;
            else if (m.isLearner)
                m.role = MemberRole::Learner;
            else if (m.id == m.leaderSeen) {
                // A deposed leader that has not heard of its successor: neither leads nor follows.
                m.role = MemberRole::Unknown;
                m.errors << QStringLiteral("believes it leads at term %1, but the cluster's term is %2")
                                .arg(m.term)
                                .arg(s.m_term);
            } else
                m.role = MemberRole::Follower;
        } else {
            m.role = m.isLearner ? MemberRole::Learner : MemberRole::Unknown;
        }
        m.followsLeader = m.reachable && s.m_leaderId != 0 && m.leaderSeen == s.m_leaderId && m.term == s.m_term;
        if (leader && leader->reachable && m.reachable)
            m.lag = std::max<int64_t>(0, int64_t(leader->appliedIndex) - int64_t(m.appliedIndex));
        if (m.isVoter()) {
            ++voters;
            if (m.isHealthyVoter())
                ++healthy;
        }
    }
    s.m_quorum = QuorumFigures::of(voters, healthy);

    std::stable_sort(s.m_members.begin(), s.m_members.end(), [](const MemberState &a, const MemberState &b) {
        if (a.name != b.name)
            return a.name < b.name;
        return a.id < b.id;
    });
    if (!s.anyAnswered())
        s.m_error = listError.isEmpty() ? QStringLiteral("no endpoint answered") : listError;
    s.checkEndpoints(endpoints);
    return s;
}

bool ClusterSnapshot::anyAnswered() const
{
    return std::any_of(m_members.cbegin(), m_members.cend(), [](const MemberState &m) { return m.reachable; });
}

bool ClusterSnapshot::allReachable() const
{
    return !m_members.isEmpty()
        && std::all_of(m_members.cbegin(), m_members.cend(), [](const MemberState &m) { return m.reachable; });
}

const MemberState *ClusterSnapshot::member(uint64_t id) const
{
    if (id == 0)
        return nullptr;
    for (const MemberState &m : m_members) {
        if (m.id == id)
            return &m;
    }
    return nullptr;
}

const MemberState *ClusterSnapshot::findMember(const QString &idOrName) const
{
    const MemberState *byName = nullptr;
    int named = 0;
    for (const MemberState &m : m_members) {
        if (!m.name.isEmpty() && m.name == idOrName) {
            byName = &m;
            ++named;
        }
    }
    if (named == 1)
        return byName;
    if (const auto id = MemberId::fromHex(idOrName)) {
        if (const MemberState *m = member(*id))
            return m;
    }
    // etcdctl's JSON prints ids in decimal; accept that spelling too.
    bool ok = false;
    const uint64_t decimal = idOrName.toULongLong(&ok, 10);
    return ok ? member(decimal) : nullptr;
}

QJsonObject ClusterSnapshot::toJson() const
{
    QJsonArray members;
    for (const MemberState &m : m_members)
        members.append(m.toJson());
    QJsonObject o {
        {QStringLiteral("clusterId"), MemberId::toHex(m_clusterId)},
        {QStringLiteral("leader"), m_leaderId ? QJsonValue(MemberId::toHex(m_leaderId)) : QJsonValue()},
        {QStringLiteral("term"), qint64(m_term)},
        {QStringLiteral("voters"), m_quorum.voters},
        {QStringLiteral("quorum"), m_quorum.quorum},
        {QStringLiteral("healthyVoters"), m_quorum.healthyVoters},
        {QStringLiteral("faultTolerance"), m_quorum.faultTolerance},
        {QStringLiteral("hasQuorum"), hasQuorum()},
        {QStringLiteral("disagreement"), disagreement()},
        {QStringLiteral("time"), m_timeMs},
        {QStringLiteral("members"), members},
    };
    if (disagreement())
        o.insert(QStringLiteral("disagreementDetail"), m_disagreement);
    if (!m_error.isEmpty())
        o.insert(QStringLiteral("error"), m_error);
    if (!m_endpointConflict.isEmpty())
        o.insert(QStringLiteral("endpointConflict"), m_endpointConflict);
    return o;
}

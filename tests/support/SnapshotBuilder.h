#pragma once

#include "cluster/ClusterSnapshot.h"

/// Builds synthetic snapshots for unit tests through the real ClusterSnapshot::build, from
/// a compact description of each member.
class SnapshotBuilder {
public:
    explicit SnapshotBuilder(qint64 timeMs = 1000)
        : m_timeMs(timeMs)
    {
    }

    /// A member that answers Status, reporting `leader` at `term`.
    SnapshotBuilder &member(
        uint64_t id, const QString &name, uint64_t leader, uint64_t term, uint64_t applied = 100, bool learner = false)
    {
        addInfo(id, name, learner);
        StatusObservation obs;
        StatusInfo st;
        st.header.memberId = id;
        st.header.clusterId = 0xc1;
        st.leader = leader;
        st.raftTerm = term;
        st.raftIndex = applied;
        st.raftAppliedIndex = applied;
        st.isLearner = learner;
        st.version = QStringLiteral("3.4.23");
        if (leader == 0)
            st.errors << QStringLiteral("etcdserver: no leader");
        obs.status = st;
        obs.latencyMs = 0.5;
        m_statuses.insert(id, obs);
        return *this;
    }

    /// A member that does not answer.
    SnapshotBuilder &down(uint64_t id, const QString &name, bool learner = false)
    {
        addInfo(id, name, learner);
        StatusObservation obs;
        obs.error = EtcdError::fromStatus(EtcdError::DeadlineExceeded, QStringLiteral("Deadline Exceeded"),
            QStringLiteral("http://127.0.0.1:%1").arg(id));
        m_statuses.insert(id, obs);
        return *this;
    }

    SnapshotBuilder &alarm(uint64_t reporter, uint64_t member, const QString &type)
    {
        m_statuses[reporter].status->errors << QStringLiteral("memberID:%1 alarm:%2 ").arg(member).arg(type);
        return *this;
    }

    /// The revision a member reported (its Status header's).
    SnapshotBuilder &revision(uint64_t id, int64_t revision)
    {
        m_statuses[id].status->header.revision = revision;
        return *this;
    }

    SnapshotBuilder &stale()
    {
        m_fresh = false;
        return *this;
    }

    /// One of the operator's endpoints, answering for clusterId (0: not answering).
    SnapshotBuilder &endpoint(const QString &endpoint, uint64_t clusterId)
    {
        m_endpoints.append({endpoint, clusterId});
        return *this;
    }

    ClusterSnapshot build() const
    {
        return ClusterSnapshot::build(m_timeMs, m_list, m_fresh, m_statuses, {}, m_endpoints);
    }

private:
    void addInfo(uint64_t id, const QString &name, bool learner)
    {
        MemberInfo info;
        info.id = id;
        info.name = name;
        info.isLearner = learner;
        info.peerUrls = {QStringLiteral("http://127.0.0.1:%1").arg(20000 + id)};
        info.clientUrls = {QStringLiteral("http://127.0.0.1:%1").arg(10000 + id)};
        m_list.members << info;
        m_list.header.clusterId = 0xc1;
    }

    qint64 m_timeMs;
    bool m_fresh = true;
    MemberListInfo m_list;
    QHash<uint64_t, StatusObservation> m_statuses;
    QList<EndpointAnswer> m_endpoints;
};

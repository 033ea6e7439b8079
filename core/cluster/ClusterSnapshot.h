#pragma once

#include "etcd/EtcdError.h"
#include "etcd/EtcdTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

enum class MemberRole { Leader, Follower, Learner, Unknown };
QString memberRoleName(MemberRole role);

/// What one member looked like in one tick.
struct MemberState {
    uint64_t id = 0;
    QString name;
    QStringList peerUrls;
    QStringList clientUrls;
    bool isLearner = false;

    MemberRole role = MemberRole::Unknown;
    bool reachable = false;
    QString version;
    uint64_t term = 0;
    uint64_t raftIndex = 0; ///< committed index
    uint64_t appliedIndex = 0;
    uint64_t leaderSeen = 0; ///< the leader this member reports (0: none)
    int64_t revision = 0;
    int64_t lag = 0; ///< entries applied by the leader and not yet by this member
    int64_t dbSize = 0;
    int64_t dbSizeInUse = 0;
    double latencyMs = 0;
    QStringList errors; ///< etcd's errors (alarms included), or why it is unreachable
    QStringList alarms; ///< "NOSPACE", "CORRUPT"

    /// Answers, is at the cluster's term and follows the cluster's leader (set by build()).
    bool followsLeader = false;

    bool isVoter() const { return !isLearner; }
    /// A voter that follows the cluster's leader: it counts towards quorum. A member cut off
    /// in a minority, still believing in an older leader or term, does not.
    bool isHealthyVoter() const { return isVoter() && followsLeader; }
    QString displayName() const;
    QJsonObject toJson() const;
};

/// One member's Status answer (or failure) in a tick.
struct StatusObservation {
    std::optional<StatusInfo> status;
    EtcdError error;
    double latencyMs = 0;
    QString endpoint;
};

/// Which cluster one of the operator's endpoints answered for in a tick (the cluster_id in
/// the header of its Status or MemberList answer).
struct EndpointAnswer {
    QString endpoint; ///< as the operator's settings name it
    uint64_t clusterId = 0; ///< 0: it did not answer
};

/// Voters, quorum and fault tolerance for a number of voters: quorum is n/2+1, and a
/// cluster of 2f+1 voters survives f failures.
struct QuorumFigures {
    int voters = 0;
    int quorum = 0;
    int healthyVoters = 0;
    int faultTolerance = 0; ///< further voter failures survivable; 0 when quorum is lost

    static QuorumFigures of(int voters, int healthyVoters);
    /// The one place the figures after a change are worked out; every pre-flight asks these.
    /// A voter that joins counts towards the quorum but cannot answer until it starts.
    QuorumFigures withVoterJoining() const { return of(voters + 1, healthyVoters); }
    /// A voter leaves the cluster; healthy says whether it was one of the healthy voters.
    QuorumFigures withVoterRemoved(bool healthy) const { return of(voters - 1, healthyVoters - (healthy ? 1 : 0)); }
    /// A healthy voter stops answering for a while (a restart, a defragmentation).
    QuorumFigures withVoterDown() const { return of(voters, healthyVoters - 1); }
    bool hasQuorum() const { return voters > 0 && healthyVoters >= quorum; }
    /// "3 voters · quorum 2 · survives 1 failure"
    QString describe() const;
    QJsonObject toJson() const;
    bool operator==(const QuorumFigures &) const = default;
};

/// The whole cluster as one tick of ClusterMonitor saw it. An immutable value: built once by
/// build(), then only read, copied across threads and modules, and printed as JSON.
class ClusterSnapshot {
public:
    ClusterSnapshot() = default;

    /// Folds a member list and the Status answers (keyed by the answering member's id)
    /// into a snapshot. membersFresh is false when the member list is the one remembered
    /// from an earlier tick because no endpoint answered MemberList this time. endpoints:
    /// the cluster each of the operator's endpoints answered for, in the operator's order.
    static ClusterSnapshot build(qint64 timeMs, const MemberListInfo &list, bool membersFresh,
        const QHash<uint64_t, StatusObservation> &statuses, const QString &listError = {},
        const QList<EndpointAnswer> &endpoints = {});

    bool isValid() const { return m_timeMs != 0; }
    qint64 timeMs() const { return m_timeMs; }
    uint64_t clusterId() const { return m_clusterId; }
    uint64_t leaderId() const { return m_leaderId; }
    uint64_t term() const { return m_term; }
    const QList<MemberState> &members() const { return m_members; }
    const QuorumFigures &quorum() const { return m_quorum; }
    bool hasLeader() const { return m_leaderId != 0; }
    bool hasQuorum() const { return m_quorum.hasQuorum() && hasLeader(); }
    bool membersFresh() const { return m_membersFresh; }
    /// Members answered with different leaders or terms.
    bool disagreement() const { return !m_disagreement.isEmpty(); }
    QString disagreementDetail() const { return m_disagreement; }
    /// Set when no endpoint answered at all.
    QString error() const { return m_error; }
    /// Set when the operator's endpoints answer for more than one cluster: one sentence
    /// naming each endpoint that answers for another cluster than most of them do (than the
    /// first one does, on a tie). Nothing said about such a mix holds, so it is refused.
    QString endpointConflict() const { return m_endpointConflict; }
    /// The endpoints endpointConflict() names, as the operator's settings name them.
    const QStringList &foreignEndpoints() const { return m_foreignEndpoints; }
    bool anyAnswered() const;
    bool allReachable() const;
    /// Healthy: a leader, every member reachable, no disagreement, one cluster behind the endpoints.
    bool isHealthy() const { return hasLeader() && allReachable() && !disagreement() && m_endpointConflict.isEmpty(); }

    const MemberState *member(uint64_t id) const;
    const MemberState *leader() const { return member(m_leaderId); }
    /// Finds a member by its hex id or its name; nullptr when none or ambiguous.
    const MemberState *findMember(const QString &idOrName) const;

    double tickMs() const { return m_tickMs; }
    void setTickMs(double ms) { m_tickMs = ms; }

    QJsonObject toJson() const;

private:
    qint64 m_timeMs = 0;
    uint64_t m_clusterId = 0;
    uint64_t m_leaderId = 0;
    uint64_t m_term = 0;
    QList<MemberState> m_members;
    QuorumFigures m_quorum;
    bool m_membersFresh = false;
    QString m_disagreement;
    QString m_error;
    QString m_endpointConflict;
    QStringList m_foreignEndpoints;
    double m_tickMs = 0;

    void checkEndpoints(const QList<EndpointAnswer> &endpoints);
};

Q_DECLARE_METATYPE(ClusterSnapshot)

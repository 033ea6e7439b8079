#pragma once

#include "cluster/ClusterSnapshot.h"

#include <QJsonObject>

/// A leader transfer, decided from a snapshot before anything is sent.
struct MoveLeaderPlan {
    bool allowed = false;
    QString sentence; ///< the refusal, or what will be done
    uint64_t leaderId = 0;
    QString leaderEndpoint; ///< MoveLeader must be sent to the leader itself
    uint64_t targetId = 0;
};

/// A member removal, with the quorum arithmetic before and after.
struct RemovePlan {
    enum class Verdict { Allowed, NeedsForce, Refused };
    Verdict verdict = Verdict::Refused;
    QString sentence;
    uint64_t memberId = 0;
    QString endpoint; ///< a live voter to send the removal to
    QuorumFigures before;
    QuorumFigures after;

    QJsonObject toJson() const;
};

/// A learner promotion, with how far the learner trails the leader.
struct PromotePlan {
    bool allowed = false;
    QString sentence;
    uint64_t learnerId = 0;
    QString learnerName;
    QString endpoint;
    uint64_t leaderApplied = 0;
    uint64_t learnerApplied = 0;
    int64_t behind = 0;
    double caughtUpPercent = 0;
};

/// The pre-flight checks behind every member operation. Pure functions of a snapshot: the
/// CLI and the window call the same ones and show the same refusal text.
class Preflight {
public:
    /// target: a member id or name; empty picks the most up-to-date reachable follower.
    static MoveLeaderPlan moveLeader(const ClusterSnapshot &snapshot, const QString &target);
    /// force overrides only the warning that the cluster would survive no further failure.
    static RemovePlan remove(const ClusterSnapshot &snapshot, const QString &member, bool force);
    static PromotePlan promote(const ClusterSnapshot &snapshot, const QString &member);
    /// Why a member (voter, or learner) cannot be added now; empty when it can. The URLs
    /// and name are PeerUrlValidator's business.
    static QString add(const ClusterSnapshot &snapshot, bool learner);

    /// A live endpoint that will forward a change to the leader: the leader's, else any
    /// reachable voter's. Empty when none answers.
    static QString writeEndpoint(const ClusterSnapshot &snapshot);
};

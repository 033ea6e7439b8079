#pragma once

#include <QJsonObject>
#include <QString>
#include <cstdint>

/// One step of the space-reclaim runbook: compacting the keyspace, defragmenting one
/// member, or disarming the NOSPACE alarm.
struct ReclaimStep {
    enum class Kind { Compact, Defragment, Disarm };
    enum class State { Pending, Running, Done, Skipped, Failed, Cancelled };

    Kind kind = Kind::Defragment;
    State state = State::Pending;
    uint64_t memberId = 0; ///< Defragment only
    QString member; ///< its name
    QString endpoint; ///< where the request goes
    bool ledWhenPlanned = false; ///< the member led when the runbook was planned
    bool wasLeader = false; ///< the member led at the moment it was defragmented (a one-voter cluster only)
    QString movedLeadershipTo; ///< the member leadership was moved to before defragmenting this one
    int leadershipMoves = 0; ///< how often leadership was moved off it in this run
    QString detail; ///< what happened, or why it was skipped
    int64_t sizeBefore = 0; ///< db size before the step (Defragment)
    int64_t sizeAfter = 0;
    double durationMs = 0;

    QString title() const; ///< "defragment etcd-2 (leader: leadership moves first)"
    bool finished() const { return state != State::Pending && state != State::Running; }
    /// A defragmentation: {"id", "name", "leader", "before", "after", "skipped" (the reason, or
    /// null), "movedLeadershipTo" (when it moved), "state", "detail", "durationMs"}; the other
    /// steps: {"step", "state", "detail", "durationMs"}.
    QJsonObject toJson() const;
};

QString reclaimStateName(ReclaimStep::State state);

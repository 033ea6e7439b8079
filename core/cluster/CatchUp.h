#pragma once

#include "cluster/ClusterSnapshot.h"

#include <QString>

/// How far a member that has just joined has come towards the leader's log, read from one
/// snapshot after another. The target is the leader's committed index when the member was
/// first seen (what the cluster held when it joined; later writes it follows as any member
/// does), so that the figure moves towards a fixed end instead of chasing the leader.
class CatchUp {
public:
    enum class State {
        Waiting, ///< not in the list yet, or not answering: its process is starting
        Behind, ///< answering, below the target
        CaughtUp, ///< answering at or past the target, and following a leader
        TimedOut, ///< not caught up by the deadline
    };
    struct Reading {
        State state = State::Waiting;
        uint64_t index = 0; ///< the member's committed index
        uint64_t target = 0; ///< 0 while no leader has been seen
        QString sentence; ///< "etcd4 is catching up: index 800 of 1532 (52 %)"
        bool finished() const { return state == State::CaughtUp || state == State::TimedOut; }
    };

    /// The member is found by its peer URL (a member added and not yet started has no name
    /// in the list); it is given timeoutMs from startedMs, the snapshots' clock.
    CatchUp(const QString &name, const QString &peerUrl, qint64 startedMs, int timeoutMs);

    Reading read(const ClusterSnapshot &snapshot);
    const QString &name() const { return m_name; }

private:
    QString m_name;
    QString m_peerUrl;
    qint64 m_deadlineMs;
    int m_timeoutMs;
    uint64_t m_target = 0;
};

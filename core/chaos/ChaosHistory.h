#pragma once

#include "cluster/ClusterEvent.h"
#include "logs/MemberLogEntry.h"

#include <QList>
#include <QString>
#include <cstdint>

/// What one member said of itself in one tick.
struct MemberSighting {
    uint64_t id = 0;
    bool reachable = false;
    bool leader = false; ///< it reported itself as the leader
    uint64_t term = 0;
};

/// One tick of the monitor during a chaos run.
struct TickRecord {
    qint64 startMs = 0; ///< wall clock
    double tickMs = 0;
    QList<MemberSighting> members;

    qint64 endMs() const { return startMs + qint64(tickMs + 0.999); }
};

/// Everything a chaos run observed, for InvariantChecker: the console's ticks and events,
/// and the leadership lines the members wrote in their logs.
struct ChaosHistory {
    QList<TickRecord> ticks;
    QList<ClusterEvent> events;
    QList<LeadershipLine> leadershipLines;
    int tickDeadlineMs = 0;
    int tickMarginMs = 0;

    /// After the final heal: how long until one leader, every member reachable and one
    /// revision everywhere; -1 when that never happened within the time allowed.
    qint64 convergedInMs = -1;
    int convergeLimitMs = 10000;
    QString convergeProblem; ///< what was still wrong when time ran out
};

#pragma once

#include "cluster/ClusterEvent.h"
#include "cluster/ClusterSnapshot.h"

/// Turns two consecutive snapshots into the ClusterEvents between them. Pure: no clock, no
/// I/O; every event is stamped with the newer snapshot's time.
class SnapshotDiff {
public:
    /// requestedLeader: the member the console asked to become leader, if a transfer is
    /// pending; a LeaderChanged to it is marked as requested. lastKnownLeader: the leader
    /// before a stretch without one, so that the election ending it still says who led
    /// before ("from"), and lastKnownTerm the term it led in.
    static QList<ClusterEvent> between(const ClusterSnapshot &before, const ClusterSnapshot &after,
        uint64_t requestedLeader = 0, uint64_t lastKnownLeader = 0, uint64_t lastKnownTerm = 0);

private:
    static void leadership(const ClusterSnapshot &before, const ClusterSnapshot &after, uint64_t requestedLeader,
        uint64_t lastKnownLeader, uint64_t lastKnownTerm, QList<ClusterEvent> &out);
    static void membership(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
    static void reachability(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
    static void alarms(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
};

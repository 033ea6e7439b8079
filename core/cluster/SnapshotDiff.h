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
    /// before ("from").
    static QList<ClusterEvent> between(const ClusterSnapshot &before, const ClusterSnapshot &after,
        uint64_t requestedLeader = 0, uint64_t lastKnownLeader = 0);

    /// False while `after` names a leader other than the last known one (which led at
    /// lastKnownTerm) at a term no later than that: etcd reports a member's term as that of
    /// the last entry it applied, while the leader it reports changes at once, so for a
    /// moment after an election members name the new leader at the old term. Diff such a
    /// snapshot and the leader change would carry a term that cannot be; wait a tick.
    static bool settled(const ClusterSnapshot &after, uint64_t lastKnownLeader, uint64_t lastKnownTerm);

private:
    static void leadership(const ClusterSnapshot &before, const ClusterSnapshot &after, uint64_t requestedLeader,
        uint64_t lastKnownLeader, QList<ClusterEvent> &out);
    static void membership(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
    static void reachability(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
    static void alarms(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
};

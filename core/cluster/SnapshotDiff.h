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
    /// before ("from"), and lastKnownTerm the term it led in (at least the term its own
    /// LeaderChanged carried, which may be later than the members reported then).
    ///
    /// A term that rose by more than the elections the two samples show is reported as one
    /// ElectionsUnseen event, ahead of the LeaderChanged that goes with it: between two samples
    /// with the same leader every election was unseen, and with different leaders all but the
    /// last. Not after a stretch without a leader, whose campaigns the samples show.
    static QList<ClusterEvent> between(const ClusterSnapshot &before, const ClusterSnapshot &after,
        uint64_t requestedLeader = 0, uint64_t lastKnownLeader = 0, uint64_t lastKnownTerm = 0);

private:
    static void leadership(const ClusterSnapshot &before, const ClusterSnapshot &after, uint64_t requestedLeader,
        uint64_t lastKnownLeader, uint64_t lastKnownTerm, QList<ClusterEvent> &out);
    static QString leaderChangeCause(const ClusterSnapshot &after, uint64_t from, bool requested);
    static void unseenElections(const ClusterSnapshot &before, const ClusterSnapshot &after, uint64_t fromTerm,
        uint64_t toTerm, uint64_t count, QList<ClusterEvent> &out);
    static void membership(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
    static void reachability(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
    static void alarms(const ClusterSnapshot &before, const ClusterSnapshot &after, QList<ClusterEvent> &out);
};

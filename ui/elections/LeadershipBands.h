#pragma once

#include "cluster/ClusterEvent.h"
#include "cluster/ClusterSnapshot.h"
#include "kube/KubeLease.h"

#include <QList>
#include <QString>

/// Who led when, as bands on a time line: etcd's leaderships from the cluster's events and
/// its current snapshot, and each control-plane component's lease holders from the
/// ComponentLeaderChanged / ComponentLeaseStale events and the leases read now. Pure.
namespace LeadershipBands {

/// One etcd leadership, or (leader 0) a stretch between two samples where elections fell
/// unseen.
struct Band {
    uint64_t leader = 0;
    uint64_t term = 0;
    qint64 startMs = 0;
    qint64 endMs = 0; ///< the snapshot's time for the current leadership
    int unseenElections = 0; ///< > 0: a gap between two samples, no leader known (leader 0)
    QString detail; ///< for a gap: the event's sentence
};

/// One holding of a component's lease; holder "" while nobody held it (stale).
struct LeaseBand {
    QString lease; ///< kube-scheduler, kube-controller-manager
    QString holder; ///< the holder's node
    qint64 startMs = 0;
    qint64 endMs = 0;
};

/// The leaderships that events and the current snapshot describe. historyStartMs: when the
/// window first saw the cluster (0: the first event's time); the leadership before the
/// first election seen is drawn from there.
QList<Band> fromEvents(const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot, qint64 historyStartMs = 0);

/// Each lease's holdings, lease by lease (by name), each in time order: from the component
/// events, then the current leases (whose acquire time bounds the last holding), up to
/// nowMs. The first holding reaches back to historyStartMs.
QList<LeaseBand> fromLeases(
    const QList<ClusterEvent> &events, const QList<KubeLease> &current, qint64 nowMs, qint64 historyStartMs);

} // namespace LeadershipBands

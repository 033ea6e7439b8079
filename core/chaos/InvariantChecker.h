#pragma once

#include "chaos/ChaosHistory.h"

#include <QJsonObject>
#include <QStringList>

/// The verdict on a chaos run.
struct ChaosVerdict {
    QStringList violations; ///< one sentence each; empty when every invariant held
    int elections = 0; ///< leadership lines in the members' logs
    int superseded = 0; ///< elections overtaken by a newer one before any tick could see them
    int reelections = 0; ///< the leader won a new term: no change of leader to report
    qint64 worstDetectionLagMs = 0; ///< from a log line to the end of the tick that showed it
    double worstTickMs = 0;

    bool ok() const { return violations.isEmpty(); }
    QJsonObject toJson() const;
};

/// Checks a chaos run's history against the invariants that must hold whatever the faults:
/// - never two leaders for one term: neither in the members' "became leader" lines nor in
///   what they told the console (etcd reports the term of the last applied entry, so a
///   fresh leader's claim counts for the term its own log line names);
/// - every change of leader a member's log records is a LeaderChanged event of the console
///   no later than the first tick that started after the log line (unless a newer election
///   overtook it first, and that one was seen); a leader re-elected in a new term is no
///   change of leader;
/// - no tick took longer than its deadline plus the margin;
/// - after healing, one leader, every member reachable and one revision within the limit.
namespace InvariantChecker {

ChaosVerdict check(const ChaosHistory &history);

} // namespace InvariantChecker

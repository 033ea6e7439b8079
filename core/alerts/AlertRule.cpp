#include "alerts/AlertRule.h"

#include "alerts/RuleTiming.h"

#include <algorithm>

const char *severityName(AlertSeverity severity)
{
    return severity == AlertSeverity::Critical ? "critical" : "warning";
}

RuleTiming RuleTiming::scaled(int64_t factor) const
{
    RuleTiming s = *this;
    int64_t *const fields[] = {&s.networkFailureRange, &s.rateRange, &s.proposalsRange, &s.leaderChangesRange,
        &s.leaderChangesStep, &s.lastValueRange, &s.growthRange, &s.growthHorizon, &s.membersDownFor,
        &s.insufficientMembersFor, &s.noLeaderFor, &s.leaderChangesFor, &s.failedGrpcWarningFor,
        &s.failedGrpcCriticalFor, &s.slowGrpcFor, &s.slowPeersFor, &s.failedProposalsFor, &s.fsyncFor, &s.commitFor,
        &s.quotaFor, &s.growthFor, &s.fragmentationFor, &s.lbBackendDownFor, &s.lbDriftFor, &s.backupGrace};
    for (int64_t *f : fields)
        *f = std::max<int64_t>(1, *f / std::max<int64_t>(1, factor));
    return s;
}

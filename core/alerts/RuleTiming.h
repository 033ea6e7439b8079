#pragma once

#include <cstdint>

/// Every window and pending period of the alert rules, in one place. The defaults are the
/// etcd mixin's (its scrape interval of 30 s makes the peer-failure window 4 x 30 s); a
/// test shortens them to watch a rule fire within seconds.
struct RuleTiming {
    static constexpr int64_t kSecond = 1000;
    static constexpr int64_t kMinute = 60 * kSecond;
    static constexpr int64_t kHour = 60 * kMinute;

    int64_t networkFailureRange = 120 * kSecond; ///< peer send failures
    int64_t rateRange = 5 * kMinute; ///< gRPC, latency histograms
    int64_t proposalsRange = 15 * kMinute; ///< failed proposals
    int64_t leaderChangesRange = 15 * kMinute; ///< leader changes, a subquery ...
    int64_t leaderChangesStep = 1 * kMinute; ///< ... at this step
    int64_t lastValueRange = 5 * kMinute; ///< last_over_time() of the database sizes
    int64_t growthRange = 4 * kHour; ///< predict_linear() looks back this far ...
    int64_t growthHorizon = 4 * kHour; ///< ... and this far ahead

    int64_t membersDownFor = 10 * kMinute;
    int64_t insufficientMembersFor = 3 * kMinute;
    int64_t noLeaderFor = 1 * kMinute;
    int64_t leaderChangesFor = 5 * kMinute;
    int64_t failedGrpcWarningFor = 10 * kMinute;
    int64_t failedGrpcCriticalFor = 5 * kMinute;
    int64_t slowGrpcFor = 10 * kMinute;
    int64_t slowPeersFor = 10 * kMinute;
    int64_t failedProposalsFor = 15 * kMinute;
    int64_t fsyncFor = 10 * kMinute;
    int64_t commitFor = 10 * kMinute;
    int64_t quotaFor = 10 * kMinute;
    int64_t growthFor = 10 * kMinute;
    int64_t fragmentationFor = 10 * kMinute;

    // The console's own rules (ConsoleRules).
    int64_t lbBackendDownFor = 1 * kMinute;
    int64_t lbDriftFor = 1 * kMinute;
    int64_t backupGrace = 15 * kMinute; ///< a scheduled backup may be this late

    /// Every window and period divided by `factor` (at least 1 ms each): for tests.
    RuleTiming scaled(int64_t factor) const;
};

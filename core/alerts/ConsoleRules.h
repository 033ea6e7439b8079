#pragma once

#include "alerts/AlertRule.h"
#include "alerts/RuleTiming.h"

#include <vector>

/// The console's own alert rules, over facts that only the console knows and records
/// itself (FactSheet): what the load balancer says of each backend, the certificates of the
/// connection, the last consistency check and the backups. They are PromQL like the etcd
/// rules, evaluated by the same engine, but never printed for Prometheus, which has none
/// of these series.
namespace ConsoleRules {

/// 1 while the LB keeps the backend in rotation, 0 while it holds it DOWN; absent for a
/// generic LB. Labels: backend, member.
inline constexpr const char *kLbBackendUp = "quorumdeck_lb_backend_up";
/// 1 while the LB disagrees with the member's health. Labels: backend, member, drift
/// ("routes-to-unhealthy" or "holds-healthy-down").
inline constexpr const char *kLbBackendDrift = "quorumdeck_lb_backend_drift";
/// A certificate's notAfter in unix seconds. Labels: certificate (what it is to the
/// connection), subject.
inline constexpr const char *kCertificateExpiry = "quorumdeck_certificate_expiry_timestamp_seconds";
/// 1 for a member the last consistency check found divergent, else 0. Label: member.
inline constexpr const char *kMemberDivergent = "quorumdeck_member_divergent";
/// When the newest verified backup was taken, in unix seconds (0 when there is none);
/// recorded only while a schedule asks for backups.
inline constexpr const char *kBackupLastVerified = "quorumdeck_backup_last_verified_timestamp_seconds";
/// The schedule's period in seconds.
inline constexpr const char *kBackupInterval = "quorumdeck_backup_interval_seconds";

inline constexpr int kCertificateWarningDays = 30;
inline constexpr int kCertificateCriticalDays = 7;

std::vector<AlertRule> rules(const RuleTiming &timing = {});

} // namespace ConsoleRules

#pragma once

#include "alerts/AlertRule.h"
#include "alerts/RuleTiming.h"

#include <vector>

/// The etcd project's alert rules (its monitoring mixin, contrib/mixin), complete and with
/// the mixin's thresholds, pending periods and severities, built as expression trees.
namespace EtcdRules {

/// The mixin's default selector, job=~".*etcd.*", for a Prometheus that scrapes other jobs
/// too. The console's own store holds only etcd members and has no job label: it builds
/// the rules with no selector.
std::vector<PromExpr::Matcher> defaultSelector();

std::vector<AlertRule> rules(const std::vector<PromExpr::Matcher> &selector, const RuleTiming &timing = {});

} // namespace EtcdRules

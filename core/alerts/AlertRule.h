#pragma once

#include "alerts/PromExpr.h"

#include <cstdint>
#include <string>

/// How bad an alert is, in the words Prometheus rules and Alertmanager routes use.
enum class AlertSeverity { Warning, Critical };

const char *severityName(AlertSeverity severity);

/// One alerting rule: a PromQL expression whose every result is an alert, held for `forMs`
/// before it fires. Annotations may name labels as Prometheus templates do,
/// `{{ $labels.instance }}`; AlertText renders them.
struct AlertRule {
    std::string name; ///< e.g. etcdNoLeader
    AlertSeverity severity = AlertSeverity::Warning;
    int64_t forMs = 0;
    PromExpr::Expr expr;
    std::string summary; ///< one line
    std::string description; ///< what the expression means
    /// What an operator does about it, in the console's words (a command or a panel).
    std::string runbook;
};

#pragma once

#include "alerts/AlertRule.h"
#include "tsdb/SeriesStore.h"

#include <string>
#include <vector>

/// Where an alert stands, as Prometheus' rule manager tracks it.
enum class AlertPhase { Pending, Firing, Resolved };

const char *phaseName(AlertPhase phase);

/// One alert: a rule and one series of its expression's result.
struct Alert {
    std::string name;
    AlertSeverity severity = AlertSeverity::Warning;
    AlertPhase phase = AlertPhase::Pending;
    /// The result series' labels (the metric name dropped); alertname and severity are
    /// not repeated here.
    SeriesLabels labels;
    double value = 0;
    int64_t activeAtMs = 0; ///< when it became pending
    int64_t sinceMs = 0; ///< when it entered its phase
    int64_t firedAtMs = 0; ///< when it fired; 0 while it never did
    std::string summary; ///< templates rendered
    std::string description;
    std::string runbook;
    int rule = -1; ///< index in the engine's rules

    std::string label(const std::string &key) const;
};

/// Evaluates alert rules over a store with Prometheus' semantics. Each result series of a
/// rule's expression is an alert: new ones are pending, and fire once they have been
/// present at every evaluation for the rule's `for` period; one that leaves the result is
/// resolved (a pending one too: it never fired, but a watcher that saw it pending learns
/// it is over). A rule whose expression cannot be evaluated keeps its alerts as they are
/// and reports the error.
class AlertEngine {
public:
    explicit AlertEngine(std::vector<AlertRule> rules);

    const std::vector<AlertRule> &rules() const { return m_rules; }

    /// Evaluates every rule at nowMs and returns the alerts whose phase changed, in rule
    /// order.
    std::vector<Alert> evaluate(const SeriesStore &store, int64_t nowMs);

    /// Pending and firing alerts, in rule order.
    const std::vector<Alert> &active() const { return m_active; }
    /// Errors of the last evaluation, one per failing rule: "etcdNoLeader: ...".
    const std::vector<std::string> &errors() const { return m_errors; }

    /// Replaces {{ $labels.NAME }} with the label's value, as Prometheus' templates do
    /// for the annotations the console writes.
    static std::string render(const std::string &text, const SeriesLabels &labels);

private:
    std::vector<AlertRule> m_rules;
    std::vector<Alert> m_active;
    std::vector<std::string> m_errors;
};

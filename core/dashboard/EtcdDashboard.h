#pragma once

#include "dashboard/PanelQuery.h"

#include <optional>
#include <string>
#include <vector>

/// The panels of QuorumDeck's etcd dashboard, modelled on the etcd project's Grafana
/// dashboard, with the alert thresholds operators put on them. Pure data and arithmetic,
/// so that tests and benchmarks evaluate exactly what the window draws.
namespace EtcdDashboard {

enum class Unit { Boolean, Count, Seconds, Bytes, PerSecond, BytesPerSecond };

/// A line drawn across a panel; crossing it turns the panel amber or red.
struct Threshold {
    enum class Compare { None, Above, AtLeast, Below };
    Compare compare = Compare::None;
    double value = 0;
    /// When set, the threshold is `value` times the latest value of the line with this
    /// legend (db size against 95 % of the quota).
    std::string fractionOfLegend;
    std::string label; ///< e.g. "fsync p99 > 500 ms"
};

/// A panel's frame: normal, amber while an alert rule of the panel is pending, red while one
/// fires.
enum class Alert { Normal, Amber, Red };

struct Panel {
    std::string id; ///< stable, used for file names and settings
    std::string title;
    Unit unit = Unit::Count;
    std::vector<PanelQuery::Expr> exprs;
    Threshold threshold;
    /// The alert rules (alerts/EtcdRules) about what the panel shows: they, not the
    /// threshold line, colour its frame.
    std::vector<std::string> rules;
};

const std::vector<Panel> &panels();

/// The threshold's value for these lines, if the panel has one and it can be known.
std::optional<double> thresholdValue(const Threshold &threshold, const std::vector<PanelQuery::Line> &lines);

/// A value as the panel's unit prints it: "512 KiB", "3.2 ms", "12.5/s".
std::string format(Unit unit, double value);

} // namespace EtcdDashboard

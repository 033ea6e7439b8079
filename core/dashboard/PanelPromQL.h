#pragma once

#include "dashboard/PanelQuery.h"

#include <string>
#include <vector>

/// A panel's query as PromQL, for a Prometheus-compatible server that holds what the
/// console's own store does not (days of history, the time before the window connected).
/// The text means what PanelQuery::evaluate computes over the console's store: summed by
/// instance, rates over PanelQuery::Window::rateRangeMs().
namespace PanelPromQL {

/// `selector` is PromQL matcher text added to every metric, e.g. `cluster="prod"`, or "".
std::string text(const PanelQuery::Expr &expr, const PanelQuery::Window &window, const std::string &selector);

/// A PromQL string literal's content: backslashes and double quotes escaped.
std::string quoted(const std::string &value);
/// instance=~"a|b" matching exactly these instances (regular-expression characters escaped).
std::string instanceMatcher(const std::vector<std::string> &instances);

} // namespace PanelPromQL

#pragma once

#include "alerts/PromExpr.h"
#include "tsdb/SeriesStore.h"

#include <string>
#include <vector>

/// Evaluates a PromExpr tree at one instant over the console's store, with Prometheus 2's
/// semantics: instant selectors look back five minutes but a failed scrape makes a series
/// stale at once (absence, never zero); range selectors take the samples in [t - range, t];
/// rate() and increase() extrapolate towards the window's edges; subqueries evaluate at
/// multiples of their step; arithmetic drops the metric name, comparisons filter unless
/// `bool`; vectors match one-to-one on all labels but the name.
namespace PromEval {

inline constexpr const char *kNameLabel = "__name__";

/// One element of an instant vector: its labels (sorted, the name as __name__ where PromQL
/// keeps it) and its value.
struct Sample {
    SeriesLabels labels;
    double value = 0;
};
using Vector = std::vector<Sample>;

struct Options {
    int64_t lookbackMs = 5 * 60 * 1000; ///< Prometheus' default lookback delta
    /// When the store's knowledge begins (its first sample; 0: the beginning of time).
    /// Subquery steps before it are skipped: a console that started collecting a minute
    /// ago knows nothing of the quarter hour before, which is not the same as knowing that
    /// a metric was absent then (`x or 0 * absent(x)` would read as a jump from zero).
    int64_t knownFromMs = 0;
};

struct Result {
    Vector vector; ///< a scalar result is one sample without labels
    std::string error; ///< set when the expression cannot be evaluated (e.g. many-to-many)
};

Result evaluate(const SeriesStore &store, const PromExpr::Expr &expr, int64_t atMs, const Options &options = {});

/// A label's value, "" when absent (as PromQL treats a missing label).
std::string label(const SeriesLabels &labels, const std::string &name);

} // namespace PromEval

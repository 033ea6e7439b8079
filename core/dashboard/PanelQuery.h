#pragma once

#include "tsdb/SeriesStore.h"

#include <string>
#include <vector>

/// The few query shapes an etcd dashboard is made of, evaluated over a SeriesStore for a
/// time window and a pixel width, always summed by instance (one line per member or
/// target). Every result has at most about two points per pixel column, and a NaN point
/// wherever the data has a gap.
namespace PanelQuery {

/// A label condition: key = value, or key != value.
struct LabelMatcher {
    std::string key;
    std::string value;
    bool equal = true;
};

struct Expr {
    enum class Kind {
        Gauge, ///< sum by (instance) (metric)
        Rate, ///< sum by (instance) (rate(metric[auto]))
        Increase, ///< sum by (instance) (increase(metric[windowMs]))
        Quantile, ///< histogram_quantile(quantile, sum by (instance, le) (rate(metric_bucket[auto])))
        Difference, ///< sum by (instance) (metric) - sum by (instance) (subtrahend)
    };
    Kind kind = Kind::Gauge;
    std::string metric;
    std::vector<LabelMatcher> matchers;
    std::string subtrahend; ///< Difference only
    double quantile = 0.99; ///< Quantile only
    int64_t windowMs = 0; ///< Increase only
    std::string legend; ///< told apart from the other lines of an instance, e.g. "in"
    std::vector<int> ids; ///< when not empty: exactly these series, not metric and matchers
};

/// What is looked at: a time window and the width it is drawn at.
struct Window {
    int64_t fromMs = 0;
    int64_t toMs = 0;
    int columns = 800; ///< pixel columns of the plot
    int64_t intervalMs = 1000; ///< the scrape interval

    /// Evaluation step of derived queries: two steps per column, never below the interval.
    int64_t stepMs() const;
    /// rate()'s range: four scrapes at least, and always a step and a scrape.
    int64_t rateRangeMs() const;
    /// Two samples further apart than this are a gap.
    int64_t gapMs() const;
};

struct Line {
    std::string instance;
    std::string legend;
    std::vector<SeriesPoint> points; ///< NaN values are gaps
};

/// Lines sorted by instance, then legend.
std::vector<Line> evaluate(const SeriesStore &store, const Expr &expr, const Window &window);

/// Ids of the series named `metric` that satisfy every matcher.
std::vector<int> select(const SeriesStore &store, const std::string &metric, const std::vector<LabelMatcher> &matchers);

} // namespace PanelQuery

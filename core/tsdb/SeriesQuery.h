#pragma once

#include "tsdb/SeriesStore.h"

#include <optional>

/// PromQL's functions the dashboard needs, with Prometheus' semantics, over stored points.
namespace SeriesQuery {

/// rate(x[range]) at endMs: per-second increase over (endMs - rangeMs, endMs], counter
/// resets handled, extrapolated towards the window's edges as Prometheus does. Empty
/// when fewer than two samples fall in the window.
std::optional<double> rate(const std::vector<SeriesPoint> &points, int64_t endMs, int64_t rangeMs);
/// rate() over points[first, last), the samples already known to lie in the window.
std::optional<double> rateOver(
    const std::vector<SeriesPoint> &points, size_t first, size_t last, int64_t endMs, int64_t rangeMs);
/// irate: from the last two samples in the window.
std::optional<double> irate(const std::vector<SeriesPoint> &points, int64_t endMs, int64_t rangeMs);

/// One bucket of a histogram: its upper bound ("le") and cumulative count.
struct Bucket {
    double upperBound;
    double count;
};
/// histogram_quantile(q, buckets): buckets in any order; needs a +Inf bucket (else NaN);
/// q < 0 gives -Inf and q > 1 gives +Inf; linear interpolation inside the bucket.
double histogramQuantile(double q, std::vector<Bucket> buckets);

/// sum by (labels): the sum of each group of series at each timestamp they share.
struct Group {
    SeriesLabels labels;
    std::vector<SeriesPoint> points;
};
std::vector<Group> sumBy(const SeriesStore &store, const std::vector<int> &ids, const std::vector<std::string> &by,
    int64_t fromMs, int64_t toMs);

} // namespace SeriesQuery

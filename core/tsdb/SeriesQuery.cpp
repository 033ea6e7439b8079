#include "tsdb/SeriesQuery.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace SeriesQuery {

namespace {

/// The points with endMs - rangeMs < t <= endMs (Prometheus' left-open window).
std::pair<size_t, size_t> window(const std::vector<SeriesPoint> &points, int64_t endMs, int64_t rangeMs)
{
    const auto first = std::upper_bound(points.begin(), points.end(), endMs - rangeMs,
        [](int64_t t, const SeriesPoint &p) { return t < p.timestampMs; });
    const auto last = std::upper_bound(
        points.begin(), points.end(), endMs, [](int64_t t, const SeriesPoint &p) { return t < p.timestampMs; });
    return {size_t(first - points.begin()), size_t(last - points.begin())};
}

} // namespace

std::optional<double> rate(const std::vector<SeriesPoint> &points, int64_t endMs, int64_t rangeMs)
{
    const auto [from, to] = window(points, endMs, rangeMs);
    return rateOver(points, from, to, endMs, rangeMs);
}

std::optional<double> rateOver(
    const std::vector<SeriesPoint> &points, size_t from, size_t to, int64_t endMs, int64_t rangeMs)
{
    if (to - from < 2 || to < from)
        return std::nullopt;
    // Increase with counter resets undone: a drop means the counter restarted from zero.
    double increase = 0;
    for (size_t i = from + 1; i < to; ++i) {
        const double prev = points[i - 1].value;
        const double cur = points[i].value;
        increase += cur >= prev ? cur - prev : cur;
    }
    const double firstValue = points[from].value;
    const double rangeStart = double(endMs - rangeMs) / 1000.0;
    const double rangeEnd = double(endMs) / 1000.0;
    const double firstT = double(points[from].timestampMs) / 1000.0;
    const double lastT = double(points[to - 1].timestampMs) / 1000.0;
    double durationToStart = firstT - rangeStart;
    double durationToEnd = rangeEnd - lastT;
    const double sampled = lastT - firstT;
    const double average = sampled / double(to - from - 1);
    // A counter cannot go below zero: do not extrapolate past the point where it would.
    if (increase > 0 && firstValue >= 0) {
        const double durationToZero = sampled * (firstValue / increase);
        durationToStart = std::min(durationToStart, durationToZero);
    }
    const double threshold = average * 1.1;
    double interval = sampled;
    interval += durationToStart < threshold ? durationToStart : average / 2;
    interval += durationToEnd < threshold ? durationToEnd : average / 2;
    return increase * (interval / sampled) / (double(rangeMs) / 1000.0);
}

std::optional<double> irate(const std::vector<SeriesPoint> &points, int64_t endMs, int64_t rangeMs)
{
    const auto [from, to] = window(points, endMs, rangeMs);
    if (to - from < 2)
        return std::nullopt;
    const SeriesPoint &prev = points[to - 2];
    const SeriesPoint &last = points[to - 1];
    const double dt = double(last.timestampMs - prev.timestampMs) / 1000.0;
    if (dt <= 0)
        return std::nullopt;
    const double delta = last.value >= prev.value ? last.value - prev.value : last.value;
    return delta / dt;
}

double histogramQuantile(double q, std::vector<Bucket> buckets)
{
    if (std::isnan(q))
        return std::numeric_limits<double>::quiet_NaN();
    if (q < 0)
        return -std::numeric_limits<double>::infinity();
    if (q > 1)
        return std::numeric_limits<double>::infinity();
    std::sort(
        buckets.begin(), buckets.end(), [](const Bucket &a, const Bucket &b) { return a.upperBound < b.upperBound; });
    if (buckets.size() < 2 || !std::isinf(buckets.back().upperBound) || buckets.back().upperBound < 0)
        return std::numeric_limits<double>::quiet_NaN();
    // Counts must not fall with a rising bound; scrapes racing increments can make them.
    for (size_t i = 1; i < buckets.size(); ++i)
        buckets[i].count = std::max(buckets[i].count, buckets[i - 1].count);
    const double total = buckets.back().count;
    if (total == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const double rank = q * total;
    size_t b = 0;
    while (b < buckets.size() - 1 && buckets[b].count < rank)
        ++b;
    if (b == buckets.size() - 1)
        return buckets[buckets.size() - 2].upperBound; // in the +Inf bucket: its lower bound
    if (b == 0 && buckets[0].upperBound <= 0)
        return buckets[0].upperBound;
    const double bucketStart = b == 0 ? 0 : buckets[b - 1].upperBound;
    const double bucketEnd = buckets[b].upperBound;
    const double countBefore = b == 0 ? 0 : buckets[b - 1].count;
    const double inBucket = buckets[b].count - countBefore;
    if (inBucket == 0)
        return bucketEnd;
    return bucketStart + (bucketEnd - bucketStart) * ((rank - countBefore) / inBucket);
}

std::vector<Group> sumBy(const SeriesStore &store, const std::vector<int> &ids, const std::vector<std::string> &by,
    int64_t fromMs, int64_t toMs)
{
    std::map<SeriesLabels, std::map<int64_t, double>> sums;
    for (int id : ids) {
        SeriesLabels key;
        for (const std::string &label : by)
            key.emplace_back(label, store.label(id, label));
        auto &acc = sums[key];
        for (const SeriesPoint &p : store.range(id, fromMs, toMs))
            acc[p.timestampMs] += p.value;
    }
    std::vector<Group> out;
    for (auto &[labels, points] : sums) {
        Group g;
        g.labels = labels;
        for (const auto &[t, v] : points)
            g.points.push_back({t, v});
        out.push_back(std::move(g));
    }
    return out;
}

} // namespace SeriesQuery

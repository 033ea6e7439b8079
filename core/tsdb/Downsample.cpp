#include "tsdb/Downsample.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace Downsample {

namespace {

constexpr double kGap = std::numeric_limits<double>::quiet_NaN();

void emit(std::vector<SeriesPoint> &out, const SeriesPoint &p)
{
    if (!out.empty() && out.back().timestampMs == p.timestampMs && !std::isnan(out.back().value))
        return; // already kept as an extreme
    out.push_back(p);
}

/// Breaks the line after the last point kept (one marker per gap).
void breakLine(std::vector<SeriesPoint> &out)
{
    if (!out.empty() && !std::isnan(out.back().value))
        out.push_back({out.back().timestampMs + 1, kGap});
}

} // namespace

std::vector<SeriesPoint> minMaxPerColumn(
    const std::vector<SeriesPoint> &points, int64_t fromMs, int64_t toMs, int columns, int64_t gapMs)
{
    std::vector<SeriesPoint> out;
    const auto first = std::lower_bound(
        points.begin(), points.end(), fromMs, [](const SeriesPoint &p, int64_t t) { return p.timestampMs < t; });
    const auto last = std::upper_bound(
        first, points.end(), toMs, [](int64_t t, const SeriesPoint &p) { return t < p.timestampMs; });
    // A gap lies before `it` when it is NaN or too far after its predecessor.
    auto gapBefore = [&](auto it) { return it != first && it->timestampMs - (it - 1)->timestampMs > gapMs; };
    columns = std::max(columns, 1);
    const size_t n = size_t(last - first);
    if (n <= size_t(2 * columns)) {
        out.reserve(n + 8);
        for (auto it = first; it != last; ++it) {
            if (std::isnan(it->value)) {
                breakLine(out);
                continue;
            }
            if (gapBefore(it))
                breakLine(out);
            emit(out, *it);
        }
        return out;
    }
    out.reserve(size_t(2 * columns) + 16);
    const double width = double(toMs - fromMs + 1) / columns;
    auto it = first;
    while (it != last) {
        if (std::isnan(it->value)) {
            breakLine(out);
            ++it;
            continue;
        }
        const bool runStarts = !out.empty() && (std::isnan(out.back().value) || gapBefore(it));
        if (gapBefore(it))
            breakLine(out);
        if (runStarts)
            emit(out, *it); // after a gap, the line starts exactly where the data does
        // The rest of this column, up to the next gap: its extremes, in time order.
        const int column = int(double(it->timestampMs - fromMs) / width);
        const int64_t columnEnd = fromMs + int64_t(std::ceil((column + 1) * width));
        auto lo = it;
        auto hi = it;
        auto end = it + 1;
        for (; end != last && end->timestampMs < columnEnd && !std::isnan(end->value) && !gapBefore(end); ++end) {
            if (end->value < lo->value)
                lo = end;
            if (end->value > hi->value)
                hi = end;
        }
        emit(out, lo < hi ? *lo : *hi);
        emit(out, lo < hi ? *hi : *lo);
        if (end != last && (std::isnan(end->value) || gapBefore(end)))
            emit(out, *(end - 1)); // the line runs up to the gap's edge
        it = end;
    }
    return out;
}

} // namespace Downsample

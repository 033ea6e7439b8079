#pragma once

#include "tsdb/SeriesStore.h"

#include <vector>

/// Thins a series for drawing so that no chart draws more than two points per pixel
/// column, whatever the time range, without hiding what an operator looks for.
namespace Downsample {

/// Splits [fromMs, toMs] into `columns` equal columns and keeps, per column, the sample
/// with the lowest and the one with the highest value, in time order: spikes survive,
/// which averaging would flatten. Wherever two neighbouring samples lie more than gapMs
/// apart a NaN point is inserted, so the chart breaks its line there: a failed scrape
/// shows as a gap, never as a slope. Samples outside [fromMs, toMs] are dropped; NaN
/// samples are kept as gaps. Series short enough already come back with only the gaps
/// added.
std::vector<SeriesPoint> minMaxPerColumn(
    const std::vector<SeriesPoint> &points, int64_t fromMs, int64_t toMs, int columns, int64_t gapMs);

} // namespace Downsample

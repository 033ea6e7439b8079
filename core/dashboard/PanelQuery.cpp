#include "dashboard/PanelQuery.h"

#include "tsdb/Downsample.h"
#include "tsdb/SeriesQuery.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace PanelQuery {

namespace {

using Points = std::vector<SeriesPoint>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::map<std::string, std::vector<int>> byInstance(const SeriesStore &store, const std::vector<int> &ids)
{
    std::map<std::string, std::vector<int>> out;
    for (int id : ids)
        out[store.label(id, "instance")].push_back(id);
    return out;
}

/// a + b at each timestamp; a timestamp only one of them has keeps that one's value, as
/// Prometheus' sum does over the series present at that moment.
Points add(const Points &a, const Points &b)
{
    Points out;
    out.reserve(std::max(a.size(), b.size()));
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].timestampMs < b[j].timestampMs)) {
            out.push_back(a[i++]);
        } else if (i == a.size() || b[j].timestampMs < a[i].timestampMs) {
            out.push_back(b[j++]);
        } else {
            out.push_back({a[i].timestampMs, a[i].value + b[j].value});
            ++i;
            ++j;
        }
    }
    return out;
}

/// The raw sum of some series. Series of one target share their scrapes' timestamps, so
/// the idle ones are added as constants, over the span where they have samples, without
/// being decoded.
Points rawSum(const SeriesStore &store, const std::vector<int> &ids, int64_t fromMs, int64_t toMs)
{
    Points sum;
    std::vector<SeriesStore::Constant> constants;
    int widest = -1; // the idle series whose timestamps stand in when all are idle
    int64_t widestSpan = -1;
    bool decodedAny = false;
    for (int id : ids) {
        if (const auto c = store.constantOver(id, fromMs, toMs)) {
            constants.push_back(*c);
            if (c->lastMs - c->firstMs > widestSpan) {
                widestSpan = c->lastMs - c->firstMs;
                widest = id;
            }
            continue;
        }
        sum = decodedAny ? add(sum, store.range(id, fromMs, toMs)) : store.range(id, fromMs, toMs);
        decodedAny = true;
    }
    if (!decodedAny && widest >= 0) {
        sum = store.range(widest, fromMs, toMs); // for its timestamps
        for (SeriesPoint &p : sum)
            p.value = 0;
    }
    for (const SeriesStore::Constant &c : constants) {
        for (SeriesPoint &p : sum) {
            if (p.timestampMs >= c.firstMs && p.timestampMs <= c.lastMs)
                p.value += c.value;
        }
    }
    return sum;
}

std::vector<int64_t> stepTimes(const Window &w)
{
    const int64_t step = w.stepMs();
    std::vector<int64_t> out;
    // Steps aligned to multiples of the step keep points still while the window slides.
    int64_t t = w.fromMs >= 0 ? (w.fromMs + step - 1) / step * step : w.fromMs / step * step;
    for (; t <= w.toMs; t += step)
        out.push_back(t);
    return out;
}

/// rate() of one series at each step; NaN where it has fewer than two samples in range.
std::vector<double> rates(const SeriesStore &store, int id, const std::vector<int64_t> &steps, int64_t rangeMs)
{
    std::vector<double> out(steps.size(), kNaN);
    if (steps.empty())
        return out;
    const Points points = store.range(id, steps.front() - rangeMs, steps.back());
    // Steps ascend, so the window (t - range, t] slides: two cursors, no search per step.
    size_t first = 0;
    size_t last = 0;
    for (size_t k = 0; k < steps.size(); ++k) {
        while (first < points.size() && points[first].timestampMs <= steps[k] - rangeMs)
            ++first;
        while (last < points.size() && points[last].timestampMs <= steps[k])
            ++last;
        if (const auto r = SeriesQuery::rateOver(points, first, std::max(first, last), steps[k], rangeMs))
            out[k] = *r;
    }
    return out;
}

void addInto(std::vector<double> &acc, const std::vector<double> &more)
{
    for (size_t k = 0; k < acc.size(); ++k) {
        if (!std::isnan(more[k]))
            acc[k] = std::isnan(acc[k]) ? more[k] : acc[k] + more[k];
    }
}

/// Sum of the series' rates at each step. `base` holds where the instance has data at all
/// (0 there, NaN elsewhere): series idle over the whole window add nothing to it, so they
/// are not decoded.
std::vector<double> sumOfRates(const SeriesStore &store, const std::vector<int> &ids, const std::vector<int64_t> &steps,
    int64_t rangeMs, const std::vector<double> &base)
{
    std::vector<double> acc = base;
    if (steps.empty())
        return acc;
    for (int id : ids) {
        if (store.constantOver(id, steps.front() - rangeMs, steps.back()))
            continue; // its rate is zero wherever it has one
        addInto(acc, rates(store, id, steps, rangeMs));
    }
    return acc;
}

/// 0 at each step where the series has a rate, NaN elsewhere.
std::vector<double> presence(const SeriesStore &store, int id, const std::vector<int64_t> &steps, int64_t rangeMs)
{
    std::vector<double> out = rates(store, id, steps, rangeMs);
    for (double &v : out) {
        if (!std::isnan(v))
            v = 0;
    }
    return out;
}

Points stepPoints(const std::vector<int64_t> &steps, const std::vector<double> &values, const Window &w)
{
    Points points(steps.size());
    for (size_t k = 0; k < steps.size(); ++k)
        points[k] = {steps[k], values[k]};
    // Adds nothing but gap markers: there are two steps per column already.
    return Downsample::minMaxPerColumn(points, w.fromMs, w.toMs, w.columns, w.gapMs());
}

double bucketBound(const std::string &le)
{
    if (le == "+Inf" || le == "Inf" || le == "inf" || le == "+inf")
        return std::numeric_limits<double>::infinity();
    char *end = nullptr;
    const double v = std::strtod(le.c_str(), &end);
    return end && *end == '\0' && !le.empty() ? v : kNaN;
}

Line evaluateInstance(const SeriesStore &store, const Expr &expr, const Window &w, const std::vector<int> &ids,
    const std::vector<int> &subtrahendIds)
{
    Line line;
    line.legend = expr.legend;
    switch (expr.kind) {
    case Expr::Kind::Gauge:
        line.points
            = Downsample::minMaxPerColumn(rawSum(store, ids, w.fromMs, w.toMs), w.fromMs, w.toMs, w.columns, w.gapMs());
        break;
    case Expr::Kind::Difference: {
        const Points a = rawSum(store, ids, w.fromMs, w.toMs);
        const Points b = rawSum(store, subtrahendIds, w.fromMs, w.toMs);
        Points diff;
        diff.reserve(a.size());
        size_t j = 0;
        for (const SeriesPoint &p : a) {
            while (j < b.size() && b[j].timestampMs < p.timestampMs)
                ++j;
            if (j < b.size() && b[j].timestampMs == p.timestampMs)
                diff.push_back({p.timestampMs, p.value - b[j].value});
            else if (subtrahendIds.empty())
                diff.push_back(p); // nothing handled yet: every started stream is open
        }
        line.points = Downsample::minMaxPerColumn(diff, w.fromMs, w.toMs, w.columns, w.gapMs());
        break;
    }
    case Expr::Kind::Rate:
    case Expr::Kind::Increase: {
        const std::vector<int64_t> steps = stepTimes(w);
        const int64_t range = expr.kind == Expr::Kind::Increase ? expr.windowMs : w.rateRangeMs();
        std::vector<double> values = sumOfRates(store, ids, steps, range, presence(store, ids.front(), steps, range));
        if (expr.kind == Expr::Kind::Increase) {
            for (double &v : values)
                v *= double(range) / 1000.0;
        }
        line.points = stepPoints(steps, values, w);
        break;
    }
    case Expr::Kind::Quantile: {
        const std::vector<int64_t> steps = stepTimes(w);
        const int64_t range = w.rateRangeMs();
        const std::vector<double> base = presence(store, ids.front(), steps, range);
        std::map<double, std::vector<int>> byBound;
        for (int id : ids) {
            const double bound = bucketBound(store.label(id, "le"));
            if (!std::isnan(bound))
                byBound[bound].push_back(id);
        }
        std::vector<std::pair<double, std::vector<double>>> bucketRates;
        for (const auto &[bound, group] : byBound)
            bucketRates.emplace_back(bound, sumOfRates(store, group, steps, range, base));
        std::vector<double> values(steps.size(), kNaN);
        std::vector<SeriesQuery::Bucket> buckets;
        for (size_t k = 0; k < steps.size(); ++k) {
            buckets.clear();
            for (const auto &[bound, r] : bucketRates) {
                if (!std::isnan(r[k]))
                    buckets.push_back({bound, r[k]});
            }
            if (!buckets.empty())
                values[k] = SeriesQuery::histogramQuantile(expr.quantile, buckets);
        }
        line.points = stepPoints(steps, values, w);
        break;
    }
    }
    return line;
}

} // namespace

int64_t Window::stepMs() const
{
    const int64_t span = std::max<int64_t>(toMs - fromMs, 1);
    const int64_t perColumn = (span + 2 * int64_t(std::max(columns, 1)) - 1) / (2 * int64_t(std::max(columns, 1)));
    return std::max(std::max<int64_t>(intervalMs, 1), perColumn);
}

int64_t Window::rateRangeMs() const
{
    return std::max(4 * intervalMs, stepMs() + intervalMs);
}

int64_t Window::gapMs() const
{
    return std::max(intervalMs + intervalMs / 2, 2 * stepMs());
}

std::vector<int> select(const SeriesStore &store, const std::string &metric, const std::vector<LabelMatcher> &matchers)
{
    std::vector<int> out;
    for (int id : store.select(metric)) {
        const bool all = std::all_of(matchers.begin(), matchers.end(),
            [&](const LabelMatcher &m) { return (store.label(id, m.key) == m.value) == m.equal; });
        if (all)
            out.push_back(id);
    }
    return out;
}

std::vector<Line> evaluate(const SeriesStore &store, const Expr &expr, const Window &window)
{
    std::vector<Line> out;
    if (window.toMs < window.fromMs)
        return out;
    const auto groups = byInstance(store, expr.ids.empty() ? select(store, expr.metric, expr.matchers) : expr.ids);
    std::map<std::string, std::vector<int>> subtrahends;
    if (expr.kind == Expr::Kind::Difference)
        subtrahends = byInstance(store, select(store, expr.subtrahend, expr.matchers));
    for (const auto &[instance, ids] : groups) {
        const auto sub = subtrahends.find(instance);
        Line line
            = evaluateInstance(store, expr, window, ids, sub == subtrahends.end() ? std::vector<int> {} : sub->second);
        line.instance = instance;
        // A series that stopped (a member removed, or down) ends in a gap, not in its last value.
        const int64_t stale = std::max(3 * window.intervalMs, 2 * window.stepMs());
        if (!line.points.empty() && !std::isnan(line.points.back().value)
            && window.toMs - line.points.back().timestampMs > stale)
            line.points.push_back({line.points.back().timestampMs + 1, kNaN});
        out.push_back(std::move(line));
    }
    return out;
}

} // namespace PanelQuery

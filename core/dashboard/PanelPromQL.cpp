#include "dashboard/PanelPromQL.h"

#include "alerts/PromExpr.h"

#include <cstdio>
#include <string_view>

namespace PanelPromQL {

namespace {

std::string selectorOf(const std::string &metric, const PanelQuery::Expr &expr, const std::string &extra)
{
    std::string inner;
    for (const PanelQuery::LabelMatcher &m : expr.matchers) {
        inner += inner.empty() ? "" : ", ";
        inner += m.key + (m.equal ? "=\"" : "!=\"") + quoted(m.value) + '"';
    }
    if (!extra.empty())
        inner += (inner.empty() ? "" : ", ") + extra;
    return inner.empty() ? metric : metric + '{' + inner + '}';
}

std::string sumByInstance(const std::string &inner)
{
    return "sum by (instance) (" + inner + ')';
}

} // namespace

std::string quoted(const std::string &value)
{
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        out += c;
    }
    return out;
}

std::string instanceMatcher(const std::vector<std::string> &instances)
{
    std::string alternatives;
    for (const std::string &instance : instances) {
        alternatives += alternatives.empty() ? "" : "|";
        for (char c : instance) {
            if (std::string_view(".^$*+?()[]{}|\\").find(c) != std::string_view::npos)
                alternatives += '\\';
            alternatives += c;
        }
    }
    return "instance=~\"" + quoted(alternatives) + '"';
}

std::string text(const PanelQuery::Expr &expr, const PanelQuery::Window &window, const std::string &selector)
{
    using Kind = PanelQuery::Expr::Kind;
    const std::string rateRange = '[' + PromExpr::duration(window.rateRangeMs()) + ']';
    switch (expr.kind) {
    case Kind::Gauge:
        return sumByInstance(selectorOf(expr.metric, expr, selector));
    case Kind::Rate:
        return sumByInstance("rate(" + selectorOf(expr.metric, expr, selector) + rateRange + ')');
    case Kind::Increase:
        return sumByInstance(
            "increase(" + selectorOf(expr.metric, expr, selector) + '[' + PromExpr::duration(expr.windowMs) + "])");
    case Kind::Quantile: {
        char q[32];
        std::snprintf(q, sizeof q, "%g", expr.quantile);
        return "histogram_quantile(" + std::string(q) + ", sum by (instance, le) (rate("
            + selectorOf(expr.metric + "_bucket", expr, selector) + rateRange + ")))";
    }
    case Kind::Difference:
        return sumByInstance(selectorOf(expr.metric, expr, selector)) + " - "
            + sumByInstance(selectorOf(expr.subtrahend, expr, selector));
    }
    return {};
}

} // namespace PanelPromQL

#include "alerts/PromEval.h"

#include "tsdb/SeriesQuery.h"

#include <QRegularExpression>
#include <QString>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

using namespace PromExpr;

namespace PromEval {

namespace {

struct RangeSeries {
    SeriesLabels labels;
    std::vector<SeriesPoint> points;
};
using Matrix = std::vector<RangeSeries>;

/// What a sub-expression yields.
struct Value {
    enum class Type { Scalar, Vector, Matrix };
    Type type = Type::Scalar;
    double scalar = 0;
    Vector vector;
    Matrix matrix;
    int64_t rangeMs = 0; ///< Matrix: the window it covers
};

/// Thrown inside the evaluation, turned into Result::error at its edge.
struct EvalError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void setLabel(SeriesLabels &labels, const std::string &name, const std::string &value)
{
    auto it = std::lower_bound(
        labels.begin(), labels.end(), name, [](const auto &l, const std::string &n) { return l.first < n; });
    if (it != labels.end() && it->first == name) {
        if (value.empty())
            labels.erase(it);
        else
            it->second = value;
    } else if (!value.empty()) {
        labels.insert(it, {name, value});
    }
}

SeriesLabels withoutName(SeriesLabels labels)
{
    setLabel(labels, kNameLabel, {});
    return labels;
}

bool matches(const Matcher &m, const std::string &value, const QRegularExpression *re)
{
    switch (m.op) {
    case Matcher::Op::Equal:
        return value == m.value;
    case Matcher::Op::NotEqual:
        return value != m.value;
    case Matcher::Op::Regex:
        return re->match(QString::fromStdString(value)).hasMatch();
    case Matcher::Op::NotRegex:
        return !re->match(QString::fromStdString(value)).hasMatch();
    }
    return false;
}

class Evaluator {
public:
    Evaluator(const SeriesStore &store, const Options &options)
        : m_store(store)
        , m_options(options)
    {
    }

    Value eval(const Expr &e, int64_t t)
    {
        switch (e->kind) {
        case Kind::Number: {
            Value v;
            v.scalar = e->number;
            return v;
        }
        case Kind::Selector:
            return e->rangeMs > 0 ? rangeSelector(*e, t) : instantSelector(*e, t);
        case Kind::Subquery:
            return subquery(*e, t);
        case Kind::Call:
            return call(*e, t);
        case Kind::Aggregate:
            return aggregate(*e, t);
        case Kind::Binary:
            return binary(*e, t);
        }
        throw EvalError("unknown expression");
    }

private:
    /// The series of a selector with their full labels, the name included.
    std::vector<std::pair<int, SeriesLabels>> select(const Node &n)
    {
        SeriesLabels equal;
        std::vector<std::pair<const Matcher *, QRegularExpression>> others;
        for (const Matcher &m : n.matchers) {
            if (m.op == Matcher::Op::Equal && !m.value.empty()) {
                equal.push_back({m.name, m.value});
                continue;
            }
            QRegularExpression re;
            if (m.op == Matcher::Op::Regex || m.op == Matcher::Op::NotRegex) {
                re.setPattern(QRegularExpression::anchoredPattern(QString::fromStdString(m.value)));
                if (!re.isValid())
                    throw EvalError("invalid regular expression " + m.value);
            }
            others.push_back({&m, std::move(re)});
        }
        std::sort(equal.begin(), equal.end());
        std::vector<std::pair<int, SeriesLabels>> out;
        for (int id : m_store.select(n.metric, equal)) {
            SeriesLabels labels = m_store.labels(id);
            const bool keep = std::all_of(others.begin(), others.end(),
                [&](const auto &o) { return matches(*o.first, label(labels, o.first->name), &o.second); });
            if (!keep)
                continue;
            setLabel(labels, kNameLabel, n.metric);
            out.push_back({id, std::move(labels)});
        }
        return out;
    }

    Value instantSelector(const Node &n, int64_t t)
    {
        Value v;
        v.type = Value::Type::Vector;
        for (auto &[id, labels] : select(n)) {
            if (const auto p = m_store.latest(id, t, m_options.lookbackMs))
                v.vector.push_back({std::move(labels), p->value});
        }
        return v;
    }

    Value rangeSelector(const Node &n, int64_t t)
    {
        Value v;
        v.type = Value::Type::Matrix;
        v.rangeMs = n.rangeMs;
        for (auto &[id, labels] : select(n)) {
            auto points = m_store.range(id, t - n.rangeMs, t);
            if (!points.empty())
                v.matrix.push_back({std::move(labels), std::move(points)});
        }
        return v;
    }

    Value subquery(const Node &n, int64_t t)
    {
        // Steps at multiples of the step, from the first at or after t - range.
        const int64_t step = n.stepMs;
        int64_t first = (t - n.rangeMs) / step * step;
        if (first < t - n.rangeMs)
            first += step;
        while (first < m_options.knownFromMs)
            first += step;
        std::map<SeriesLabels, std::vector<SeriesPoint>> series;
        for (int64_t s = first; s <= t; s += step) {
            const Value inner = eval(n.args[0], s);
            if (inner.type == Value::Type::Scalar) {
                series[{}].push_back({s, inner.scalar});
                continue;
            }
            if (inner.type != Value::Type::Vector)
                throw EvalError("a subquery needs an instant vector");
            for (const Sample &x : inner.vector)
                series[x.labels].push_back({s, x.value});
        }
        Value v;
        v.type = Value::Type::Matrix;
        v.rangeMs = n.rangeMs;
        for (auto &[labels, points] : series)
            v.matrix.push_back({labels, std::move(points)});
        return v;
    }

    Value expect(const Expr &e, int64_t t, Value::Type type, const char *what)
    {
        Value v = eval(e, t);
        if (v.type != type)
            throw EvalError(std::string("expected ") + what);
        return v;
    }

    /// Prometheus' extrapolatedRate: the increase over the samples, counter resets added
    /// back, extrapolated to the window's edges unless a sample lies more than 1.1 average
    /// intervals from an edge (then half an interval), and never below zero for counters.
    static std::optional<double> extrapolated(
        const std::vector<SeriesPoint> &points, int64_t t, int64_t rangeMs, bool isRate)
    {
        if (points.size() < 2)
            return std::nullopt;
        const SeriesPoint &first = points.front();
        const SeriesPoint &last = points.back();
        double increase = last.value - first.value;
        double previous = 0;
        for (const SeriesPoint &p : points) {
            if (p.value < previous)
                increase += previous;
            previous = p.value;
        }
        double toStart = double(first.timestampMs - (t - rangeMs)) / 1000;
        const double toEnd = double(t - last.timestampMs) / 1000;
        const double sampled = double(last.timestampMs - first.timestampMs) / 1000;
        const double average = sampled / double(points.size() - 1);
        if (increase > 0 && first.value >= 0) {
            const double toZero = sampled * (first.value / increase);
            toStart = std::min(toStart, toZero);
        }
        const double threshold = average * 1.1;
        double interval = sampled;
        interval += toStart < threshold ? toStart : average / 2;
        interval += toEnd < threshold ? toEnd : average / 2;
        double result = increase * (interval / sampled);
        if (isRate)
            result /= double(rangeMs) / 1000;
        return result;
    }

    /// Least squares over the samples, the intercept at interceptMs (Prometheus'
    /// linearRegression).
    static std::pair<double, double> regression(const std::vector<SeriesPoint> &points, int64_t interceptMs)
    {
        bool constant = true;
        double n = 0, sumX = 0, sumY = 0, sumXY = 0, sumX2 = 0;
        for (const SeriesPoint &p : points) {
            constant = constant && p.value == points.front().value;
            const double x = double(p.timestampMs - interceptMs) / 1000;
            n += 1;
            sumX += x;
            sumY += p.value;
            sumXY += x * p.value;
            sumX2 += x * x;
        }
        if (constant)
            return std::isinf(points.front().value) ? std::pair {kNaN, kNaN} : std::pair {0.0, points.front().value};
        const double covXY = sumXY - sumX * sumY / n;
        const double varX = sumX2 - sumX * sumX / n;
        const double slope = covXY / varX;
        return {slope, sumY / n - slope * sumX / n};
    }

    Value call(const Node &n, int64_t t)
    {
        Value out;
        out.type = Value::Type::Vector;
        switch (n.function) {
        case Function::Rate:
        case Function::Increase: {
            const Value m = expect(n.args.at(0), t, Value::Type::Matrix, "a range vector");
            for (const RangeSeries &s : m.matrix) {
                if (auto r = extrapolated(s.points, t, m.rangeMs, n.function == Function::Rate))
                    out.vector.push_back({withoutName(s.labels), *r});
            }
            return out;
        }
        case Function::LastOverTime: {
            const Value m = expect(n.args.at(0), t, Value::Type::Matrix, "a range vector");
            for (const RangeSeries &s : m.matrix)
                out.vector.push_back({s.labels, s.points.back().value});
            return out;
        }
        case Function::PredictLinear: {
            const Value m = expect(n.args.at(0), t, Value::Type::Matrix, "a range vector");
            const double ahead = expect(n.args.at(1), t, Value::Type::Scalar, "a scalar").scalar;
            for (const RangeSeries &s : m.matrix) {
                if (s.points.size() < 2)
                    continue;
                const auto [slope, intercept] = regression(s.points, t);
                out.vector.push_back({withoutName(s.labels), slope * ahead + intercept});
            }
            return out;
        }
        case Function::HistogramQuantile: {
            const double q = expect(n.args.at(0), t, Value::Type::Scalar, "a scalar").scalar;
            const Value v = expect(n.args.at(1), t, Value::Type::Vector, "an instant vector");
            std::map<SeriesLabels, std::vector<SeriesQuery::Bucket>> groups;
            for (const Sample &s : v.vector) {
                const std::string le = label(s.labels, "le");
                if (le.empty())
                    continue;
                SeriesLabels key = withoutName(s.labels);
                setLabel(key, "le", {});
                groups[key].push_back({std::strtod(le.c_str(), nullptr), s.value});
            }
            for (auto &[labels, buckets] : groups)
                out.vector.push_back({labels, SeriesQuery::histogramQuantile(q, std::move(buckets))});
            return out;
        }
        case Function::Absent: {
            const Value v = expect(n.args.at(0), t, Value::Type::Vector, "an instant vector");
            if (!v.vector.empty())
                return out;
            // Labels from the selector's equality matchers, as Prometheus gives them.
            SeriesLabels labels;
            const Node &arg = *n.args[0];
            if (arg.kind == Kind::Selector) {
                for (const Matcher &m : arg.matchers) {
                    if (m.op == Matcher::Op::Equal && m.name != kNameLabel)
                        setLabel(labels, m.name, m.value);
                }
            }
            out.vector.push_back({labels, 1});
            return out;
        }
        case Function::Time:
            out.type = Value::Type::Scalar;
            out.scalar = double(t) / 1000;
            return out;
        }
        throw EvalError("unknown function");
    }

    Value aggregate(const Node &n, int64_t t)
    {
        const Value v = expect(n.args.at(0), t, Value::Type::Vector, "an instant vector");
        struct Acc {
            double value = 0;
            int count = 0;
        };
        std::map<SeriesLabels, Acc> groups;
        for (const Sample &s : v.vector) {
            SeriesLabels key;
            if (n.without) {
                key = withoutName(s.labels);
                for (const std::string &g : n.grouping)
                    setLabel(key, g, {});
            } else {
                for (const std::string &g : n.grouping)
                    setLabel(key, g, label(s.labels, g));
            }
            Acc &a = groups[key];
            switch (n.aggregation) {
            case Aggregation::Sum:
                a.value += s.value;
                break;
            case Aggregation::Max:
                if (a.count == 0 || s.value > a.value || std::isnan(a.value))
                    a.value = s.value;
                break;
            case Aggregation::Count:
                a.value += 1;
                break;
            }
            ++a.count;
        }
        Value out;
        out.type = Value::Type::Vector;
        for (auto &[labels, acc] : groups)
            out.vector.push_back({labels, acc.value});
        return out;
    }

    static bool isComparison(Operator op) { return op >= Operator::Eq && op <= Operator::Le; }

    /// The arithmetic or comparison of two numbers; for a comparison, whether it holds.
    static double apply(Operator op, double a, double b, bool *holds)
    {
        *holds = true;
        switch (op) {
        case Operator::Mul:
            return a * b;
        case Operator::Div:
            return a / b;
        case Operator::Add:
            return a + b;
        case Operator::Sub:
            return a - b;
        case Operator::Eq:
            *holds = a == b;
            break;
        case Operator::Ne:
            *holds = a != b;
            break;
        case Operator::Gt:
            *holds = a > b;
            break;
        case Operator::Lt:
            *holds = a < b;
            break;
        case Operator::Ge:
            *holds = a >= b;
            break;
        case Operator::Le:
            *holds = a <= b;
            break;
        default:
            break;
        }
        return a;
    }

    /// One result element: a comparison without bool keeps the element (and its name) or
    /// drops it; with bool it becomes 1 or 0; arithmetic drops the name.
    static void combine(const Node &n, SeriesLabels labels, double a, double b, double vectorValue, Vector &out)
    {
        bool holds = true;
        double value = apply(n.op, a, b, &holds);
        if (isComparison(n.op)) {
            if (n.returnBool) {
                out.push_back({withoutName(std::move(labels)), holds ? 1.0 : 0.0});
                return;
            }
            if (holds)
                out.push_back({std::move(labels), vectorValue});
            return;
        }
        out.push_back({withoutName(std::move(labels)), value});
    }

    Value binary(const Node &n, int64_t t)
    {
        const Value l = eval(n.args[0], t);
        const Value r = eval(n.args[1], t);
        if (l.type == Value::Type::Matrix || r.type == Value::Type::Matrix)
            throw EvalError("binary operators take instant vectors or scalars");
        Value out;
        out.type = Value::Type::Vector;
        if (l.type == Value::Type::Scalar && r.type == Value::Type::Scalar) {
            if (isComparison(n.op) && !n.returnBool)
                throw EvalError("comparisons between scalars need bool");
            bool holds = true;
            const double v = apply(n.op, l.scalar, r.scalar, &holds);
            out.type = Value::Type::Scalar;
            out.scalar = isComparison(n.op) ? (holds ? 1 : 0) : v;
            return out;
        }
        if (n.op == Operator::And || n.op == Operator::Or) {
            if (l.type != Value::Type::Vector || r.type != Value::Type::Vector)
                throw EvalError("and/or take two instant vectors");
            return setOperation(n, l.vector, r.vector);
        }
        if (l.type == Value::Type::Scalar) {
            for (const Sample &s : r.vector)
                combine(n, s.labels, l.scalar, s.value, s.value, out.vector);
            return out;
        }
        if (r.type == Value::Type::Scalar) {
            for (const Sample &s : l.vector)
                combine(n, s.labels, s.value, r.scalar, s.value, out.vector);
            return out;
        }
        // One-to-one matching on every label but the name.
        std::map<SeriesLabels, const Sample *> right;
        for (const Sample &s : r.vector) {
            if (!right.emplace(withoutName(s.labels), &s).second)
                throw EvalError("many-to-many matching: duplicate series on the right-hand side");
        }
        std::map<SeriesLabels, bool> seen;
        for (const Sample &s : l.vector) {
            const SeriesLabels key = withoutName(s.labels);
            const auto it = right.find(key);
            if (it == right.end())
                continue;
            if (!seen.emplace(key, true).second)
                throw EvalError("many-to-many matching: duplicate series on the left-hand side");
            combine(n, s.labels, s.value, it->second->value, s.value, out.vector);
        }
        return out;
    }

    static Value setOperation(const Node &n, const Vector &l, const Vector &r)
    {
        std::map<SeriesLabels, bool> rightKeys;
        for (const Sample &s : r)
            rightKeys[withoutName(s.labels)] = true;
        Value out;
        out.type = Value::Type::Vector;
        if (n.op == Operator::And) {
            for (const Sample &s : l) {
                if (rightKeys.count(withoutName(s.labels)))
                    out.vector.push_back(s);
            }
            return out;
        }
        std::map<SeriesLabels, bool> leftKeys;
        for (const Sample &s : l) {
            leftKeys[withoutName(s.labels)] = true;
            out.vector.push_back(s);
        }
        for (const Sample &s : r) {
            if (!leftKeys.count(withoutName(s.labels)))
                out.vector.push_back(s);
        }
        return out;
    }

    const SeriesStore &m_store;
    Options m_options;
};

} // namespace

std::string label(const SeriesLabels &labels, const std::string &name)
{
    for (const auto &[key, value] : labels) {
        if (key == name)
            return value;
    }
    return {};
}

Result evaluate(const SeriesStore &store, const Expr &expr, int64_t atMs, const Options &options)
{
    Result result;
    try {
        Evaluator evaluator(store, options);
        Value v = evaluator.eval(expr, atMs);
        switch (v.type) {
        case Value::Type::Scalar:
            result.vector.push_back({{}, v.scalar});
            break;
        case Value::Type::Vector:
            result.vector = std::move(v.vector);
            break;
        case Value::Type::Matrix:
            result.error = "the expression is a range vector; rules need an instant vector";
            break;
        }
    } catch (const EvalError &e) {
        result.error = e.what();
    }
    return result;
}

} // namespace PromEval

#include "alerts/PromExpr.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace PromExpr {

namespace {

Expr make(Node &&n)
{
    return std::make_shared<const Node>(std::move(n));
}

const char *functionName(Function f)
{
    switch (f) {
    case Function::Rate:
        return "rate";
    case Function::Increase:
        return "increase";
    case Function::LastOverTime:
        return "last_over_time";
    case Function::PredictLinear:
        return "predict_linear";
    case Function::HistogramQuantile:
        return "histogram_quantile";
    case Function::Absent:
        return "absent";
    case Function::Time:
        return "time";
    }
    return "";
}

const char *aggregationName(Aggregation a)
{
    switch (a) {
    case Aggregation::Sum:
        return "sum";
    case Aggregation::Max:
        return "max";
    case Aggregation::Count:
        return "count";
    }
    return "";
}

const char *operatorText(Operator op)
{
    static const char *const texts[] = {"*", "/", "+", "-", "==", "!=", ">", "<", ">=", "<=", "and", "or"};
    return texts[int(op)];
}

/// Binding strength: higher binds tighter. Everything but a binary operation is atomic.
int precedence(const Expr &e)
{
    if (e->kind != Kind::Binary)
        return 100;
    switch (e->op) {
    case Operator::Mul:
    case Operator::Div:
        return 5;
    case Operator::Add:
    case Operator::Sub:
        return 4;
    case Operator::And:
        return 2;
    case Operator::Or:
        return 1;
    default:
        return 3; // comparisons
    }
}

std::string quoted(const std::string &value)
{
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

std::string numberText(double v)
{
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    if (std::isnan(v))
        return "NaN";
    char buf[32];
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%.17g", v);
    // The shortest text that reads back as the same double.
    for (int precision = 1; precision <= 17; ++precision) {
        char shorter[32];
        std::snprintf(shorter, sizeof shorter, "%.*g", precision, v);
        if (std::strtod(shorter, nullptr) == v)
            return shorter;
    }
    return buf;
}

std::string selectorText(const Node &n)
{
    std::string out = n.metric;
    if (!n.matchers.empty()) {
        out += '{';
        for (size_t i = 0; i < n.matchers.size(); ++i) {
            static const char *const ops[] = {"=", "!=", "=~", "!~"};
            const Matcher &m = n.matchers[i];
            out += (i ? "," : "") + m.name + ops[int(m.op)] + quoted(m.value);
        }
        out += '}';
    }
    if (n.rangeMs > 0)
        out += '[' + duration(n.rangeMs) + ']';
    return out;
}

std::string list(const std::vector<std::string> &names)
{
    std::string out;
    for (size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + names[i];
    return out;
}

} // namespace

Expr number(double value)
{
    Node n;
    n.kind = Kind::Number;
    n.number = value;
    return make(std::move(n));
}

Expr selector(const std::string &metric, std::vector<Matcher> matchers)
{
    return range(metric, std::move(matchers), 0);
}

Expr range(const std::string &metric, std::vector<Matcher> matchers, int64_t rangeMs)
{
    Node n;
    n.kind = Kind::Selector;
    n.metric = metric;
    n.matchers = std::move(matchers);
    n.rangeMs = rangeMs;
    return make(std::move(n));
}

Expr subquery(Expr inner, int64_t rangeMs, int64_t stepMs)
{
    Node n;
    n.kind = Kind::Subquery;
    n.rangeMs = rangeMs;
    n.stepMs = stepMs;
    n.args = {std::move(inner)};
    return make(std::move(n));
}

Expr call(Function function, std::vector<Expr> args)
{
    Node n;
    n.kind = Kind::Call;
    n.function = function;
    n.args = std::move(args);
    return make(std::move(n));
}

Expr aggregate(Aggregation aggregation, bool without, std::vector<std::string> grouping, Expr inner)
{
    Node n;
    n.kind = Kind::Aggregate;
    n.aggregation = aggregation;
    n.without = without;
    n.grouping = std::move(grouping);
    n.args = {std::move(inner)};
    return make(std::move(n));
}

Expr binary(Operator op, Expr lhs, Expr rhs, bool returnBool)
{
    Node n;
    n.kind = Kind::Binary;
    n.op = op;
    n.returnBool = returnBool;
    n.args = {std::move(lhs), std::move(rhs)};
    return make(std::move(n));
}

std::string duration(int64_t ms)
{
    struct Unit {
        int64_t ms;
        const char *suffix;
    };
    static const Unit units[] = {{3600000, "h"}, {60000, "m"}, {1000, "s"}};
    for (const Unit &u : units) {
        if (ms > 0 && ms % u.ms == 0)
            return std::to_string(ms / u.ms) + u.suffix;
    }
    return std::to_string(ms) + "ms";
}

std::string print(const Expr &e)
{
    switch (e->kind) {
    case Kind::Number:
        return numberText(e->number);
    case Kind::Selector:
        return selectorText(*e);
    case Kind::Subquery:
        return '(' + print(e->args[0]) + ")[" + duration(e->rangeMs) + ':' + duration(e->stepMs) + ']';
    case Kind::Call: {
        std::string out = std::string(functionName(e->function)) + '(';
        for (size_t i = 0; i < e->args.size(); ++i)
            out += (i ? ", " : "") + print(e->args[i]);
        return out + ')';
    }
    case Kind::Aggregate:
        return std::string(aggregationName(e->aggregation)) + (e->without ? " without (" : " by (") + list(e->grouping)
            + ") (" + print(e->args[0]) + ')';
    case Kind::Binary: {
        // Operators are left-associative: a right operand of the same strength needs
        // parentheses, a left one does not.
        const int mine = precedence(e);
        auto side = [&](const Expr &operand, bool right) {
            const int theirs = precedence(operand);
            const bool wrap = theirs < mine || (right && theirs == mine);
            return wrap ? '(' + print(operand) + ')' : print(operand);
        };
        std::string op = operatorText(e->op);
        if (e->returnBool)
            op += " bool";
        return side(e->args[0], false) + ' ' + op + ' ' + side(e->args[1], true);
    }
    }
    return {};
}

} // namespace PromExpr

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

/// The part of PromQL that alert rules are written in, as a tree built in C++. One tree is
/// both printed (the rules file Prometheus loads) and evaluated (PromEval, over the
/// console's own store), so the two cannot drift apart: there is no parser, and no second
/// copy of an expression anywhere.
namespace PromExpr {

/// A label condition of a selector: =, !=, =~ or !~ (regular expressions anchored, as in
/// Prometheus).
struct Matcher {
    enum class Op { Equal, NotEqual, Regex, NotRegex };
    std::string name;
    Op op = Op::Equal;
    std::string value;
};

enum class Kind { Number, Selector, Subquery, Call, Aggregate, Binary };
/// Time takes no argument: the evaluation's instant in seconds, a scalar.
enum class Function { Rate, Increase, LastOverTime, PredictLinear, HistogramQuantile, Absent, Time };
enum class Aggregation { Sum, Max, Count };
/// In PromQL's precedence order, loosest last.
enum class Operator { Mul, Div, Add, Sub, Eq, Ne, Gt, Lt, Ge, Le, And, Or };

struct Node;
using Expr = std::shared_ptr<const Node>;

struct Node {
    Kind kind = Kind::Number;
    double number = 0; ///< Number
    std::string metric; ///< Selector
    std::vector<Matcher> matchers; ///< Selector
    int64_t rangeMs = 0; ///< Selector (a range vector when > 0), Subquery
    int64_t stepMs = 0; ///< Subquery
    Function function = Function::Rate; ///< Call
    Aggregation aggregation = Aggregation::Sum; ///< Aggregate
    bool without = false; ///< Aggregate: `without (grouping)`, else `by (grouping)`
    std::vector<std::string> grouping; ///< Aggregate
    Operator op = Operator::Add; ///< Binary
    bool returnBool = false; ///< Binary comparison with the bool modifier
    std::vector<Expr> args; ///< Call, Aggregate (one), Binary (two), Subquery (one)
};

Expr number(double value);
Expr selector(const std::string &metric, std::vector<Matcher> matchers = {});
Expr range(const std::string &metric, std::vector<Matcher> matchers, int64_t rangeMs);
Expr subquery(Expr inner, int64_t rangeMs, int64_t stepMs);
Expr call(Function function, std::vector<Expr> args);
Expr aggregate(Aggregation aggregation, bool without, std::vector<std::string> grouping, Expr inner);
Expr binary(Operator op, Expr lhs, Expr rhs, bool returnBool = false);

/// The expression as PromQL text, with as few parentheses as its precedence allows.
std::string print(const Expr &expr);
/// A duration as PromQL writes it: 120s, 5m, 4h, 250ms.
std::string duration(int64_t ms);

} // namespace PromExpr

#include "alerts/RulesFile.h"

#include "alerts/PromExpr.h"

namespace RulesFile {

namespace {

/// A YAML single-quoted scalar: PromQL's double quotes stay as they are, and a single quote
/// is written twice.
std::string quoted(const std::string &text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    return out + '\'';
}

} // namespace

std::string yaml(const std::string &groupName, const std::vector<AlertRule> &rules)
{
    std::string out = "groups:\n  - name: " + quoted(groupName) + "\n    rules:\n";
    for (const AlertRule &r : rules) {
        out += "      - alert: " + r.name + "\n";
        out += "        expr: " + quoted(PromExpr::print(r.expr)) + "\n";
        out += "        for: " + PromExpr::duration(r.forMs) + "\n";
        out += "        labels:\n          severity: " + std::string(severityName(r.severity)) + "\n";
        out += "        annotations:\n";
        out += "          summary: " + quoted(r.summary) + "\n";
        out += "          description: " + quoted(r.description) + "\n";
    }
    return out;
}

} // namespace RulesFile

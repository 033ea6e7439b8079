#include "alerts/AlertEngine.h"

#include "alerts/PromEval.h"

#include <algorithm>
#include <map>

const char *phaseName(AlertPhase phase)
{
    switch (phase) {
    case AlertPhase::Pending:
        return "pending";
    case AlertPhase::Firing:
        return "firing";
    case AlertPhase::Resolved:
        return "resolved";
    }
    return "";
}

std::string Alert::label(const std::string &key) const
{
    return PromEval::label(labels, key);
}

AlertEngine::AlertEngine(std::vector<AlertRule> rules)
    : m_rules(std::move(rules))
{
}

std::string AlertEngine::render(const std::string &text, const SeriesLabels &labels)
{
    std::string out;
    size_t at = 0;
    while (true) {
        const size_t open = text.find("{{", at);
        const size_t close = open == std::string::npos ? std::string::npos : text.find("}}", open);
        if (close == std::string::npos) {
            out += text.substr(at);
            return out;
        }
        out += text.substr(at, open - at);
        std::string inner = text.substr(open + 2, close - open - 2);
        inner.erase(0, inner.find_first_not_of(' '));
        inner.erase(inner.find_last_not_of(' ') + 1);
        const std::string prefix = "$labels.";
        if (inner.rfind(prefix, 0) == 0)
            out += PromEval::label(labels, inner.substr(prefix.size()));
        else
            out += text.substr(open, close + 2 - open); // not a template the console writes
        at = close + 2;
    }
}

std::vector<Alert> AlertEngine::evaluate(const SeriesStore &store, int64_t nowMs)
{
    std::vector<Alert> changes;
    std::vector<Alert> next;
    m_errors.clear();
    PromEval::Options options;
    options.knownFromMs = store.firstTimestamp();
    for (int r = 0; r < int(m_rules.size()); ++r) {
        const AlertRule &rule = m_rules[size_t(r)];
        // This rule's alerts so far, by labels.
        std::map<SeriesLabels, Alert> previous;
        for (const Alert &a : m_active) {
            if (a.rule == r)
                previous.emplace(a.labels, a);
        }
        const PromEval::Result result = PromEval::evaluate(store, rule.expr, nowMs, options);
        if (!result.error.empty()) {
            m_errors.push_back(rule.name + ": " + result.error);
            for (auto &[labels, a] : previous)
                next.push_back(std::move(a));
            continue;
        }
        std::map<SeriesLabels, double> present;
        for (const PromEval::Sample &s : result.vector) {
            SeriesLabels labels = s.labels;
            labels.erase(std::remove_if(labels.begin(), labels.end(),
                             [](const auto &l) { return l.first == PromEval::kNameLabel; }),
                labels.end());
            present.emplace(std::move(labels), s.value);
        }
        for (const auto &[labels, value] : present) {
            auto it = previous.find(labels);
            Alert a;
            if (it == previous.end()) {
                a.name = rule.name;
                a.severity = rule.severity;
                a.labels = labels;
                a.rule = r;
                a.activeAtMs = a.sinceMs = nowMs;
                a.summary = render(rule.summary, labels);
                a.description = render(rule.description, labels);
                a.runbook = rule.runbook;
                if (rule.forMs > 0)
                    changes.push_back(a);
            } else {
                a = it->second;
                previous.erase(it);
            }
            a.value = value;
            if (a.phase == AlertPhase::Pending && nowMs - a.activeAtMs >= rule.forMs) {
                a.phase = AlertPhase::Firing;
                a.sinceMs = a.firedAtMs = nowMs;
                changes.push_back(a);
            }
            next.push_back(std::move(a));
        }
        // What left the result is over.
        for (auto &[labels, a] : previous) {
            a.phase = AlertPhase::Resolved;
            a.sinceMs = nowMs;
            changes.push_back(std::move(a));
        }
    }
    m_active = std::move(next);
    return changes;
}

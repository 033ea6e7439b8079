// The console's evaluation of the etcd rules against the expectations of
// tests/alerts/etcd-rules.test.yml, the file `promtool test rules` checks against the
// printed rules (tst_promtool_rules). Both pass only if the console and Prometheus agree on
// every alert there: which fire, when, with which labels and annotations.

#include "alerts/AlertEngine.h"
#include "alerts/EtcdRules.h"
#include "alerts/PromEval.h"
#include "tsdb/ScrapeAppender.h"

#include <QTest>
#include <optional>
#include <set>
#include <yaml-cpp/yaml.h>

namespace {

int64_t durationMs(const std::string &text)
{
    size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
        ++digits;
    const int64_t n = std::stoll(text.substr(0, digits));
    const std::string unit = text.substr(digits);
    if (unit == "ms")
        return n;
    if (unit == "s")
        return n * 1000;
    if (unit == "m")
        return n * 60000;
    if (unit == "h")
        return n * 3600000;
    throw std::runtime_error("unknown duration " + text);
}

/// 'name{a="x",b="y"}' as promtool's input_series writes a series.
std::pair<std::string, SeriesLabels> parseSeries(const std::string &text)
{
    const size_t brace = text.find('{');
    std::pair<std::string, SeriesLabels> out {text.substr(0, brace), {}};
    size_t at = brace + 1;
    while (brace != std::string::npos && at < text.size() && text[at] != '}') {
        const size_t eq = text.find('=', at);
        const size_t open = text.find('"', eq);
        const size_t close = text.find('"', open + 1);
        out.second.push_back({text.substr(at, eq - at), text.substr(open + 1, close - open - 1)});
        at = close + 1;
        if (at < text.size() && text[at] == ',')
            ++at;
    }
    std::sort(out.second.begin(), out.second.end());
    return out;
}

/// promtool's expanding notation: numbers, 'a+bxn' and 'a-bxn' (n + 1 values), 'stale'.
std::vector<std::optional<double>> parseValues(const std::string &text)
{
    std::vector<std::optional<double>> out;
    std::istringstream in(text);
    std::string token;
    while (in >> token) {
        if (token == "stale") {
            out.push_back(std::nullopt);
            continue;
        }
        if (token.find('_') != std::string::npos)
            throw std::runtime_error("'_' is not supported here: see the test file's header");
        const size_t x = token.find('x');
        if (x == std::string::npos) {
            out.push_back(std::stod(token));
            continue;
        }
        const size_t sign = token.find_first_of("+-", 1);
        const double a = std::stod(token.substr(0, sign));
        const double b = std::stod(token.substr(sign, x - sign));
        const int n = std::stoi(token.substr(x + 1));
        for (int i = 0; i <= n; ++i)
            out.push_back(a + b * i);
    }
    return out;
}

using LabelSet = std::vector<std::pair<std::string, std::string>>;

LabelSet mapOf(const YAML::Node &node)
{
    LabelSet out;
    if (node)
        for (const auto &kv : node)
            out.push_back({kv.first.as<std::string>(), kv.second.as<std::string>()});
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestAlertRules : public QObject {
    Q_OBJECT

private slots:
    void agreesWithPromtoolTests_data()
    {
        QTest::addColumn<int>("group");
        const YAML::Node file = YAML::LoadFile(QUORUMDECK_ALERT_TESTS "/etcd-rules.test.yml");
        for (size_t i = 0; i < file["tests"].size(); ++i)
            QTest::newRow(qPrintable(QStringLiteral("group %1").arg(i + 1))) << int(i);
        QVERIFY(file["tests"].size() >= 5);
    }

    void agreesWithPromtoolTests()
    {
        QFETCH(int, group);
        const YAML::Node file = YAML::LoadFile(QUORUMDECK_ALERT_TESTS "/etcd-rules.test.yml");
        const YAML::Node test = file["tests"][size_t(group)];
        const int64_t interval = durationMs(test["interval"].as<std::string>());
        const int64_t evaluationInterval = durationMs(file["evaluation_interval"].as<std::string>());

        // The input series, appended one scrape time after another: series of one instance
        // at one time form one scrape, and a stale marker is a series missing from it.
        SeriesStore store(24 * 3600 * 1000LL);
        struct Input {
            std::string name;
            SeriesLabels labels;
            std::vector<std::optional<double>> values;
        };
        std::vector<Input> inputs;
        size_t longest = 0;
        for (const YAML::Node &s : test["input_series"]) {
            auto [name, labels] = parseSeries(s["series"].as<std::string>());
            inputs.push_back({name, labels, parseValues(s["values"].as<std::string>())});
            longest = std::max(longest, inputs.back().values.size());
        }
        std::set<std::string> instances;
        for (const Input &in : inputs)
            instances.insert(PromEval::label(in.labels, "instance"));
        for (size_t i = 0; i < longest; ++i) {
            for (const std::string &instance : instances) {
                ScrapeAppender scrape(store, instance, int64_t(i) * interval);
                for (const Input &in : inputs) {
                    if (PromEval::label(in.labels, "instance") != instance || i >= in.values.size() || !in.values[i])
                        continue;
                    std::string spelling = in.name;
                    for (const auto &[k, v] : in.labels)
                        spelling += ',' + k + '=' + v;
                    scrape.add(in.name, spelling, *in.values[i], [&](SeriesLabels &labels) {
                        for (const auto &l : in.labels)
                            if (l.first != "instance")
                                labels.push_back(l);
                    });
                }
            }
        }

        // The rules exactly as printed for promtool: the mixin's selector included.
        AlertEngine engine(EtcdRules::rules(EtcdRules::defaultSelector()));
        int64_t last = 0;
        for (const YAML::Node &c : test["alert_rule_test"])
            last = std::max(last, durationMs(c["eval_time"].as<std::string>()));
        int checked = 0;
        for (int64_t t = 0; t <= last; t += evaluationInterval) {
            engine.evaluate(store, t);
            if (!engine.errors().empty())
                QFAIL(engine.errors().front().c_str());
            for (const YAML::Node &c : test["alert_rule_test"]) {
                if (durationMs(c["eval_time"].as<std::string>()) != t)
                    continue;
                const std::string name = c["alertname"].as<std::string>();
                std::multiset<std::pair<LabelSet, LabelSet>> expected, actual;
                for (const YAML::Node &e : c["exp_alerts"])
                    expected.insert({mapOf(e["exp_labels"]), mapOf(e["exp_annotations"])});
                for (const Alert &a : engine.active()) {
                    if (a.name != name || a.phase != AlertPhase::Firing)
                        continue;
                    LabelSet labels(a.labels.begin(), a.labels.end());
                    labels.push_back({"severity", severityName(a.severity)});
                    std::sort(labels.begin(), labels.end());
                    LabelSet annotations {{"description", a.description}, {"summary", a.summary}};
                    actual.insert({labels, annotations});
                }
                auto describe = [](const auto &set) {
                    std::string out;
                    for (const auto &[labels, annotations] : set) {
                        out += "\n  {";
                        for (const auto &[k, v] : labels)
                            out += k + "=" + v + " ";
                        out += "} " + annotations.front().second;
                    }
                    return out.empty() ? std::string(" none") : out;
                };
                const std::string why = name + " at " + std::to_string(t / 1000) + " s: expected" + describe(expected)
                    + "\nbut the console fires" + describe(actual);
                QVERIFY2(expected == actual, why.c_str());
                ++checked;
            }
        }
        QCOMPARE(checked, int(test["alert_rule_test"].size()));
    }
};

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alertrules.moc"

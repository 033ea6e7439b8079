// PromQL evaluation over the console's store and the alert state machine: staleness,
// rate extrapolation, vector matching, printing, pending -> firing -> resolved.

#include "alerts/AlertEngine.h"
#include "alerts/EtcdRules.h"
#include "alerts/PromEval.h"
#include "alerts/RulesFile.h"
#include "tsdb/ScrapeAppender.h"

#include <QTest>

using namespace PromExpr;

namespace {

const SeriesLabels kA {{"instance", "a:2379"}};
const SeriesLabels kB {{"instance", "b:2379"}};

struct Sample {
    std::string name;
    double value;
};

/// One scrape of a target, as the collector stores it: the series it lacks are absent.
void scrape(SeriesStore &store, const std::string &instance, int64_t timeMs, const std::vector<Sample> &samples)
{
    ScrapeAppender appender(store, instance, timeMs);
    for (const Sample &s : samples)
        appender.add(s.name, s.name, s.value, [](SeriesLabels &) {});
}

double only(const PromEval::Result &r)
{
    if (!r.error.empty() || r.vector.size() != 1)
        return -1;
    return r.vector.front().value;
}

} // namespace

class TestAlerts : public QObject {
    Q_OBJECT

private slots:
    void printsWithPrecedence()
    {
        const Expr a = selector("a");
        const Expr b = selector("b", {{"job", Matcher::Op::Regex, ".*etcd.*"}});
        QCOMPARE(print(binary(Operator::Sub, a, binary(Operator::Sub, a, b))),
            std::string("a - (a - b{job=~\".*etcd.*\"})"));
        QCOMPARE(print(binary(Operator::Div, binary(Operator::Mul, number(100), a), a)), std::string("100 * a / a"));
        QCOMPARE(print(binary(Operator::Mul, binary(Operator::Add, a, number(1)), number(0.5))),
            std::string("(a + 1) * 0.5"));
        QCOMPARE(print(binary(Operator::Eq, a, number(0), true)), std::string("a == bool 0"));
        QCOMPARE(
            print(call(Function::Increase, {subquery(a, 15 * 60000, 60000)})), std::string("increase((a)[15m:1m])"));
        QCOMPARE(print(aggregate(Aggregation::Sum, true, {"instance"}, range("x", {}, 120000))),
            std::string("sum without (instance) (x[2m])"));
        QCOMPARE(duration(250), std::string("250ms"));
        QCOMPARE(duration(4 * 3600000), std::string("4h"));
    }

    void aFailedScrapeMakesSeriesStale()
    {
        SeriesStore store;
        for (int s = 0; s < 5; ++s)
            scrape(store, "a:2379", s * 1000, {{"up", 1}, {"etcd_server_has_leader", 1}});
        scrape(store, "a:2379", 5000, {{"up", 0}}); // the scrape failed: up = 0, nothing else
        const Expr leader = selector("etcd_server_has_leader");
        QCOMPARE(only(PromEval::evaluate(store, leader, 4000)), 1.0);
        QCOMPARE(only(PromEval::evaluate(store, leader, 4999)), 1.0);
        QVERIFY(PromEval::evaluate(store, leader, 5000).vector.empty());
        QCOMPARE(only(PromEval::evaluate(store, selector("up"), 5000)), 0.0);
        // Back in the next scrape: present again.
        scrape(store, "a:2379", 6000, {{"up", 1}, {"etcd_server_has_leader", 0}});
        QCOMPARE(only(PromEval::evaluate(store, leader, 6000)), 0.0);
        QVERIFY(PromEval::evaluate(store, leader, 5500).vector.empty());
    }

    void instantSelectorsLookBackFiveMinutes()
    {
        SeriesStore store;
        store.append("x", kA, 0, 7);
        QCOMPARE(only(PromEval::evaluate(store, selector("x"), 300000)), 7.0);
        QVERIFY(PromEval::evaluate(store, selector("x"), 300001).vector.empty());
        QVERIFY(PromEval::evaluate(store, selector("x"), -1).vector.empty());
    }

    void rateExtrapolatesAsPrometheusDoes()
    {
        SeriesStore store;
        for (int s = 1; s <= 4; ++s)
            store.append("c_total", kA, s * 1000, 100 + 10 * (s - 1));
        // 30 over 3 s of samples; 6 s to the window's start is too far (half an interval
        // added), 1 s to its end is close (added whole): 30 * 4.5 / 3 over 10 s.
        QCOMPARE(only(PromEval::evaluate(store, call(Function::Rate, {range("c_total", {}, 10000)}), 5000)), 4.5);
        QCOMPARE(only(PromEval::evaluate(store, call(Function::Increase, {range("c_total", {}, 10000)}), 5000)), 45.0);
        // One sample is no rate.
        QVERIFY(PromEval::evaluate(store, call(Function::Rate, {range("c_total", {}, 1000)}), 1500).vector.empty());
    }

    void counterResetsAreAddedBack()
    {
        SeriesStore store;
        const double values[] = {100, 110, 5, 15};
        for (int s = 0; s < 4; ++s)
            store.append("c_total", kA, s * 1000, values[s]);
        // 15 - 100 + 110 = 25 over exactly the sampled 3 s (edges within 1.1 intervals).
        QCOMPARE(only(PromEval::evaluate(store, call(Function::Increase, {range("c_total", {}, 3000)}), 3000)), 25.0);
    }

    void vectorsMatchOneToOneWithoutTheName()
    {
        SeriesStore store;
        store.append("used", kA, 0, 30);
        store.append("used", kB, 0, 80);
        store.append("quota", kA, 0, 100);
        store.append("quota", kB, 0, 100);
        const auto r = PromEval::evaluate(
            store, binary(Operator::Gt, binary(Operator::Div, selector("used"), selector("quota")), number(0.5)), 0);
        QVERIFY(r.error.empty());
        QCOMPARE(r.vector.size(), size_t(1));
        QCOMPARE(PromEval::label(r.vector[0].labels, "instance"), std::string("b:2379"));
        QCOMPARE(PromEval::label(r.vector[0].labels, "__name__"), std::string());
        QCOMPARE(r.vector[0].value, 0.8);
        // A comparison without bool keeps the name; with bool it gives 1 or 0 for each.
        const auto kept = PromEval::evaluate(store, binary(Operator::Gt, selector("used"), number(50)), 0);
        QCOMPARE(PromEval::label(kept.vector.at(0).labels, "__name__"), std::string("used"));
        const auto flags = PromEval::evaluate(store, binary(Operator::Gt, selector("used"), number(50), true), 0);
        QCOMPARE(flags.vector.size(), size_t(2));
        QCOMPARE(flags.vector[0].value + flags.vector[1].value, 1.0);
    }

    void aggregationsOrAndAbsent()
    {
        SeriesStore store;
        store.append("up", kA, 0, 1);
        store.append("up", kB, 0, 0);
        const auto down = PromEval::evaluate(store,
            aggregate(Aggregation::Sum, true, {"instance"}, binary(Operator::Eq, selector("up"), number(0), true)), 0);
        QCOMPARE(only(down), 1.0);
        QVERIFY(down.vector[0].labels.empty());
        QCOMPARE(only(PromEval::evaluate(store, aggregate(Aggregation::Count, false, {}, selector("up")), 0)), 2.0);
        QCOMPARE(only(PromEval::evaluate(store, aggregate(Aggregation::Max, false, {}, selector("up")), 0)), 1.0);
        const Expr missing = selector("nothing", {{"job", Matcher::Op::Equal, "etcd"}});
        const auto absent = PromEval::evaluate(store, call(Function::Absent, {missing}), 0);
        QCOMPARE(only(absent), 1.0);
        QCOMPARE(PromEval::label(absent.vector[0].labels, "job"), std::string("etcd"));
        QVERIFY(PromEval::evaluate(store, call(Function::Absent, {selector("up")}), 0).vector.empty());
        // `or` adds the right side's series whose labels the left lacks; `and` keeps the
        // left's that the right has.
        const auto either = PromEval::evaluate(store,
            binary(Operator::Or, binary(Operator::Gt, selector("up"), number(0)), call(Function::Absent, {missing})),
            0);
        QCOMPARE(either.vector.size(), size_t(2));
        const auto both = PromEval::evaluate(
            store, binary(Operator::And, selector("up"), binary(Operator::Gt, selector("up"), number(0))), 0);
        QCOMPARE(both.vector.size(), size_t(1));
    }

    void predictLinearIsExactOnALine()
    {
        SeriesStore store;
        for (int s = 0; s <= 10; ++s)
            store.append("size", kA, s * 1000, 1000 + 50 * s);
        const Expr e = call(Function::PredictLinear, {range("size", {}, 60000), number(100)});
        QCOMPARE(only(PromEval::evaluate(store, e, 10000)), 1500.0 + 50 * 100);
    }

    void histogramQuantileGroupsByAllButLe()
    {
        SeriesStore store;
        for (int s = 0; s <= 2; ++s) {
            store.append("h_bucket", {{"instance", "a:2379"}, {"le", "0.5"}}, s * 1000, 0);
            store.append("h_bucket", {{"instance", "a:2379"}, {"le", "1"}}, s * 1000, 10.0 * s);
            store.append("h_bucket", {{"instance", "a:2379"}, {"le", "+Inf"}}, s * 1000, 10.0 * s);
        }
        const Expr e
            = call(Function::HistogramQuantile, {number(0.99), call(Function::Rate, {range("h_bucket", {}, 2000)})});
        const auto r = PromEval::evaluate(store, e, 2000);
        QCOMPARE(r.vector.size(), size_t(1));
        QCOMPARE(r.vector[0].labels, (SeriesLabels {{"instance", "a:2379"}}));
        QVERIFY(qFuzzyCompare(r.vector[0].value, 0.995));
    }

    void alertsGoPendingFiringResolved()
    {
        // etcdNoLeader with its minute shortened to a second.
        std::vector<AlertRule> rules;
        for (AlertRule &r : EtcdRules::rules({}, RuleTiming {}.scaled(60)))
            if (r.name == "etcdNoLeader")
                rules.push_back(r);
        QCOMPARE(rules.size(), size_t(1));
        QCOMPARE(rules[0].forMs, int64_t(1000));
        AlertEngine engine(rules);
        SeriesStore store;
        const double leader[] = {1, 0, 0, 0, 1};
        std::vector<std::vector<Alert>> changes;
        for (int s = 0; s < 5; ++s) {
            store.append("etcd_server_has_leader", kA, s * 500, leader[s]);
            changes.push_back(engine.evaluate(store, s * 500));
        }
        QVERIFY(changes[0].empty());
        QCOMPARE(changes[1].size(), size_t(1));
        QCOMPARE(changes[1][0].phase, AlertPhase::Pending);
        QCOMPARE(changes[1][0].sinceMs, int64_t(500));
        QCOMPARE(changes[1][0].description, std::string("Member a:2379 has no leader."));
        QVERIFY(changes[2].empty()); // 500 ms of a 1 s `for`
        QCOMPARE(changes[3].size(), size_t(1));
        QCOMPARE(changes[3][0].phase, AlertPhase::Firing);
        QCOMPARE(changes[3][0].activeAtMs, int64_t(500));
        QCOMPARE(changes[3][0].sinceMs, int64_t(1500));
        QCOMPARE(changes[4].size(), size_t(1));
        QCOMPARE(changes[4][0].phase, AlertPhase::Resolved);
        QVERIFY(engine.active().empty());
    }

    void leaderChangesBeforeTheStoreBeganAreNotAJumpFromZero()
    {
        // A console that starts collecting at 10:55 sees a counter of 6 leader changes. The
        // mixin's `max(x) or 0 * absent(x)` would read the minute step at 10:00 as zero and
        // the one at 11:00 as six: four changes "within 15 minutes" that nobody saw.
        std::vector<AlertRule> rules;
        for (AlertRule &r : EtcdRules::rules({}))
            if (r.name == "etcdHighNumberOfLeaderChanges")
                rules.push_back(r);
        QCOMPARE(rules.size(), size_t(1));
        const int64_t minute = 60000;
        SeriesStore store;
        for (int64_t t = 10 * minute + 55000; t <= 11 * minute + 2000; t += 1000)
            scrape(store, "a:2379", t, {{"etcd_server_leader_changes_seen_total", 6}});
        AlertEngine engine(rules);
        QVERIFY(engine.evaluate(store, 11 * minute + 2000).empty());
        PromEval::Options unknowing;
        QVERIFY(only(PromEval::evaluate(store, rules[0].expr, 11 * minute + 2000, unknowing)) >= 4);

        // Changes the console did see still count.
        for (int64_t t = 11 * minute + 3000; t <= 13 * minute; t += 1000)
            scrape(
                store, "a:2379", t, {{"etcd_server_leader_changes_seen_total", t < 12 * minute + 30000 ? 6.0 : 11.0}});
        const auto changes = engine.evaluate(store, 13 * minute);
        QCOMPARE(changes.size(), size_t(1));
        QCOMPARE(changes[0].phase, AlertPhase::Pending);
    }

    void aPendingAlertThatClearsIsResolvedWithoutFiring()
    {
        AlertEngine engine(
            {{"x", AlertSeverity::Warning, 10000, binary(Operator::Gt, selector("v"), number(1)), "s", "d", "r"}});
        SeriesStore store;
        store.append("v", kA, 0, 5);
        QCOMPARE(engine.evaluate(store, 0).at(0).phase, AlertPhase::Pending);
        store.append("v", kA, 1000, 0);
        const auto changes = engine.evaluate(store, 1000);
        QCOMPARE(changes.size(), size_t(1));
        QCOMPARE(changes[0].phase, AlertPhase::Resolved);
    }

    void aRuleThatCannotBeEvaluatedSaysWhy()
    {
        SeriesStore store;
        store.append("v", kA, 0, 5);
        const Expr e = selector("v", {{"job", Matcher::Op::Regex, "(unclosed"}});
        AlertEngine engine({{"broken", AlertSeverity::Warning, 0, e, "s", "d", "r"}});
        QVERIFY(engine.evaluate(store, 0).empty());
        QCOMPARE(engine.errors().size(), size_t(1));
        QVERIFY(engine.errors()[0].find("broken: invalid regular expression") == 0);
    }

    void theRuleSetIsTheMixinsComplete()
    {
        const auto rules = EtcdRules::rules(EtcdRules::defaultSelector());
        std::vector<std::string> names;
        for (const AlertRule &r : rules)
            names.push_back(r.name + "/" + severityName(r.severity));
        const std::vector<std::string> expected {"etcdMembersDown/critical", "etcdInsufficientMembers/critical",
            "etcdNoLeader/critical", "etcdHighNumberOfLeaderChanges/warning",
            "etcdHighNumberOfFailedGRPCRequests/warning", "etcdHighNumberOfFailedGRPCRequests/critical",
            "etcdGRPCRequestsSlow/critical", "etcdMemberCommunicationSlow/warning",
            "etcdHighNumberOfFailedProposals/warning", "etcdHighFsyncDurations/warning",
            "etcdHighFsyncDurations/critical", "etcdHighCommitDurations/warning", "etcdDatabaseQuotaLowSpace/critical",
            "etcdExcessiveDatabaseGrowth/warning", "etcdDatabaseHighFragmentationRatio/warning"};
        QCOMPARE(names, expected);
        const std::string yaml = RulesFile::yaml("etcd", rules);
        QVERIFY(yaml.find("expr: 'etcd_server_has_leader{job=~\".*etcd.*\"} == 0'") != std::string::npos);
        QVERIFY(yaml.find("for: 1m") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"

#include "dashboard/EtcdDashboard.h"
#include "dashboard/PanelPromQL.h"
#include "dashboard/PanelQuery.h"
#include "tsdb/Downsample.h"
#include "tsdb/SeriesQuery.h"

#include <QRandomGenerator>
#include <QTest>
#include <cmath>

using PanelQuery::Expr;

/// The dashboard's queries, its downsampling and its alert thresholds.
class TestPanelQuery : public QObject {
    Q_OBJECT

private slots:
    void panelsReadAsPromQL();
    void downsampleKeepsExtremesWithinTwoPointsPerColumn();
    void downsampleBreaksLinesAtGaps();
    void gaugeSumsByInstance();
    void rateSumsOnlyMatchingSeries();
    void idleSeriesSkippedGiveTheSameRates();
    void rateShowsAFailedScrapeRunAsAGap();
    void increaseOverFifteenMinutes();
    void quantileOfSummedBucketRates();
    void differenceCountsOpenStreams();
    void stepsStayBelowTwoPerColumn();
    void thresholdAsFractionOfQuota();
    void formatsUnits();

private:
    static constexpr int64_t kStart = 1'700'000'000'000;

    /// Appends a counter at 1 s intervals for `seconds`, rising by `perSecond`.
    static void counter(SeriesStore &store, const std::string &name, const SeriesLabels &labels, double perSecond,
        int seconds, int64_t start = kStart)
    {
        for (int i = 0; i < seconds; ++i)
            store.append(name, labels, start + i * 1000, perSecond * i);
    }
    static int nanCount(const std::vector<SeriesPoint> &points)
    {
        return int(
            std::count_if(points.begin(), points.end(), [](const SeriesPoint &p) { return std::isnan(p.value); }));
    }
};

void TestPanelQuery::downsampleKeepsExtremesWithinTwoPointsPerColumn()
{
    std::vector<SeriesPoint> points;
    QRandomGenerator rng(7);
    double lo = 1e9;
    double hi = -1e9;
    for (int i = 0; i < 100'000; ++i) {
        const double v = rng.bounded(1000.0) + (i == 31'337 ? 5000 : 0) - (i == 77'777 ? 5000 : 0);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        points.push_back({kStart + i * 1000, v});
    }
    const int64_t to = kStart + 99'999 * 1000;
    const auto out = Downsample::minMaxPerColumn(points, kStart, to, 500, 1500);
    QVERIFY(out.size() <= 1000);
    QVERIFY(out.size() >= 500);
    QCOMPARE(nanCount(out), 0);
    QVERIFY(std::any_of(out.begin(), out.end(), [&](const SeriesPoint &p) { return p.value == lo; }));
    QVERIFY(std::any_of(out.begin(), out.end(), [&](const SeriesPoint &p) { return p.value == hi; }));
    for (size_t i = 1; i < out.size(); ++i)
        QVERIFY(out[i].timestampMs > out[i - 1].timestampMs);
    // Every point kept is one of the input's, unchanged.
    for (const SeriesPoint &p : out)
        QCOMPARE(points[size_t((p.timestampMs - kStart) / 1000)].value, p.value);
}

void TestPanelQuery::downsampleBreaksLinesAtGaps()
{
    std::vector<SeriesPoint> points;
    for (int i = 0; i < 60; ++i) {
        if (i < 20 || i >= 30) // ten scrapes missing
            points.push_back({kStart + i * 1000, double(i)});
    }
    // Few points: all kept, one marker in the hole.
    auto out = Downsample::minMaxPerColumn(points, kStart, kStart + 59'000, 400, 1500);
    QCOMPARE(out.size(), points.size() + 1);
    QCOMPARE(nanCount(out), 1);
    const auto marker = std::find_if(out.begin(), out.end(), [](const SeriesPoint &p) { return std::isnan(p.value); });
    QCOMPARE((marker - 1)->value, 19.0);
    QCOMPARE((marker + 1)->value, 29.0 + 1);
    // Many points per column: the gap survives, and the line reaches its edges.
    out = Downsample::minMaxPerColumn(points, kStart, kStart + 59'000, 5, 1500);
    QCOMPARE(nanCount(out), 1);
    const auto marker2 = std::find_if(out.begin(), out.end(), [](const SeriesPoint &p) { return std::isnan(p.value); });
    QCOMPARE((marker2 - 1)->value, 19.0);
    QCOMPARE((marker2 + 1)->value, 30.0);
    // A series that stopped ends in a gap, so it shows no value at the window's end.
    SeriesStore store;
    for (int i = 0; i < 20; ++i)
        store.append("m", {{"instance", "gone"}}, kStart + i * 1000, 1);
    Expr gauge;
    gauge.metric = "m";
    auto ended = PanelQuery::evaluate(store, gauge, {kStart, kStart + 60'000, 100, 1000});
    QCOMPARE(ended.size(), size_t(1));
    QVERIFY(std::isnan(ended[0].points.back().value));
    ended = PanelQuery::evaluate(store, gauge, {kStart, kStart + 20'000, 100, 1000});
    QCOMPARE(ended[0].points.back().value, 1.0); // the latest scrape is recent: no gap
    // Outside the window nothing is kept.
    QVERIFY(Downsample::minMaxPerColumn(points, kStart + 100'000, kStart + 200'000, 10, 1500).empty());
}

void TestPanelQuery::gaugeSumsByInstance()
{
    SeriesStore store;
    for (int i = 0; i < 10; ++i) {
        store.append("m", {{"instance", "a"}, {"To", "x"}}, kStart + i * 1000, i);
        store.append("m", {{"instance", "a"}, {"To", "y"}}, kStart + i * 1000, 100); // idle
        store.append("m", {{"instance", "b"}, {"To", "x"}}, kStart + i * 1000, 2 * i);
    }
    Expr e;
    e.metric = "m";
    const auto lines = PanelQuery::evaluate(store, e, {kStart, kStart + 9000, 100, 1000});
    QCOMPARE(lines.size(), size_t(2));
    QCOMPARE(lines[0].instance, std::string("a"));
    QCOMPARE(lines[1].instance, std::string("b"));
    QCOMPARE(lines[0].points.size(), size_t(10));
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(lines[0].points[size_t(i)].value, 100.0 + i);
        QCOMPARE(lines[1].points[size_t(i)].value, 2.0 * i);
    }
}

void TestPanelQuery::rateSumsOnlyMatchingSeries()
{
    SeriesStore store;
    counter(
        store, "grpc_server_handled_total", {{"instance", "a"}, {"grpc_code", "OK"}, {"grpc_type", "unary"}}, 10, 120);
    counter(store, "grpc_server_handled_total",
        {{"instance", "a"}, {"grpc_code", "Unavailable"}, {"grpc_type", "unary"}}, 2, 120);
    counter(store, "grpc_server_handled_total",
        {{"instance", "a"}, {"grpc_code", "Unavailable"}, {"grpc_type", "bidi_stream"}}, 50, 120);
    Expr failed;
    failed.kind = Expr::Kind::Rate;
    failed.metric = "grpc_server_handled_total";
    failed.matchers = {{"grpc_type", "unary", true}, {"grpc_code", "OK", false}};
    const auto lines = PanelQuery::evaluate(store, failed, {kStart + 10'000, kStart + 119'000, 50, 1000});
    QCOMPARE(lines.size(), size_t(1));
    QVERIFY(lines[0].points.size() > 50);
    for (const SeriesPoint &p : lines[0].points)
        QCOMPARE(p.value, 2.0);
}

void TestPanelQuery::idleSeriesSkippedGiveTheSameRates()
{
    // Idle counters are not decoded; the sum must equal decoding every series.
    SeriesStore store;
    QRandomGenerator rng(3);
    std::vector<double> values(40, 0);
    for (int i = 0; i < 600; ++i) {
        for (int s = 0; s < 40; ++s) {
            if (s % 4 == 0 && rng.bounded(3) == 0)
                values[size_t(s)] += rng.bounded(20);
            if (s == 8 && i == 300)
                values[size_t(s)] = 0; // a reset
            store.append("c", {{"instance", "a"}, {"s", std::to_string(s)}}, kStart + i * 1000, values[size_t(s)]);
        }
    }
    Expr e;
    e.kind = Expr::Kind::Rate;
    e.metric = "c";
    const PanelQuery::Window w {kStart + 5000, kStart + 599'000, 200, 1000};
    const auto lines = PanelQuery::evaluate(store, e, w);
    QCOMPARE(lines.size(), size_t(1));
    int compared = 0;
    for (const SeriesPoint &p : lines[0].points) {
        double expected = 0;
        for (int id : store.select("c"))
            expected += SeriesQuery::rate(store.range(id, 0, kStart * 2), p.timestampMs, w.rateRangeMs()).value_or(0);
        QCOMPARE(p.value, expected);
        ++compared;
    }
    QVERIFY(compared > 100);
}

void TestPanelQuery::rateShowsAFailedScrapeRunAsAGap()
{
    SeriesStore store;
    for (int i = 0; i < 300; ++i) {
        if (i < 100 || i >= 160) // a minute of failed scrapes
            store.append("c", {{"instance", "a"}}, kStart + i * 1000, 3.0 * i);
    }
    Expr e;
    e.kind = Expr::Kind::Rate;
    e.metric = "c";
    const auto lines = PanelQuery::evaluate(store, e, {kStart + 10'000, kStart + 299'000, 400, 1000});
    QCOMPARE(lines.size(), size_t(1));
    QCOMPARE(nanCount(lines[0].points), 1);
    const int64_t range = PanelQuery::Window {kStart, kStart + 299'000, 400, 1000}.rateRangeMs();
    int steady = 0;
    for (const SeriesPoint &p : lines[0].points) {
        if (std::isnan(p.value))
            continue;
        // Where the range holds only data, the rate is exact; at the gap's edges
        // Prometheus' extrapolation gives less, never more.
        const bool whole = p.timestampMs < kStart + 100'000 || p.timestampMs - range >= kStart + 160'000;
        if (whole) {
            QCOMPARE(p.value, 3.0);
            ++steady;
        } else {
            QVERIFY(p.value > 0 && p.value <= 3.0);
        }
    }
    QVERIFY(steady > 200);
}

void TestPanelQuery::increaseOverFifteenMinutes()
{
    SeriesStore store;
    for (int i = 0; i < 3600; ++i)
        store.append("etcd_server_leader_changes_seen_total", {{"instance", "a"}}, kStart + i * 1000, double(i / 60));
    Expr e;
    e.kind = Expr::Kind::Increase;
    e.metric = "etcd_server_leader_changes_seen_total";
    e.windowMs = 15 * 60 * 1000;
    const auto lines = PanelQuery::evaluate(store, e, {kStart + 1'800'000, kStart + 3'599'000, 100, 1000});
    QCOMPARE(lines.size(), size_t(1));
    for (const SeriesPoint &p : lines[0].points)
        // 14 or 15 steps of one in any 900 s, extrapolated by at most 900/899.
        QVERIFY2(p.value >= 14 && p.value <= 15 * 900.0 / 899 + 1e-9, std::to_string(p.value).c_str());
}

void TestPanelQuery::quantileOfSummedBucketRates()
{
    // Per second: 1 observation <= 0.1 and 1 in (0.1, 0.5], on two "To" peers summed.
    SeriesStore store;
    for (const char *peer : {"p1", "p2"}) {
        counter(store, "rtt_bucket", {{"instance", "a"}, {"To", peer}, {"le", "0.1"}}, 0.5, 120);
        counter(store, "rtt_bucket", {{"instance", "a"}, {"To", peer}, {"le", "0.5"}}, 1, 120);
        counter(store, "rtt_bucket", {{"instance", "a"}, {"To", peer}, {"le", "+Inf"}}, 1, 120);
        counter(store, "rtt_bucket", {{"instance", "a"}, {"To", peer}, {"le", "1"}}, 1, 120);
    }
    Expr e;
    e.kind = Expr::Kind::Quantile;
    e.metric = "rtt_bucket";
    e.quantile = 0.99;
    const auto lines = PanelQuery::evaluate(store, e, {kStart + 10'000, kStart + 119'000, 50, 1000});
    QCOMPARE(lines.size(), size_t(1));
    QVERIFY(!lines[0].points.empty());
    // rank 0.99 × 2 = 1.98 lies in (0.1, 0.5] with 1 before it: 0.1 + 0.4 × 0.98.
    for (const SeriesPoint &p : lines[0].points)
        QVERIFY(std::fabs(p.value - (0.1 + 0.4 * 0.98)) < 1e-9);
}

void TestPanelQuery::differenceCountsOpenStreams()
{
    SeriesStore store;
    for (int i = 0; i < 30; ++i) {
        const int64_t t = kStart + i * 1000;
        store.append("started", {{"instance", "a"}, {"grpc_type", "bidi_stream"}}, t, 10 + i);
        store.append("handled", {{"instance", "a"}, {"grpc_type", "bidi_stream"}, {"grpc_code", "OK"}}, t, i);
        store.append("handled", {{"instance", "a"}, {"grpc_type", "bidi_stream"}, {"grpc_code", "Canceled"}}, t, 3);
    }
    Expr e;
    e.kind = Expr::Kind::Difference;
    e.metric = "started";
    e.subtrahend = "handled";
    e.matchers = {{"grpc_type", "bidi_stream", true}};
    const auto lines = PanelQuery::evaluate(store, e, {kStart, kStart + 29'000, 100, 1000});
    QCOMPARE(lines.size(), size_t(1));
    QCOMPARE(lines[0].points.size(), size_t(30));
    for (const SeriesPoint &p : lines[0].points)
        QCOMPARE(p.value, 7.0);

    // A finished-stream series that appears halfway counts only from then on.
    SeriesStore later;
    for (int i = 0; i < 30; ++i) {
        const int64_t t = kStart + i * 1000;
        later.append("started", {{"instance", "a"}, {"grpc_type", "bidi_stream"}}, t, 10);
        later.append("handled", {{"instance", "a"}, {"grpc_type", "bidi_stream"}, {"grpc_code", "OK"}}, t, 3);
        if (i >= 15)
            later.append("handled", {{"instance", "a"}, {"grpc_type", "bidi_stream"}, {"grpc_code", "Canceled"}}, t, 1);
    }
    const auto open = PanelQuery::evaluate(later, e, {kStart, kStart + 29'000, 100, 1000});
    QCOMPARE(open.size(), size_t(1));
    QCOMPARE(open[0].points.size(), size_t(30));
    for (size_t i = 0; i < 30; ++i)
        QCOMPARE(open[0].points[i].value, i >= 15 ? 6.0 : 7.0);
}

void TestPanelQuery::stepsStayBelowTwoPerColumn()
{
    SeriesStore store;
    counter(store, "c", {{"instance", "a"}}, 1, 6 * 3600);
    for (auto kind : {Expr::Kind::Rate, Expr::Kind::Gauge}) {
        Expr e;
        e.kind = kind;
        e.metric = "c";
        for (int columns : {100, 640, 1920}) {
            const auto lines = PanelQuery::evaluate(store, e, {kStart, kStart + 6 * 3600 * 1000, columns, 1000});
            QCOMPARE(lines.size(), size_t(1));
            QVERIFY2(lines[0].points.size() <= size_t(2 * columns + 1), std::to_string(lines[0].points.size()).c_str());
            QVERIFY(lines[0].points.size() >= size_t(columns));
        }
    }
}

void TestPanelQuery::thresholdAsFractionOfQuota()
{
    const auto &panels = EtcdDashboard::panels();
    const auto db = std::find_if(panels.begin(), panels.end(), [](const auto &p) { return p.id == "db-size"; });
    QVERIFY(db != panels.end());
    PanelQuery::Line size {"a", "size", {{1, 900}, {2, 950}}};
    const PanelQuery::Line quota {"a", "quota", {{1, 1000}, {2, 1000}}};
    QCOMPARE(EtcdDashboard::thresholdValue(db->threshold, {size, quota}).value_or(-1), 950.0);
    QVERIFY(!EtcdDashboard::thresholdValue(db->threshold, {size}).has_value()); // quota unknown
}

void TestPanelQuery::formatsUnits()
{
    using EtcdDashboard::Unit;
    QCOMPARE(EtcdDashboard::format(Unit::Bytes, 512), std::string("512 B"));
    QCOMPARE(EtcdDashboard::format(Unit::Bytes, 2 * 1024 * 1024), std::string("2.00 MiB"));
    QCOMPARE(EtcdDashboard::format(Unit::Seconds, 0.0032), std::string("3.2 ms"));
    QCOMPARE(EtcdDashboard::format(Unit::Seconds, 0.25), std::string("250 ms"));
    QCOMPARE(EtcdDashboard::format(Unit::BytesPerSecond, 1536), std::string("1.50 KiB/s"));
    QCOMPARE(EtcdDashboard::format(Unit::PerSecond, 12.5), std::string("12.5/s"));
    QCOMPARE(EtcdDashboard::format(Unit::Boolean, 1), std::string("yes"));
    QCOMPARE(EtcdDashboard::format(Unit::Count, std::nan("")), std::string("—"));
}

void TestPanelQuery::panelsReadAsPromQL()
{
    using Kind = PanelQuery::Expr::Kind;
    PanelQuery::Window w;
    w.fromMs = 0;
    w.toMs = 3600 * 1000;
    w.columns = 600;
    w.intervalMs = 15000; // a Prometheus' default scrape interval: rates over four of them
    const std::string sel = PanelPromQL::instanceMatcher({"10.0.0.1:2379", "a\\b"});
    QCOMPARE(sel, std::string(R"(instance=~"10\\.0\\.0\\.1:2379|a\\\\b")"));
    PanelQuery::Expr gauge {Kind::Gauge, "etcd_server_has_leader"};
    QCOMPARE(PanelPromQL::text(gauge, w, ""), std::string("sum by (instance) (etcd_server_has_leader)"));
    PanelQuery::Expr rate {Kind::Rate, "grpc_server_handled_total", {{"grpc_code", "OK", false}}};
    QCOMPARE(PanelPromQL::text(rate, w, "cluster=\"prod\""),
        std::string(R"(sum by (instance) (rate(grpc_server_handled_total{grpc_code!="OK", cluster="prod"}[1m])))"));
    PanelQuery::Expr p99 {Kind::Quantile, "etcd_disk_wal_fsync_duration_seconds"};
    QCOMPARE(PanelPromQL::text(p99, w, ""),
        std::string("histogram_quantile(0.99, sum by (instance, le) "
                    "(rate(etcd_disk_wal_fsync_duration_seconds_bucket[1m])))"));
    PanelQuery::Expr changes {Kind::Increase, "etcd_server_leader_changes_seen_total"};
    changes.windowMs = 15 * 60 * 1000;
    QCOMPARE(PanelPromQL::text(changes, w, ""),
        std::string("sum by (instance) (increase(etcd_server_leader_changes_seen_total[15m]))"));
    PanelQuery::Expr diff {Kind::Difference, "a_bytes"};
    diff.subtrahend = "b_bytes";
    QCOMPARE(PanelPromQL::text(diff, w, ""), std::string("sum by (instance) (a_bytes) - sum by (instance) (b_bytes)"));
}

QTEST_GUILESS_MAIN(TestPanelQuery)
#include "tst_panelquery.moc"

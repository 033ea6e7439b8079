#include "scrape/ScrapeIngest.h"
#include "tsdb/SeriesQuery.h"
#include "tsdb/SeriesStore.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>
#include <cmath>
#include <cstring>

/// The compressed series store and the PromQL functions over it.
class TestSeriesStore : public QObject {
    Q_OBJECT

private slots:
    void realScrapesRoundTripBitExact();
    void selectByLabelsAndNames();
    void retentionDropsOldChunks();
    void outOfOrderSamplesAreDropped();
    void aScrapeWithoutSamplesMakesTheTargetsSeriesStale();
    void rateOfSteadyCounter();
    void rateAcrossCounterReset();
    void irate();
    void rateNeedsTwoSamples();
    void histogramQuantiles_data();
    void histogramQuantiles();
    void sumBy();

private:
    static std::vector<SeriesPoint> steps(std::initializer_list<double> values, int64_t startMs = 1000)
    {
        std::vector<SeriesPoint> out;
        int64_t t = startMs;
        for (double v : values) {
            out.push_back({t, v});
            t += 1000;
        }
        return out;
    }
};

void TestSeriesStore::realScrapesRoundTripBitExact()
{
    QFile f(QFINDTESTDATA("../data/etcd-3.4.23-metrics.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray payload = f.readAll();
    PromText::ParseResult scrape;
    PromText::parse(std::string_view(payload.constData(), size_t(payload.size())), scrape);
    QRandomGenerator rng(3);

    SeriesStore store;
    std::vector<std::vector<double>> written(scrape.samples.size());
    const int scrapes = 300;
    for (int i = 0; i < scrapes; ++i) {
        for (size_t s = 0; s < scrape.samples.size(); ++s) {
            if (rng.bounded(4) == 0)
                scrape.samples[s].value += rng.bounded(3);
            if (s == 5 && i == 7)
                scrape.samples[s].value = std::nan("");
            written[s].push_back(scrape.samples[s].value);
        }
        QCOMPARE(ScrapeIngest::append(store, "127.0.0.1:2379", 1700000000000 + i * 1000, scrape),
            int(scrape.samples.size()));
    }
    QCOMPARE(store.seriesCount(), scrape.samples.size());
    QCOMPARE(store.sampleCount(), scrape.samples.size() * scrapes);
    // Read every series back and compare bit for bit.
    for (size_t s = 0; s < scrape.samples.size(); ++s) {
        SeriesLabels matchers {{"instance", "127.0.0.1:2379"}};
        for (uint32_t l = 0; l < scrape.samples[s].labelCount; ++l) {
            const PromText::Label &label = scrape.labelsOf(scrape.samples[s])[l];
            matchers.emplace_back(std::string(label.name), label.value());
        }
        const std::vector<int> ids = store.select(std::string(scrape.samples[s].name), matchers);
        QVERIFY(!ids.empty());
        int exact = -1;
        for (int id : ids) {
            if (store.labels(id).size() == matchers.size())
                exact = id;
        }
        QVERIFY(exact >= 0);
        const auto points = store.range(exact, 0, INT64_MAX);
        QCOMPARE(points.size(), size_t(scrapes));
        for (int i = 0; i < scrapes; ++i) {
            QCOMPARE(points[size_t(i)].timestampMs, 1700000000000 + i * 1000);
            QVERIFY(std::memcmp(&points[size_t(i)].value, &written[s][size_t(i)], sizeof(double)) == 0);
        }
    }
    QVERIFY(store.memoryBytes() > store.encodedBytes());
    qInfo("%zu samples: %.3f encoded bytes/sample, %.3f bytes/sample with index and chunk overhead",
        store.sampleCount(), double(store.encodedBytes()) / double(store.sampleCount()),
        double(store.memoryBytes()) / double(store.sampleCount()));
}

void TestSeriesStore::selectByLabelsAndNames()
{
    SeriesStore store;
    store.append("req_total", {{"method", "get"}, {"instance", "a"}}, 1000, 1);
    store.append("req_total", {{"instance", "b"}, {"method", "get"}}, 1000, 2);
    store.append("req_total", {{"method", "put"}, {"instance", "a"}}, 1000, 3);
    store.append("up", {{"instance", "a"}}, 1000, 1);
    QCOMPARE(store.select("req_total").size(), size_t(3));
    QCOMPARE(store.select("req_total", {{"method", "get"}}).size(), size_t(2));
    QCOMPARE(store.select("req_total", {{"method", "get"}, {"instance", "b"}}).size(), size_t(1));
    QCOMPARE(store.select("nothing").size(), size_t(0));
    QCOMPARE(store.names(), (std::vector<std::string> {"req_total", "up"}));
    // Label order does not make a different series.
    store.append("req_total", {{"instance", "a"}, {"method", "get"}}, 2000, 5);
    QCOMPARE(store.seriesCount(), size_t(4));
}

void TestSeriesStore::retentionDropsOldChunks()
{
    SeriesStore store(60 * 1000);
    for (int i = 0; i < 1000; ++i)
        store.append("m", {}, int64_t(i) * 1000, i);
    store.append("gone", {}, 0, 1);
    const size_t before = store.sampleCount();
    store.expire(1000 * 1000);
    QVERIFY(store.sampleCount() < before);
    const auto points = store.range(store.select("m").front(), 0, INT64_MAX);
    // Whole chunks go: what stays starts at a chunk boundary within one chunk of the cutoff.
    QVERIFY(points.front().timestampMs <= (1000 - 60) * 1000);
    QVERIFY(points.front().timestampMs > (1000 - 60 - SeriesStore::kSamplesPerChunk) * 1000);
    QVERIFY(store.select("gone").empty());
    QCOMPARE(store.seriesCount(), size_t(1));
}

void TestSeriesStore::outOfOrderSamplesAreDropped()
{
    SeriesStore store;
    store.append("m", {}, 2000, 1);
    store.append("m", {}, 1000, 2);
    store.append("m", {}, 2000, 3);
    const auto points = store.range(store.select("m").front(), 0, 10000);
    QCOMPARE(points.size(), size_t(1));
    QCOMPARE(points.front().value, 1.0);
}

void TestSeriesStore::aScrapeWithoutSamplesMakesTheTargetsSeriesStale()
{
    // What a failed scrape stores (ScrapeWorker): after it, an instant selector sees nothing
    // of the target within the lookback, as Prometheus' staleness markers make it.
    const QByteArray payload = "etcd_server_has_leader 0\netcd_server_is_leader 0\n";
    PromText::ParseResult scrape;
    PromText::parse(std::string_view(payload.constData(), size_t(payload.size())), scrape);
    QVERIFY(scrape.errors.empty());
    SeriesStore store;
    const std::string target = "127.0.0.1:2379";
    const int64_t t0 = 1700000000000;
    QCOMPARE(ScrapeIngest::append(store, target, t0, scrape), 2);
    QCOMPARE(ScrapeIngest::append(store, target, t0 + 1000, scrape), 2);
    const std::vector<int> ids = store.select("etcd_server_has_leader", {{"instance", target}});
    QCOMPARE(ids.size(), size_t(1));
    const int64_t lookback = 5 * 60 * 1000;
    QVERIFY(store.latest(ids[0], t0 + 1500, lookback).has_value());

    QCOMPARE(ScrapeIngest::append(store, target, t0 + 2000, PromText::ParseResult()), 0);
    QVERIFY(store.latest(ids[0], t0 + 1500, lookback).has_value()); // before the failure
    QVERIFY(!store.latest(ids[0], t0 + 2000, lookback).has_value());
    QVERIFY(!store.latest(ids[0], t0 + 60000, lookback).has_value());

    // The target answers again: its series are back.
    QCOMPARE(ScrapeIngest::append(store, target, t0 + 3000, scrape), 2);
    QCOMPARE(store.latest(ids[0], t0 + 3000, lookback)->value, 0.0);
}

void TestSeriesStore::rateOfSteadyCounter()
{
    std::vector<SeriesPoint> points;
    for (int i = 0; i <= 120; ++i)
        points.push_back({int64_t(i) * 1000, 1000.0 + 10.0 * i});
    // 60 points in (60 s, 120 s]: 590 over 59 s, extrapolated by the 1 s to the window's start.
    QCOMPARE(*SeriesQuery::rate(points, 120000, 60000), 10.0);
}

void TestSeriesStore::rateAcrossCounterReset()
{
    const auto points = steps({100, 110, 120, 5, 15}); // at 1..5 s; restarted after 120
    // Increase 10 + 10 + 5 + 10 = 35 over 4 s, extrapolated by 1 s to the window's start.
    QCOMPARE(*SeriesQuery::rate(points, 5000, 5000), 35.0 * 5.0 / 4.0 / 5.0);
}

void TestSeriesStore::irate()
{
    QCOMPARE(*SeriesQuery::irate(steps({100, 110, 120, 5, 15}), 5000, 5000), 10.0);
    QCOMPARE(*SeriesQuery::irate(steps({100, 110, 3}), 3000, 5000), 3.0); // reset: 0 -> 3 in 1 s
}

void TestSeriesStore::rateNeedsTwoSamples()
{
    QVERIFY(!SeriesQuery::rate(steps({5}), 1000, 60000));
    QVERIFY(!SeriesQuery::irate(steps({5, 6}), 10000, 5000)); // both outside (5 s, 10 s]
}

void TestSeriesStore::histogramQuantiles_data()
{
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected");
    QTest::newRow("median") << 0.5 << 0.3;
    QTest::newRow("p99") << 0.99 << 0.98;
    QTest::newRow("p100") << 1.0 << 1.0;
    QTest::newRow("p0") << 0.0 << 0.0;
    QTest::newRow("below 0") << -0.5 << -std::numeric_limits<double>::infinity();
    QTest::newRow("above 1") << 1.5 << std::numeric_limits<double>::infinity();
}

void TestSeriesStore::histogramQuantiles()
{
    QFETCH(double, q);
    QFETCH(double, expected);
    const double inf = std::numeric_limits<double>::infinity();
    // Out of order on purpose: quantiles sort buckets themselves.
    const std::vector<SeriesQuery::Bucket> buckets {{inf, 40}, {0.5, 30}, {0.1, 10}, {1, 40}};
    QCOMPARE(SeriesQuery::histogramQuantile(q, buckets), expected);
}

void TestSeriesStore::sumBy()
{
    SeriesStore store;
    store.append("req_total", {{"method", "get"}, {"instance", "a"}}, 1000, 1);
    store.append("req_total", {{"method", "get"}, {"instance", "b"}}, 1000, 2);
    store.append("req_total", {{"method", "put"}, {"instance", "a"}}, 1000, 4);
    store.append("req_total", {{"method", "get"}, {"instance", "a"}}, 2000, 10);
    const auto groups = SeriesQuery::sumBy(store, store.select("req_total"), {"method"}, 0, 5000);
    QCOMPARE(groups.size(), size_t(2));
    QCOMPARE(groups[0].labels, (SeriesLabels {{"method", "get"}}));
    QCOMPARE(groups[0].points.size(), size_t(2));
    QCOMPARE(groups[0].points[0].value, 3.0);
    QCOMPARE(groups[0].points[1].value, 10.0);
    QCOMPARE(groups[1].points[0].value, 4.0);
    // Edge cases of quantiles: no +Inf bucket, nothing counted, rank in the +Inf bucket.
    const double inf = std::numeric_limits<double>::infinity();
    QVERIFY(std::isnan(SeriesQuery::histogramQuantile(0.5, {{0.1, 1}, {0.5, 2}})));
    QVERIFY(std::isnan(SeriesQuery::histogramQuantile(0.5, {{0.1, 0}, {inf, 0}})));
    QCOMPARE(SeriesQuery::histogramQuantile(0.9, {{0.1, 10}, {inf, 20}}), 0.1);
}

QTEST_GUILESS_MAIN(TestSeriesStore)
#include "tst_seriesstore.moc"

#include "scrape/PromText.h"
#include "scrape/ScrapeIngest.h"
#include "tsdb/SeriesStore.h"

#include <QRandomGenerator>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>

/// The store's encoding: shared scrape timestamps, runs, absences and XOR'd values come
/// back bit for bit, across chunk boundaries.
class TestSeriesEncoding : public QObject {
    Q_OBJECT

private slots:
    void specialValuesRoundTrip();
    void randomStreamRoundTrips();
    void extremeTimestamps();
    void scrapeGroupMarksAbsenceAcrossChunks();
    void reorderedPayloadsKeepTheirSeries();
    void samplesWithTheirOwnTimestamps();
    void idleSeriesCostAlmostNothing();
    void constantWithAGapIsNotConstant();

private:
    struct Point {
        int64_t t;
        double v;
    };
    static bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
    static void verifyRoundTrip(const QList<Point> &points)
    {
        SeriesStore store(std::numeric_limits<int64_t>::max() / 2);
        for (const Point &p : points)
            store.append("m", {}, p.t, p.v);
        const auto got = store.range(
            store.select("m").front(), std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
        QCOMPARE(got.size(), size_t(points.size()));
        QCOMPARE(store.sampleCount(), size_t(points.size()));
        for (qsizetype i = 0; i < points.size(); ++i) {
            QCOMPARE(got[size_t(i)].timestampMs, points[i].t);
            QVERIFY2(same(got[size_t(i)].value, points[i].v), qPrintable(QString::number(points[i].v)));
        }
    }
    static std::string payload(const std::vector<std::pair<std::string, double>> &lines)
    {
        std::string text;
        for (const auto &[series, value] : lines) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " %.17g\n", value);
            text += series + buf;
        }
        return text;
    }
};

void TestSeriesEncoding::specialValuesRoundTrip()
{
    uint64_t payloadNanBits = 0x7ff8000000000123ULL;
    double payloadNan;
    std::memcpy(&payloadNan, &payloadNanBits, sizeof payloadNan);
    const double inf = std::numeric_limits<double>::infinity();
    verifyRoundTrip({{1000, 0.0}, {2000, -0.0}, {3000, std::nan("")}, {4000, payloadNan}, {5000, inf}, {6000, -inf},
        {7000, std::numeric_limits<double>::denorm_min()}, {8000, std::numeric_limits<double>::max()}, {9000, 1.0},
        {10000, 1.0}, {11000, -1.0}, {12000, 0.0}, {13000, 0.0}});
}

void TestSeriesEncoding::randomStreamRoundTrips()
{
    QRandomGenerator rng(42);
    QList<Point> points;
    int64_t t = 1700000000000;
    double v = 100;
    for (int i = 0; i < 20000; ++i) {
        t += 1000 + int64_t(rng.bounded(41)) - 20; // a 1 s scrape with jitter
        switch (rng.bounded(5)) {
        case 0:
        case 1:
            break; // unchanged, often for a while
        case 2:
            v += rng.bounded(10); // a counter
            break;
        case 3:
            v = rng.generateDouble() * 1e6; // noise
            break;
        default: {
            uint64_t bits = rng.generate64(); // any bit pattern at all
            std::memcpy(&v, &bits, sizeof v);
        }
        }
        points.append({t, v});
    }
    verifyRoundTrip(points);
}

void TestSeriesEncoding::extremeTimestamps()
{
    verifyRoundTrip({{std::numeric_limits<int64_t>::min() / 2, 0}, {0, 1}, {std::numeric_limits<int64_t>::max() / 4, 2},
        {std::numeric_limits<int64_t>::max() / 4 + 1, 3}, {std::numeric_limits<int64_t>::max() / 2, 5}});
    // A duplicate or earlier timestamp is dropped; the first sample stands.
    SeriesStore store;
    store.append("m", {}, 5000, 1);
    store.append("m", {}, 5000, 2);
    store.append("m", {}, 4000, 3);
    store.append("m", {}, 6000, 4);
    const auto got = store.range(store.select("m").front(), 0, 10000);
    QCOMPARE(got.size(), size_t(2));
    QCOMPARE(got[0].value, 1.0);
    QCOMPARE(got[1].value, 4.0);
}

void TestSeriesEncoding::scrapeGroupMarksAbsenceAcrossChunks()
{
    // "b" is present only in some scrapes, changing at random; "a" in every one.
    SeriesStore store(std::numeric_limits<int64_t>::max() / 2);
    QRandomGenerator rng(9);
    std::vector<Point> a, b;
    const int scrapes = 3 * SeriesStore::kSamplesPerChunk + 77;
    PromText::ParseResult parsed;
    double bValue = 5;
    for (int i = 0; i < scrapes; ++i) {
        const int64_t t = 1'700'000'000'000 + i * 1000 + int64_t(rng.bounded(7));
        const bool bHere = (i >= 100 && i < 300) || (i >= 700 && i < 1100) || i == scrapes - 1;
        if (rng.bounded(3) == 0)
            bValue = rng.generateDouble() * 100;
        std::vector<std::pair<std::string, double>> lines {{"a_total{x=\"1\"}", double(i / 10)}};
        if (bHere)
            lines.push_back({"b{y=\"2\"}", bValue});
        const std::string text = payload(lines);
        PromText::parse(text, parsed);
        QCOMPARE(ScrapeIngest::append(store, "t:1", t, parsed), int(lines.size()));
        a.push_back({t, double(i / 10)});
        if (bHere)
            b.push_back({t, bValue});
    }
    for (const auto &[name, expected] : {std::pair {"a_total", &a}, std::pair {"b", &b}}) {
        const auto ids = store.select(name, {{"instance", "t:1"}});
        QCOMPARE(ids.size(), size_t(1));
        const auto got = store.range(ids.front(), 0, std::numeric_limits<int64_t>::max());
        QCOMPARE(got.size(), expected->size());
        for (size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].timestampMs, (*expected)[i].t);
            QVERIFY(same(got[i].value, (*expected)[i].v));
        }
        // A window inside the data gives exactly what falls in it.
        const int64_t from = (*expected)[expected->size() / 3].t;
        const int64_t to = (*expected)[expected->size() / 2].t;
        const auto part = store.range(ids.front(), from, to);
        QCOMPARE(part.size(), expected->size() / 2 - expected->size() / 3 + 1);
        QCOMPARE(part.front().timestampMs, from);
        QCOMPARE(part.back().timestampMs, to);
    }
    QCOMPARE(store.sampleCount(), a.size() + b.size());
}

void TestSeriesEncoding::reorderedPayloadsKeepTheirSeries()
{
    SeriesStore store;
    PromText::ParseResult parsed;
    std::string text = payload({{"m{k=\"1\",j=\"x\"}", 1}, {"m{k=\"2\"}", 2}, {"n", 3}});
    PromText::parse(text, parsed);
    ScrapeIngest::append(store, "t", 1000, parsed);
    // Another order, and labels written in another order: the same three series.
    text = payload({{"n", 30}, {"m{j=\"x\",k=\"1\"}", 10}, {"m{k=\"2\"}", 20}});
    PromText::parse(text, parsed);
    ScrapeIngest::append(store, "t", 2000, parsed);
    QCOMPARE(store.seriesCount(), size_t(3));
    auto values = [&](const std::string &name, const SeriesLabels &m) {
        std::vector<double> out;
        for (const SeriesPoint &p : store.range(store.select(name, m).front(), 0, 10000))
            out.push_back(p.value);
        return out;
    };
    QCOMPARE(values("m", {{"k", "1"}}), (std::vector<double> {1, 10}));
    QCOMPARE(values("m", {{"k", "2"}}), (std::vector<double> {2, 20}));
    QCOMPARE(values("n", {}), (std::vector<double> {3, 30}));
    QCOMPARE(store.describe(store.select("m", {{"k", "1"}}).front()), std::string("m{instance=\"t\",j=\"x\",k=\"1\"}"));
}

void TestSeriesEncoding::samplesWithTheirOwnTimestamps()
{
    SeriesStore store;
    PromText::ParseResult parsed;
    const std::string text = "m 1\nold 7 500\n";
    PromText::parse(text, parsed);
    QCOMPARE(ScrapeIngest::append(store, "t", 1000, parsed), 2);
    const auto old = store.range(store.select("old").front(), 0, 10000);
    QCOMPARE(old.size(), size_t(1));
    QCOMPARE(old.front().timestampMs, int64_t(500));
    QCOMPARE(store.range(store.select("m").front(), 0, 10000).front().timestampMs, int64_t(1000));

    // A timestamp ahead of the console's clock never holds up the target's next scrapes.
    const std::string ahead = "m 2\nfuture 8 999000\n";
    PromText::parse(ahead, parsed);
    ScrapeIngest::append(store, "t", 2000, parsed);
    const std::string next = "m 3\n";
    PromText::parse(next, parsed);
    QCOMPARE(ScrapeIngest::append(store, "t", 3000, parsed), 1);
    QCOMPARE(store.range(store.select("m").front(), 0, 10000).size(), size_t(3));
    QCOMPARE(store.range(store.select("future").front(), 0, 10'000'000).front().timestampMs, int64_t(999000));
}

void TestSeriesEncoding::idleSeriesCostAlmostNothing()
{
    // 200 series that never change, 2,000 scrapes: runs, not one bit per sample.
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += "idle{n=\"" + std::to_string(i) + "\"} " + std::to_string(i * 1.5) + "\n";
    PromText::ParseResult parsed;
    PromText::parse(text, parsed);
    SeriesStore store;
    for (int i = 0; i < 2000; ++i)
        ScrapeIngest::append(store, "t", 1'700'000'000'000 + i * 1000, parsed);
    QCOMPARE(store.sampleCount(), size_t(400'000));
    const double encoded = double(store.encodedBytes()) / double(store.sampleCount());
    qInfo("idle series: %.4f encoded bytes/sample, %.4f with overhead", encoded,
        double(store.memoryBytes()) / double(store.sampleCount()));
    QVERIFY(encoded < 0.02);
    const int id = store.select("idle", {{"n", "7"}}).front();
    const auto constant = store.constantOver(id, 0, std::numeric_limits<int64_t>::max());
    QVERIFY(constant.has_value());
    QCOMPARE(constant->value, 7 * 1.5);
    QCOMPARE(constant->firstMs, int64_t(1'700'000'000'000));
    QCOMPARE(constant->lastMs, int64_t(1'700'000'000'000 + 1999 * 1000));
    // Within a window: the span of its samples there.
    const auto part = store.constantOver(id, 1'700'000'100'500, 1'700'000'200'000);
    QVERIFY(part.has_value());
    QCOMPARE(part->firstMs, int64_t(1'700'000'101'000));
    QCOMPARE(part->lastMs, int64_t(1'700'000'200'000));
    QCOMPARE(store.range(id, 0, std::numeric_limits<int64_t>::max()).size(), size_t(2000));
}

void TestSeriesEncoding::constantWithAGapIsNotConstant()
{
    SeriesStore store;
    PromText::ParseResult parsed;
    for (int i = 0; i < 30; ++i) {
        const std::string text = (i >= 10 && i < 20) ? "other 1\n" : "idle 5\nother 1\n";
        PromText::parse(text, parsed);
        ScrapeIngest::append(store, "t", 1000 + i * 1000, parsed);
    }
    const int id = store.select("idle").front();
    QVERIFY(!store.constantOver(id, 0, 100'000).has_value()); // absent in the middle
    QVERIFY(store.constantOver(id, 0, 10'000).has_value()); // before the gap
    QCOMPARE(store.constantOver(id, 0, 15'000)->lastMs, int64_t(10'000)); // up to it
}

QTEST_GUILESS_MAIN(TestSeriesEncoding)
#include "tst_seriesencoding.moc"

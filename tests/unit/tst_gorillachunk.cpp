#include "metrics/GorillaChunk.h"
#include "metrics/PromText.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>
#include <cmath>
#include <cstring>

/// Gorilla compression of one series: every stored double comes back bit-exact.
class TestGorillaChunk : public QObject {
    Q_OBJECT

private slots:
    void emptyChunk();
    void specialValuesRoundTrip();
    void randomStreamRoundTrips();
    void extremeTimestamps();
    void realCountersCompressWell();

private:
    struct Point {
        int64_t t;
        double v;
    };
    static void verifyRoundTrip(const QList<Point> &points)
    {
        GorillaChunk chunk;
        for (const Point &p : points)
            chunk.append(p.t, p.v);
        QCOMPARE(chunk.count(), int(points.size()));
        GorillaChunk::Reader reader(chunk);
        int64_t t = 0;
        double v = 0;
        for (const Point &p : points) {
            QVERIFY(reader.next(t, v));
            QCOMPARE(t, p.t);
            QVERIFY2(std::memcmp(&v, &p.v, sizeof v) == 0, qPrintable(QString::number(p.v)));
        }
        QVERIFY(!reader.next(t, v));
    }
};

void TestGorillaChunk::emptyChunk()
{
    GorillaChunk chunk;
    GorillaChunk::Reader reader(chunk);
    int64_t t;
    double v;
    QVERIFY(!reader.next(t, v));
    QCOMPARE(chunk.sizeBytes(), size_t(0));
}

void TestGorillaChunk::specialValuesRoundTrip()
{
    uint64_t payloadNanBits = 0x7ff8000000000123ULL;
    double payloadNan;
    std::memcpy(&payloadNan, &payloadNanBits, sizeof payloadNan);
    const double inf = std::numeric_limits<double>::infinity();
    verifyRoundTrip({{1000, 0.0}, {2000, -0.0}, {3000, std::nan("")}, {4000, payloadNan}, {5000, inf}, {6000, -inf},
        {7000, std::numeric_limits<double>::denorm_min()}, {8000, std::numeric_limits<double>::max()}, {9000, 1.0},
        {10000, 1.0}, {11000, -1.0}});
}

void TestGorillaChunk::randomStreamRoundTrips()
{
    QRandomGenerator rng(42);
    QList<Point> points;
    int64_t t = 1700000000000;
    double v = 100;
    for (int i = 0; i < 20000; ++i) {
        t += 1000 + int64_t(rng.bounded(41)) - 20; // a 1 s scrape with jitter
        switch (rng.bounded(4)) {
        case 0:
            break; // unchanged
        case 1:
            v += rng.bounded(10); // a counter
            break;
        case 2:
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

void TestGorillaChunk::extremeTimestamps()
{
    verifyRoundTrip(
        {{0, 1}, {std::numeric_limits<int64_t>::max() / 4, 2}, {std::numeric_limits<int64_t>::max() / 4 + 1, 3},
            {std::numeric_limits<int64_t>::max() / 4 + 1, 4}, {std::numeric_limits<int64_t>::max() / 2, 5}});
}

void TestGorillaChunk::realCountersCompressWell()
{
    // Every counter of a real etcd payload, as a series growing by a few events per second.
    QFile f(QFINDTESTDATA("../data/etcd-3.4.23-metrics.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray payload = f.readAll();
    PromText::ParseResult parsed;
    PromText::parse(std::string_view(payload.constData(), size_t(payload.size())), parsed);
    QRandomGenerator rng(7);
    size_t bytes = 0;
    int samples = 0;
    for (const PromText::Sample &s : parsed.samples) {
        if (parsed.families[s.family].type != PromText::MetricType::Counter)
            continue;
        QList<Point> points;
        double v = s.value;
        for (int i = 0; i < 600; ++i) {
            v += rng.bounded(3) == 0 ? rng.bounded(5) : 0;
            points.append({1700000000000 + i * 1000, v});
        }
        verifyRoundTrip(points);
        GorillaChunk chunk;
        for (const Point &p : points)
            chunk.append(p.t, p.v);
        bytes += chunk.sizeBytes();
        samples += chunk.count();
    }
    QVERIFY(samples > 10000);
    // Gorilla reports 1.37 bytes per sample on Facebook's data; slowly moving counters
    // with a steady scrape interval must not do worse.
    const double perSample = double(bytes) / samples;
    qInfo("%d samples of real counters: %.3f bytes/sample", samples, perSample);
    QVERIFY(perSample < 1.37);
}

QTEST_GUILESS_MAIN(TestGorillaChunk)
#include "tst_gorillachunk.moc"

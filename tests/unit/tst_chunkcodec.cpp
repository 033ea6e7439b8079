#include "tsdb/ChunkCodec.h"

#include <QRandomGenerator>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>

/// Writes into a growable vector of words.
struct VectorWriter {
    std::vector<uint64_t> &words;
    uint64_t &bits;

    void put(uint64_t value, int n)
    {
        const size_t needed = size_t((bits + uint64_t(n)) / 64 + 2);
        if (words.size() < needed)
            words.resize(needed, 0);
        bits = BitStream::write(words.data(), bits, value, n);
    }
};

/// The chunk codec alone, without the store: what goes in comes back bit for bit, and each
/// code costs the bits its layout says.
class TestChunkCodec : public QObject {
    Q_OBJECT

    /// An entry as the reader returns it, runs expanded: absent, or a value's bits.
    struct Entry {
        bool present = false;
        uint64_t bits = 0;
        bool operator==(const Entry &) const = default;
    };

    static uint64_t bitsOf(double v)
    {
        uint64_t u;
        std::memcpy(&u, &v, sizeof u);
        return u;
    }

    /// Encodes entries (present or absent) the way the store does, runs flushed at the end.
    static uint64_t encode(const std::vector<Entry> &entries, std::vector<uint64_t> &words)
    {
        uint64_t bits = 0;
        VectorWriter out {words, bits};
        ChunkCodec::ValueState state;
        for (const Entry &e : entries) {
            if (e.present)
                ChunkCodec::writeValue(state, out, e.bits);
            else
                ChunkCodec::writeAbsent(state, out, 1);
        }
        ChunkCodec::flushRun(state, out);
        return bits;
    }

    static std::vector<Entry> decode(const std::vector<uint64_t> &words, uint64_t bits)
    {
        std::vector<Entry> out;
        ChunkCodec::ValueReader reader(words.data(), bits);
        while (!reader.atEnd()) {
            const uint32_t n = reader.next();
            for (uint32_t i = 0; i < n; ++i)
                out.push_back({reader.present(), reader.present() ? reader.value() : 0});
        }
        return out;
    }

    static void verifyValues(const std::vector<Entry> &entries)
    {
        std::vector<uint64_t> words;
        const uint64_t bits = encode(entries, words);
        const std::vector<Entry> back = decode(words, bits);
        QCOMPARE(back.size(), entries.size());
        for (size_t i = 0; i < entries.size(); ++i) {
            QVERIFY2(back[i] == entries[i], qPrintable(QStringLiteral("entry %1 differs").arg(i)));
        }
    }

    static void verifyTimes(const std::vector<int64_t> &times)
    {
        ChunkCodec::TimeColumn column;
        for (int64_t t : times)
            column.append(t);
        QCOMPARE(column.count, uint32_t(times.size()));
        QCOMPARE(column.firstTs, times.front());
        QCOMPARE(column.lastTs, times.back());
        column.shrink();
        QCOMPARE(column.words.size(), size_t((column.bits + 63) / 64));
        std::vector<int64_t> back;
        ChunkCodec::decodeTimes(column.words.data(), column.bits, column.count, back);
        QCOMPARE(back, times);
    }

private slots:
    void regularIntervalsCostOneBitEach()
    {
        std::vector<int64_t> times;
        for (int i = 0; i < 512; ++i)
            times.push_back(1'700'000'000'000 + i * 1000);
        verifyTimes(times);
        ChunkCodec::TimeColumn column;
        for (int64_t t : times)
            column.append(t);
        // 64 bits for the first, the first interval (1000 ms) in the 12-bit bucket (4 + 12), then one
        // bit per unchanged interval.
        QCOMPARE(column.bits, uint64_t(64 + 4 + 12 + 510));
    }

    void jitterUsesTheSmallBuckets()
    {
        ChunkCodec::TimeColumn column;
        column.append(0);
        column.append(1000);
        const uint64_t before = column.bits;
        column.append(2003); // the interval grows by 3 ms: prefix 10, 7 bits
        QCOMPARE(column.bits - before, uint64_t(2 + 7));
        column.append(3003 + 200); // by 197 ms: prefix 110, 9 bits
        QCOMPARE(column.bits - before, uint64_t(2 + 7 + 3 + 9));
        verifyTimes({0, 1000, 2003, 3203});
    }

    void extremeTimestampsWrapAndComeBack()
    {
        constexpr int64_t lo = std::numeric_limits<int64_t>::min();
        constexpr int64_t hi = std::numeric_limits<int64_t>::max();
        verifyTimes({lo, hi, lo + 1, 0, hi - 1, hi});
        verifyTimes({-5, -4, -2, 1, 5});
        verifyTimes({42});
    }

    void randomTimesRoundTrip()
    {
        QRandomGenerator rng(20261205);
        for (int round = 0; round < 50; ++round) {
            std::vector<int64_t> times;
            int64_t t = int64_t(rng.generate64());
            const int n = 1 + int(rng.bounded(600));
            for (int i = 0; i < n; ++i) {
                times.push_back(t);
                // Mostly steady, sometimes any 64-bit step: every bucket gets used.
                const uint32_t kind = rng.bounded(4);
                t = int64_t(uint64_t(t)
                    + (kind == 0        ? rng.generate64()
                            : kind == 1 ? uint64_t(rng.bounded(5000))
                                        : uint64_t(1000)));
            }
            verifyTimes(times);
        }
    }

    void repeatsAreRuns()
    {
        // A value once and 511 repeats: 3+6+6+meaningful bits for the first value, then one
        // run code: 0 + gamma(511) = 1 + 8 zeros + 9 bits.
        std::vector<Entry> entries(512, Entry {true, bitsOf(7.0)});
        std::vector<uint64_t> words;
        const uint64_t bits = encode(entries, words);
        const uint64_t x = bitsOf(7.0);
        const int meaningful = 64 - std::countl_zero(x) - std::countr_zero(x);
        QCOMPARE(bits, uint64_t(3 + 6 + 6 + meaningful + 1 + 8 + 9));
        verifyValues(entries);
    }

    void absencesAreGapsNotZeros()
    {
        std::vector<Entry> entries;
        entries.push_back({true, bitsOf(0.0)}); // a real zero
        for (int i = 0; i < 5; ++i)
            entries.push_back({false, 0});
        entries.push_back({true, bitsOf(0.0)}); // zero again after the gap: 1110
        entries.push_back({true, bitsOf(1.5)});
        entries.push_back({false, 0});
        entries.push_back({true, bitsOf(1.5)});
        verifyValues(entries);
        std::vector<uint64_t> words;
        const std::vector<Entry> back = decode(words, encode(entries, words));
        QVERIFY(back[0].present);
        QVERIFY(!back[1].present);
        QVERIFY(!back[5].present);
        QVERIFY(back[6].present);
        QCOMPARE(back[6].bits, bitsOf(0.0));
    }

    void aChunkMayStartAbsent()
    {
        std::vector<Entry> entries(10, Entry {false, 0});
        entries.push_back({true, bitsOf(-3.25)});
        verifyValues(entries);
    }

    void specialValuesKeepTheirBits()
    {
        const double nan1 = std::numeric_limits<double>::quiet_NaN();
        uint64_t otherNan = bitsOf(nan1) | 0x1234; // a NaN with a payload
        std::vector<Entry> entries = {{true, bitsOf(nan1)}, {true, otherNan},
            {true, bitsOf(std::numeric_limits<double>::infinity())},
            {true, bitsOf(-std::numeric_limits<double>::infinity())}, {true, bitsOf(-0.0)}, {true, bitsOf(0.0)},
            {true, bitsOf(std::numeric_limits<double>::denorm_min())},
            {true, bitsOf(std::numeric_limits<double>::max())}, {true, bitsOf(std::numeric_limits<double>::lowest())}};
        verifyValues(entries);
    }

    void randomStreamsRoundTrip()
    {
        QRandomGenerator rng(4242);
        for (int round = 0; round < 200; ++round) {
            std::vector<Entry> entries;
            double v = rng.generateDouble() * 1000;
            const int n = 1 + int(rng.bounded(512));
            for (int i = 0; i < n; ++i) {
                const uint32_t kind = rng.bounded(10);
                if (kind == 0)
                    entries.push_back({false, 0});
                else if (kind < 6)
                    entries.push_back({true, bitsOf(v)}); // a repeat
                else if (kind < 9)
                    entries.push_back({true, bitsOf(v += double(rng.bounded(100)))}); // a counter
                else
                    entries.push_back({true, rng.generate64()}); // any bits at all
            }
            verifyValues(entries);
        }
    }
};

QTEST_GUILESS_MAIN(TestChunkCodec)
#include "tst_chunkcodec.moc"

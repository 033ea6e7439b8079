// The series store on a recorded real stream (bench/record_stream.sh: a local three-member
// cluster under light write load, every member scraped each second for ten minutes):
// bytes per sample with chunks, labels and index counted; append cost per sample; and the
// cost of a 6 h rate over one series (21,600 samples at 1 s).
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUORUMDECK_BENCHMARKS=ON -DQUORUMDECK_TESTS=OFF
//   cmake --build build-bench
//   bench/record_stream.sh build-bench/app/quorumdeck build-bench/stream.txt 10
//   QUORUMDECK_STREAM=build-bench/stream.txt build-bench/bench/bench_seriesstore

#include "RecordedStream.h"
#include "dashboard/PanelQuery.h"
#include "scrape/PromText.h"
#include "scrape/ScrapeIngest.h"
#include "tsdb/SeriesQuery.h"
#include "tsdb/SeriesStore.h"

#include <benchmark/benchmark.h>
#include <chrono>

namespace {

const std::vector<RecordedScrape> &stream()
{
    static const std::vector<RecordedScrape> s = loadRecordedStream();
    return s;
}

/// The whole stream into a fresh store; only appending is timed, not parsing.
void BM_StoreRecordedStream(benchmark::State &state)
{
    const auto &scrapes = stream();
    PromText::ParseResult parsed;
    double appendNs = 0;
    size_t samples = 0;
    size_t memory = 0;
    size_t encoded = 0;
    size_t series = 0;
    for (auto _ : state) {
        SeriesStore store;
        appendNs = 0;
        for (const RecordedScrape &s : scrapes) {
            PromText::parse(s.payload, parsed);
            const auto start = std::chrono::steady_clock::now();
            ScrapeIngest::append(store, s.instance, s.timestampMs, parsed);
            appendNs += double(
                std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
        }
        samples = store.sampleCount();
        memory = store.memoryBytes();
        encoded = store.encodedBytes();
        series = store.seriesCount();
        benchmark::DoNotOptimize(samples);
    }
    state.counters["scrapes"] = double(scrapes.size());
    state.counters["series"] = double(series);
    state.counters["samples"] = double(samples);
    state.counters["bytes_per_sample"] = double(memory) / double(samples);
    state.counters["encoded_bytes_per_sample"] = double(encoded) / double(samples);
    state.counters["append_ns_per_sample"] = appendNs / double(samples);
}
BENCHMARK(BM_StoreRecordedStream)->Unit(benchmark::kMillisecond)->Iterations(1);

constexpr int64_t kSixHoursMs = 6 * 3600 * 1000;

/// One real counter (the first member's client bytes sent), its recorded increments
/// replayed to fill 6 h at 1 s.
SeriesStore &sixHourStore(int &id)
{
    static SeriesStore store;
    static int seriesId = -1;
    if (seriesId < 0) {
        std::vector<double> values;
        PromText::ParseResult parsed;
        const std::string instance = stream().front().instance;
        for (const RecordedScrape &s : stream()) {
            if (s.instance != instance)
                continue;
            PromText::parse(s.payload, parsed);
            for (const PromText::Sample &sample : parsed.samples) {
                if (sample.name == "etcd_network_client_grpc_sent_bytes_total")
                    values.push_back(sample.value);
            }
        }
        const int64_t start = 1'700'000'000'000;
        double offset = 0;
        for (int i = 0; i < kSixHoursMs / 1000; ++i) {
            const size_t k = size_t(i) % values.size();
            if (k == 0 && i > 0)
                offset += values.back() - values.front();
            store.append("etcd_network_client_grpc_sent_bytes_total", {{"instance", instance}}, start + i * 1000LL,
                values[k] + offset);
        }
        seriesId = store.select("etcd_network_client_grpc_sent_bytes_total").front();
    }
    id = seriesId;
    return store;
}

/// rate(x[6h]): decode 21,600 samples and fold them into one value.
void BM_Rate6h(benchmark::State &state)
{
    int id = 0;
    SeriesStore &store = sixHourStore(id);
    const int64_t end = 1'700'000'000'000 + kSixHoursMs;
    for (auto _ : state) {
        const auto points = store.range(id, end - kSixHoursMs, end);
        benchmark::DoNotOptimize(SeriesQuery::rate(points, end, kSixHoursMs));
    }
    state.counters["samples"] = double(store.sampleCount());
}
BENCHMARK(BM_Rate6h)->Unit(benchmark::kMicrosecond);

/// The dashboard's 6 h rate line over one series: 1,600 steps for an 800-pixel chart.
void BM_RateLine6h(benchmark::State &state)
{
    int id = 0;
    SeriesStore &store = sixHourStore(id);
    PanelQuery::Expr expr;
    expr.kind = PanelQuery::Expr::Kind::Rate;
    expr.ids = {id};
    const int64_t end = 1'700'000'000'000 + kSixHoursMs;
    for (auto _ : state)
        benchmark::DoNotOptimize(PanelQuery::evaluate(store, expr, {end - kSixHoursMs, end, 800, 1000}));
}
BENCHMARK(BM_RateLine6h)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();

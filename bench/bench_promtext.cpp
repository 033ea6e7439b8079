// Parse time per sample of a real etcd /metrics payload (3.4.23, ~1,250 samples), labels and
// values decoded: every sample's value is parsed to a double and every label's name and
// value are delimited (and unescaped where they hold escapes).
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUORUMDECK_BENCHMARKS=ON
//   cmake --build build-bench --target bench_promtext && build-bench/bench/bench_promtext

#include "scrape/PromText.h"

#include <benchmark/benchmark.h>
#include <fstream>
#include <sstream>

namespace {

std::string payload()
{
    std::ifstream in(QUORUMDECK_ETCD_PAYLOAD, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void BM_ParseEtcdPayload(benchmark::State &state)
{
    const std::string text = payload();
    PromText::ParseResult result;
    size_t samples = 0;
    for (auto _ : state) {
        PromText::parse(text, result);
        size_t touched = 0;
        for (const PromText::Label &l : result.labels)
            touched += l.escaped ? l.value().size() : l.raw.size();
        benchmark::DoNotOptimize(touched);
        samples = result.samples.size();
    }
    state.counters["samples"] = double(samples);
    state.counters["ns_per_sample"] = benchmark::Counter(
        double(samples), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK(BM_ParseEtcdPayload);

} // namespace

BENCHMARK_MAIN();

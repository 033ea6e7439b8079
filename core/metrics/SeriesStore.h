#pragma once

#include "metrics/GorillaChunk.h"
#include "metrics/PromText.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

/// One stored sample.
struct SeriesPoint {
    int64_t timestampMs = 0;
    double value = 0;
};

/// A label pair of a stored series (owned strings: the scraped payload is long gone).
using SeriesLabels = std::vector<std::pair<std::string, std::string>>;

/// Every scraped series of every target, compressed in Gorilla chunks of up to 120 samples,
/// kept for a retention window. Each series is identified by its metric name and labels,
/// with the target's "instance" label added. A failed scrape appends nothing, so it shows
/// as a gap, never as a zero.
///
/// Not thread-safe: the owner (the scraper's thread) serialises access.
class SeriesStore {
public:
    static constexpr int kSamplesPerChunk = 120;
    static constexpr int64_t kDefaultRetentionMs = 6 * 3600 * 1000;

    explicit SeriesStore(int64_t retentionMs = kDefaultRetentionMs);

    int64_t retentionMs() const { return m_retentionMs; }
    void setRetentionMs(int64_t ms) { m_retentionMs = ms; }

    /// Appends one parsed scrape of one target, every sample at timestampMs (or at its own
    /// timestamp when the payload gives one). Returns the number of samples stored.
    int appendScrape(const std::string &instance, int64_t timestampMs, const PromText::ParseResult &scrape);
    /// Appends one sample to one series (creating it).
    void append(const std::string &name, const SeriesLabels &labels, int64_t timestampMs, double value);

    /// Drops whole chunks that end before nowMs - retention, and series left empty.
    void expire(int64_t nowMs);

    size_t seriesCount() const { return m_byKey.size(); }
    size_t sampleCount() const;
    /// Bytes of encoded samples.
    size_t encodedBytes() const;
    /// Heap bytes held: chunks (capacity included), labels and the index.
    size_t memoryBytes() const;

    /// Ids of the series named `name` whose labels include every pair of `matchers`.
    std::vector<int> select(const std::string &name, const SeriesLabels &matchers = {}) const;
    const std::string &name(int id) const { return m_series.at(size_t(id))->name; }
    const SeriesLabels &labels(int id) const { return m_series.at(size_t(id))->labels; }
    std::string label(int id, const std::string &key) const;
    /// Every metric name stored, sorted.
    std::vector<std::string> names() const;

    /// Samples of one series with fromMs <= t <= toMs, in time order, bit-exact.
    std::vector<SeriesPoint> range(int id, int64_t fromMs, int64_t toMs) const;
    /// The value of a series that holds one value throughout [fromMs, toMs] (no sample,
    /// or different values, give nothing). Costs no decoding: idle counters are the bulk
    /// of etcd's series, and queries summing rates skip them this way.
    std::optional<double> constantValue(int id, int64_t fromMs, int64_t toMs) const;
    /// The oldest sample kept, or 0 with none.
    int64_t firstTimestamp() const;
    /// Every live series id, in creation order.
    std::vector<int> ids() const;
    /// name{label="value",...}, as Prometheus prints a series.
    std::string describe(int id) const;

private:
    struct Series {
        std::string name;
        SeriesLabels labels;
        std::vector<std::unique_ptr<GorillaChunk>> chunks;
    };

    int seriesFor(const std::string &key, const std::string &name, SeriesLabels &&labels);

    int64_t m_retentionMs;
    std::vector<std::unique_ptr<Series>> m_series; // id = index; expired ones left null
    std::unordered_map<std::string, int> m_byKey; // "name{a="1",...}" -> id
    std::multimap<std::string, int> m_byName;
};

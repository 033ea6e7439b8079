#pragma once

#include "tsdb/IdPool.h"
#include "tsdb/StringPool.h"

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

/// A series' labels, sorted by name.
using SeriesLabels = std::vector<std::pair<std::string, std::string>>;

/// Every scraped series of every target, compressed, kept for a retention window. A scrape
/// is appended through a ScrapeAppender; the bits are ChunkCodec's.
///
/// Samples of one scrape share one timestamp, so timestamps are stored once per scrape
/// for all the series of its target (a scrape group), as delta-of-delta. Each series
/// keeps one entry per scrape of its group: a value, "same as before" (runs of them cost
/// a few bits in all: most of etcd's series sit still), or "absent" (a failed scrape or a
/// series that came and went: a gap, never a zero). Values that change are XOR'd with the
/// one before, keeping only the meaningful bits (Facebook's Gorilla). Storage comes in
/// chunks of kSamplesPerChunk scrapes; a closed chunk holds all its series' bits in one
/// buffer, and retention drops whole chunks. Strings are interned once for the store.
///
/// A series is identified by its metric name and labels, the target's "instance" label
/// added. Samples that carry their own timestamps, and series appended one by one,
/// join their instance's group when their time fits it (the same moment as its last
/// scrape, or later); otherwise they get a group of their own.
///
/// Not thread-safe: the owner serialises access (see SharedSeriesStore).
class SeriesStore {
public:
    static constexpr int kSamplesPerChunk = 512; ///< scrapes per chunk
    static constexpr int64_t kDefaultRetentionMs = 6 * 3600 * 1000;

    explicit SeriesStore(int64_t retentionMs = kDefaultRetentionMs);
    ~SeriesStore();
    SeriesStore(const SeriesStore &) = delete;
    SeriesStore &operator=(const SeriesStore &) = delete;

    int64_t retentionMs() const { return m_retentionMs; }
    void setRetentionMs(int64_t ms) { m_retentionMs = ms; }

    /// Appends one sample to one series (creating it). Out-of-order and duplicate samples
    /// are dropped: the first one stands, as in Prometheus.
    void append(const std::string &name, const SeriesLabels &labels, int64_t timestampMs, double value);

    /// Drops whole chunks that end before nowMs - retention, and series left empty.
    void expire(int64_t nowMs);

    size_t seriesCount() const { return m_liveSeries; }
    /// Changes whenever a series is created or removed: readers that list series redo it
    /// only then.
    uint64_t seriesGeneration() const { return m_generation; }
    size_t sampleCount() const;
    /// Bytes of encoded timestamps and values.
    size_t encodedBytes() const;
    /// Heap bytes held: encoded data (capacity included), series records, strings, labels
    /// and the index.
    size_t memoryBytes() const;

    /// Ids of the series named `name` whose labels include every pair of `matchers`.
    std::vector<int> select(const std::string &name, const SeriesLabels &matchers = {}) const;
    std::string name(int id) const;
    SeriesLabels labels(int id) const;
    std::string label(int id, const std::string &key) const;
    /// Every metric name stored, sorted.
    std::vector<std::string> names() const;
    /// Every live series id, in creation order.
    std::vector<int> ids() const;
    /// name{label="value",...}, as Prometheus prints a series.
    std::string describe(int id) const;
    /// The oldest sample kept, or 0 with none.
    int64_t firstTimestamp() const;

    /// Samples of one series with fromMs <= t <= toMs, in time order, bit-exact.
    std::vector<SeriesPoint> range(int id, int64_t fromMs, int64_t toMs) const;
    /// The sample a PromQL instant selector sees at atMs: the latest one in
    /// [atMs - lookbackMs, atMs], unless an absence (a failed scrape, the series gone from a
    /// scrape) follows it there, which marks the series stale as Prometheus' staleness
    /// markers do.
    std::optional<SeriesPoint> latest(int id, int64_t atMs, int64_t lookbackMs) const;
    /// A series that holds one value, bit for bit, wherever it has samples in a window,
    /// and no gap between its first and last sample there.
    struct Constant {
        double value = 0;
        int64_t firstMs = 0; ///< its first sample in the window
        int64_t lastMs = 0; ///< its last sample in the window
    };
    /// Idle counters are the bulk of etcd's series; queries summing them skip decoding them
    /// this way, at the cost of a few codes per chunk. Nothing for a series without samples
    /// in the window, or whose value changes or pauses there.
    std::optional<Constant> constantOver(int id, int64_t fromMs, int64_t toMs) const;

    struct Series; // public for a size check only

private:
    friend class ScrapeAppender; // appends a whole scrape (see tsdb/ScrapeAppender.h)

    struct Group;
    struct Chunk;

    int findSeries(uint32_t nameId, const uint32_t *labels, int labelCount) const;
    int createSeries(uint32_t nameId, std::vector<uint32_t> &&labels, int group);
    /// Interns a sample's name and labels (sorted, instance added) into m_scratch.
    uint32_t identify(std::string_view name, const SeriesLabels &labels);
    int seriesFor(std::string_view name, const SeriesLabels &labels, int64_t timestampMs);
    int groupFor(const std::string &instance);
    /// The scrape index of timestampMs in group g, advancing the group; -1 when too old.
    int64_t indexFor(Group &g, int64_t timestampMs, bool newScrape);
    void appendAt(Series &s, uint32_t index, uint64_t valueBits);
    void closeChunk(Group &g);
    void growIndex();
    const Series *seriesAt(int id) const;

    /// Calls f(first time, last time, value bits, count, present) for the entries in
    /// [fromMs, toMs]: once per present entry, or, with perRun, once per run (absent runs
    /// included).
    template <typename F> void forEachEntry(const Series &s, int64_t fromMs, int64_t toMs, bool perRun, F &&f) const;

    int64_t m_retentionMs;
    StringPool m_strings;
    std::vector<uint32_t> m_scratch; ///< label ids of the sample being identified
    IdPool m_labelPool; ///< per series: a count, then (name, value) label id pairs
    std::vector<Series> m_series; ///< id = index; expired ones stay, marked dead
    std::vector<std::unique_ptr<Group>> m_groups;
    std::unordered_map<std::string, int> m_groupByInstance;
    std::vector<int32_t> m_index; ///< open addressing over series identities: id + 1, 0 empty
    size_t m_liveSeries = 0;
    uint64_t m_generation = 0;
    uint32_t m_instanceKey;
};

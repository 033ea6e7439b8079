#pragma once

#include "tsdb/SeriesStore.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Appends one scrape of one target to a SeriesStore, sample by sample, at one moment.
///
/// Payloads repeat their layout scrape after scrape, so a sample whose place in the payload
/// and spelling (its name and labels exactly as written) match the last scrape's finds its
/// series by a hash, without its labels being read or anything interned. Only on a miss does
/// the appender ask for the sample's labels, through the callback given to add().
///
/// The store knows nothing of the text format: the scraper (scrape/ScrapeIngest) walks its
/// parse and feeds this. Samples that carry their own timestamp go to addTimed(), after the
/// scrape's own samples.
class ScrapeAppender {
public:
    ScrapeAppender(SeriesStore &store, const std::string &instance, int64_t timestampMs);
    /// Keeps this scrape's layout for the next one.
    ~ScrapeAppender();
    ScrapeAppender(const ScrapeAppender &) = delete;
    ScrapeAppender &operator=(const ScrapeAppender &) = delete;

    /// One sample of the scrape. labels(SeriesLabels &) appends the sample's labels as
    /// written (the "instance" label is added when missing) and is called only when the
    /// series must be looked up. A sample of a scrape that came out of order is dropped, as
    /// is a second sample of the same series in one scrape: the first stands.
    template <typename LabelsFn>
    void add(std::string_view name, std::string_view spelling, double value, LabelsFn &&labels)
    {
        if (m_index < 0)
            return;
        const uint64_t hash = hashSpelling(spelling);
        int id = cached(hash);
        if (id < 0) {
            m_labels.clear();
            labels(m_labels);
            id = lookup(name);
        }
        store(id, hash, value);
    }

    /// A sample with a timestamp of its own, which joins the target's scrapes only when its
    /// time is theirs (see SeriesStore::append).
    void addTimed(std::string_view name, SeriesLabels labels, int64_t timestampMs, double value);

    /// Samples stored so far.
    int stored() const { return m_stored; }

private:
    static uint64_t hashSpelling(std::string_view spelling);
    int cached(uint64_t hash) const;
    int lookup(std::string_view name);
    void store(int id, uint64_t hash, double value);

    SeriesStore &m_store;
    std::string m_instance;
    int64_t m_timestampMs;
    int m_group;
    int64_t m_index; ///< the scrape's index in its group, -1 when out of order
    size_t m_position = 0; ///< samples added, timed ones aside
    int m_stored = 0;
    SeriesLabels m_labels;
    std::vector<uint64_t> m_layoutHash;
    std::vector<int32_t> m_layoutId;
};

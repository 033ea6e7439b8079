#include "alerts/FactSheet.h"

#include <algorithm>

void FactSheet::record(const std::string &source, std::vector<Fact> facts)
{
    // The store and PromQL's matching both expect labels in name order.
    for (Fact &f : facts)
        std::sort(f.labels.begin(), f.labels.end());
    m_sources[source] = std::move(facts);
}

void FactSheet::forget(const std::string &source)
{
    m_sources.erase(source);
}

size_t FactSheet::size() const
{
    size_t n = 0;
    for (const auto &[source, facts] : m_sources)
        n += facts.size();
    return n;
}

void FactSheet::writeTo(SeriesStore &store, int64_t atMs) const
{
    for (const auto &[source, facts] : m_sources) {
        for (const Fact &f : facts)
            store.append(f.metric, f.labels, atMs, f.value);
    }
}

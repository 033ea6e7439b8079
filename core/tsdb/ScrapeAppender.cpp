#include "tsdb/ScrapeAppender.h"

#include "tsdb/SeriesStoreParts.h"

#include <algorithm>

using namespace SeriesStoreParts;

ScrapeAppender::ScrapeAppender(SeriesStore &store, const std::string &instance, int64_t timestampMs)
    : m_store(store)
    , m_instance(instance)
    , m_timestampMs(timestampMs)
    , m_group(store.groupFor(instance))
    , m_index(store.indexFor(*store.m_groups[size_t(m_group)], timestampMs, true))
{
    const SeriesStore::Group &g = *store.m_groups[size_t(m_group)];
    m_layoutHash.reserve(g.layoutHash.size());
    m_layoutId.reserve(g.layoutId.size());
}

ScrapeAppender::~ScrapeAppender()
{
    if (m_index < 0)
        return;
    SeriesStore::Group &g = *m_store.m_groups[size_t(m_group)];
    g.layoutHash.swap(m_layoutHash);
    g.layoutId.swap(m_layoutId);
}

uint64_t ScrapeAppender::hashSpelling(std::string_view spelling)
{
    return hashBytes(spelling.data(), spelling.size());
}

int ScrapeAppender::cached(uint64_t hash) const
{
    const SeriesStore::Group &g = *m_store.m_groups[size_t(m_group)];
    const size_t i = m_position;
    if (i < g.layoutHash.size() && g.layoutHash[i] == hash && m_store.seriesAt(g.layoutId[i]))
        return g.layoutId[i];
    return -1;
}

int ScrapeAppender::lookup(std::string_view name)
{
    if (std::none_of(m_labels.begin(), m_labels.end(), [](const auto &p) { return p.first == "instance"; }))
        m_labels.emplace_back("instance", m_instance);
    const uint32_t nameId = m_store.identify(name, m_labels);
    int id = m_store.findSeries(nameId, m_store.m_scratch.data(), int(m_store.m_scratch.size() / 2));
    if (id < 0) {
        std::vector<uint32_t> labelIds = m_store.m_scratch;
        id = m_store.createSeries(nameId, std::move(labelIds), m_group);
    }
    return id;
}

void ScrapeAppender::store(int id, uint64_t hash, double value)
{
    ++m_position;
    m_layoutHash.push_back(hash);
    m_layoutId.push_back(id);
    SeriesStore::Series &s = m_store.m_series[size_t(id)];
    if (s.group != uint32_t(m_group)) {
        // A series of another group (its own timestamps before): append on its time line.
        m_store.append(m_store.name(id), m_store.labels(id), m_timestampMs, value);
        ++m_stored;
        return;
    }
    if (s.hasEntry && s.nextIndex > uint32_t(m_index))
        return; // the same series twice in one payload: the first stands
    m_store.appendAt(s, uint32_t(m_index), bitsOf(value));
    ++m_stored;
}

void ScrapeAppender::addTimed(std::string_view name, SeriesLabels labels, int64_t timestampMs, double value)
{
    if (std::none_of(labels.begin(), labels.end(), [](const auto &p) { return p.first == "instance"; }))
        labels.emplace_back("instance", m_instance);
    m_store.append(std::string(name), labels, timestampMs, value);
    ++m_stored;
}

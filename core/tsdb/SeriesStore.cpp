#include "tsdb/SeriesStore.h"

#include "tsdb/SeriesStoreParts.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>

using namespace SeriesStoreParts;

SeriesStore::SeriesStore(int64_t retentionMs)
    : m_retentionMs(retentionMs)
    , m_instanceKey(m_strings.intern("instance"))
{
}

SeriesStore::~SeriesStore() = default;

const SeriesStore::Series *SeriesStore::seriesAt(int id) const
{
    return id >= 0 && size_t(id) < m_series.size() && m_series[size_t(id)].alive() ? &m_series[size_t(id)] : nullptr;
}

// --- identity and index -----------------------------------------------------------------

namespace {

uint64_t identityHash(uint32_t name, const uint32_t *labels, int count)
{
    uint64_t h = mix(name + 0x1234567ULL);
    for (int i = 0; i < 2 * count; ++i)
        h = mix(h ^ (uint64_t(labels[i]) + uint64_t(i) * 0x9e3779b97f4a7c15ULL));
    return h;
}

} // namespace

int SeriesStore::findSeries(uint32_t nameId, const uint32_t *labels, int labelCount) const
{
    if (m_index.empty())
        return -1;
    const size_t mask = m_index.size() - 1;
    for (size_t i = identityHash(nameId, labels, labelCount) & mask;; i = (i + 1) & mask) {
        const int32_t slot = m_index[i];
        if (slot == 0)
            return -1;
        const Series &s = m_series[size_t(slot - 1)];
        if (s.name != nameId || int(m_labelPool[s.labelsAt]) != labelCount)
            continue;
        bool same = true;
        for (int k = 0; k < 2 * labelCount && same; ++k)
            same = labels[k] == m_labelPool[s.labelsAt + 1 + size_t(k)];
        if (same)
            return slot - 1;
    }
}

void SeriesStore::growIndex()
{
    size_t size = 64;
    while (size < m_liveSeries * 2 + 2)
        size *= 2;
    m_index.assign(size, 0);
    const size_t mask = size - 1;
    for (size_t id = 0; id < m_series.size(); ++id) {
        const Series *s = &m_series[id];
        if (!s->alive())
            continue;
        const uint32_t count = m_labelPool[s->labelsAt];
        m_scratch.clear();
        for (uint32_t k = 0; k < 2 * count; ++k)
            m_scratch.push_back(m_labelPool[s->labelsAt + 1 + k]);
        size_t i = identityHash(s->name, m_scratch.data(), int(count)) & mask;
        while (m_index[i] != 0)
            i = (i + 1) & mask;
        m_index[i] = int32_t(id + 1);
    }
}

int SeriesStore::createSeries(uint32_t nameId, std::vector<uint32_t> &&labels, int group)
{
    if (m_series.size() == m_series.capacity())
        m_series.reserve(m_series.size() + m_series.size() / 8 + 64); // grown by an eighth
    Series s;
    s.name = nameId;
    s.labelsAt = uint32_t(m_labelPool.size());
    m_labelPool.append(uint32_t(labels.size() / 2));
    for (uint32_t id : labels)
        m_labelPool.append(id);
    Group &g = *m_groups[size_t(group)];
    s.group = uint32_t(group);
    s.slot = g.memberCount++;
    s.firstIndex = s.nextIndex = g.nextIndex == 0 ? 0 : g.nextIndex - 1;
    const int id = int(m_series.size());
    m_series.push_back(std::move(s));
    ++m_liveSeries;
    ++m_generation;
    if (m_liveSeries * 2 + 2 > m_index.size()) {
        growIndex();
    } else {
        const size_t mask = m_index.size() - 1;
        size_t i = identityHash(nameId, labels.data(), int(labels.size() / 2)) & mask;
        while (m_index[i] != 0)
            i = (i + 1) & mask;
        m_index[i] = int32_t(id + 1);
    }
    return id;
}

uint32_t SeriesStore::identify(std::string_view name, const SeriesLabels &labels)
{
    m_scratch.clear();
    for (const auto &[k, v] : labels) {
        m_scratch.push_back(m_strings.intern(k));
        m_scratch.push_back(m_strings.intern(v));
    }
    // Sorted by label name, so that order in the payload never makes another series.
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    pairs.reserve(m_scratch.size() / 2);
    for (size_t i = 0; i < m_scratch.size(); i += 2)
        pairs.emplace_back(m_scratch[i], m_scratch[i + 1]);
    std::sort(pairs.begin(), pairs.end(),
        [this](const auto &a, const auto &b) { return m_strings.at(a.first) < m_strings.at(b.first); });
    pairs.erase(
        std::unique(pairs.begin(), pairs.end(), [](const auto &a, const auto &b) { return a.first == b.first; }),
        pairs.end());
    m_scratch.clear();
    for (const auto &[k, v] : pairs) {
        m_scratch.push_back(k);
        m_scratch.push_back(v);
    }
    return m_strings.intern(name);
}

int SeriesStore::groupFor(const std::string &instance)
{
    const auto it = m_groupByInstance.find(instance);
    if (it != m_groupByInstance.end())
        return it->second;
    auto g = std::make_unique<Group>();
    g->instance = instance;
    m_groups.push_back(std::move(g));
    m_groupByInstance.emplace(instance, int(m_groups.size() - 1));
    return int(m_groups.size() - 1);
}

int SeriesStore::seriesFor(std::string_view name, const SeriesLabels &labels, int64_t timestampMs)
{
    const uint32_t nameId = identify(name, labels);
    const int found = findSeries(nameId, m_scratch.data(), int(m_scratch.size() / 2));
    if (found >= 0)
        return found;
    // Join the instance's scrape group when the sample fits its time line; else a group of
    // its own.
    std::string instance;
    for (size_t i = 0; i < m_scratch.size(); i += 2) {
        if (m_scratch[i] == m_instanceKey)
            instance = std::string(m_strings.at(m_scratch[i + 1]));
    }
    int group = -1;
    const auto it = m_groupByInstance.find(instance);
    if (it != m_groupByInstance.end() && m_groups[size_t(it->second)]->lastTs == timestampMs)
        group = it->second; // a sample of the target's latest scrape (its up, its duration)
    if (group < 0) {
        m_groups.push_back(std::make_unique<Group>());
        group = int(m_groups.size() - 1);
    }
    std::vector<uint32_t> labelIds = m_scratch;
    return createSeries(nameId, std::move(labelIds), group);
}

// --- appending ---------------------------------------------------------------------------

int64_t SeriesStore::indexFor(Group &g, int64_t timestampMs, bool newScrape)
{
    if (g.nextIndex > 0 && timestampMs == g.lastTs && !newScrape)
        return g.nextIndex - 1;
    if (g.nextIndex > 0 && timestampMs <= g.lastTs)
        return -1; // out of order, or a second scrape at the same moment
    const uint32_t index = g.nextIndex;
    if (g.chunks.empty() || index >= g.chunks.back()->firstIndex + K) {
        if (!g.chunks.empty())
            closeChunk(g);
        auto c = std::make_unique<Chunk>();
        static std::atomic<uint64_t> nextChunkId {1};
        c->id = nextChunkId.fetch_add(1, std::memory_order_relaxed);
        c->firstIndex = index - index % K;
        g.chunks.push_back(std::move(c));
    }
    g.chunks.back()->time.append(timestampMs);
    g.lastTs = timestampMs;
    g.nextIndex = index + 1;
    return index;
}

namespace {

/// Writes into a series' open bits, growing them by a quarter at a time: thousands of
/// series each hold one such buffer, so slack is kept small.
struct OpenWriter {
    std::unique_ptr<uint64_t[]> &words;
    uint16_t &capacity;
    uint16_t &bits;

    void put(uint64_t value, int n)
    {
        const size_t needed = (size_t(bits) + size_t(n) + 63) / 64;
        if (needed > capacity) {
            // Two words hold an idle series' whole chunk: its first value and one run.
            const size_t grown
                = std::max<size_t>(needed, std::min<size_t>(std::max<size_t>(needed + needed / 4, 2), 1024));
            auto bigger = std::make_unique<uint64_t[]>(grown); // zeroed
            if (capacity > 0)
                std::memcpy(bigger.get(), words.get(), capacity * sizeof(uint64_t));
            words = std::move(bigger);
            capacity = uint16_t(grown);
        }
        bits = uint16_t(BitStream::write(words.get(), bits, value, n));
    }
};

} // namespace

void SeriesStore::appendAt(Series &s, uint32_t index, uint64_t v)
{
    Group &g = *m_groups[s.group];
    const uint32_t chunkFirst = g.chunks.back()->firstIndex;
    OpenWriter out {s.open, s.openWords, s.openBits};
    // Entries this chunk owes the series before `index` are absent.
    const uint32_t cursor = s.hasEntry ? s.nextIndex : std::max(chunkFirst, s.firstIndex);
    if (index > cursor)
        ChunkCodec::writeAbsent(s, out, index - cursor);
    ChunkCodec::writeValue(s, out, v);
    s.nextIndex = index + 1;
    ++g.chunks.back()->samples;
}

void SeriesStore::closeChunk(Group &g)
{
    Chunk &c = *g.chunks.back();
    const uint32_t chunkEnd = c.firstIndex + K;
    const uint32_t group = uint32_t(std::find_if(m_groups.begin(), m_groups.end(), [&](const auto &p) {
        return p.get() == &g;
    }) - m_groups.begin());
    c.start.assign(g.memberCount, kNone);
    for (Series &s : m_series) {
        if (s.group != group)
            continue;
        if (s.hasEntry) {
            // Absent to the chunk's end, so that a closed chunk has all K entries.
            OpenWriter out {s.open, s.openWords, s.openBits};
            const uint32_t missing = chunkEnd > s.nextIndex ? chunkEnd - s.nextIndex : 0;
            ChunkCodec::writeAbsent(s, out, missing);
            ChunkCodec::flushRun(s, out);
            c.start[s.slot] = uint32_t(c.values.size());
            c.values.insert(c.values.end(), s.open.get(), s.open.get() + (s.openBits + 63) / 64);
            c.valueBits += s.openBits;
        }
        s.resetEncoder(); // the next chunk grows its own bits, as few as it needs
    }
    c.values.shrink_to_fit();
    c.time.shrink();
    c.closed = true;
}

void SeriesStore::append(const std::string &name, const SeriesLabels &labels, int64_t timestampMs, double value)
{
    const int id = seriesFor(name, labels, timestampMs);
    Series &s = m_series[size_t(id)];
    Group &g = *m_groups[s.group];
    // A sample with a time of its own never moves a target's scrapes on: an exporter whose
    // clock runs ahead would otherwise make the target's next scrapes look out of order.
    if (!g.instance.empty() && timestampMs != g.lastTs)
        return;
    const int64_t index = indexFor(g, timestampMs, false);
    if (index < 0 || uint32_t(index) < s.nextIndex)
        return; // out of order or duplicate: the first one stands, as in Prometheus
    if (s.nextIndex == s.firstIndex)
        s.firstIndex = s.nextIndex = uint32_t(index); // a new series starts at its first sample
    appendAt(s, uint32_t(index), bitsOf(value));
}

// --- expiry ------------------------------------------------------------------------------

void SeriesStore::expire(int64_t nowMs)
{
    const int64_t cutoff = nowMs - m_retentionMs;
    bool removed = false;
    for (size_t gi = 0; gi < m_groups.size(); ++gi) {
        Group *g = m_groups[gi].get();
        if (!g || g->chunks.empty() || g->chunks.front()->time.lastTs >= cutoff)
            continue;
        while (!g->chunks.empty() && g->chunks.front()->time.lastTs < cutoff) {
            if (!g->chunks.front()->closed) {
                // The open chunk itself is old: the group has been silent for the whole
                // retention. Its members' open bits go with it.
                for (Series &s : m_series) {
                    if (s.group == gi)
                        s.resetEncoder();
                }
            }
            g->chunks.erase(g->chunks.begin());
        }
        const uint32_t first = g->firstIndex();
        size_t alive = 0;
        for (Series &s : m_series) {
            if (s.group != gi)
                continue;
            if (s.nextIndex > first && !g->chunks.empty()) {
                ++alive;
                continue;
            }
            s.resetEncoder();
            s.group = kDead;
            --m_liveSeries;
            ++m_generation;
            removed = true;
        }
        if (alive == 0 && g->chunks.empty()) {
            if (!g->instance.empty())
                m_groupByInstance.erase(g->instance);
            m_groups[gi].reset();
        }
    }
    if (removed) {
        growIndex(); // rebuilt without the removed series
        // Labels of removed series are garbage in the pool; compact it when it is mostly so.
        size_t used = 0;
        for (const Series &s : m_series)
            used += s.alive() ? 1 + 2 * m_labelPool[s.labelsAt] : 0;
        if (used * 2 < m_labelPool.size()) {
            IdPool pool;
            pool.reserve(used);
            for (Series &s : m_series) {
                if (!s.alive())
                    continue;
                const uint32_t at = uint32_t(pool.size());
                for (uint32_t k = 0; k < 1 + 2 * m_labelPool[s.labelsAt]; ++k)
                    pool.append(m_labelPool[s.labelsAt + k]);
                s.labelsAt = at;
            }
            std::swap(m_labelPool, pool);
        }
    }
}

// --- figures and lookups -----------------------------------------------------------------

size_t SeriesStore::sampleCount() const
{
    size_t n = 0;
    for (const auto &g : m_groups) {
        if (g) {
            for (const auto &c : g->chunks)
                n += c->samples;
        }
    }
    return n;
}

size_t SeriesStore::encodedBytes() const
{
    uint64_t bits = 0;
    for (const auto &g : m_groups) {
        if (!g)
            continue;
        for (const auto &c : g->chunks)
            bits += c->time.bits + c->valueBits;
    }
    for (const Series &s : m_series)
        bits += s.openBits;
    return size_t((bits + 7) / 8);
}

size_t SeriesStore::memoryBytes() const
{
    size_t n = sizeof(*this) + m_strings.memoryBytes() + m_labelPool.memoryBytes()
        + m_series.capacity() * sizeof(Series) + m_groups.capacity() * sizeof(void *)
        + m_index.capacity() * sizeof(int32_t) + m_scratch.capacity() * sizeof(uint32_t);
    for (const Series &s : m_series)
        n += s.openWords * sizeof(uint64_t);
    for (const auto &g : m_groups) {
        if (!g)
            continue;
        n += sizeof(Group) + g->instance.capacity() + g->layoutHash.capacity() * sizeof(uint64_t)
            + g->layoutId.capacity() * sizeof(int32_t) + g->chunks.capacity() * sizeof(void *);
        for (const auto &c : g->chunks) {
            n += sizeof(Chunk) + (c->time.words.capacity() + c->values.capacity()) * sizeof(uint64_t)
                + c->start.capacity() * sizeof(uint32_t);
        }
    }
    // Hash nodes of the instance map: key, value and two pointers each.
    for (const auto &[instance, group] : m_groupByInstance)
        n += sizeof(instance) + instance.capacity() + sizeof(group) + 2 * sizeof(void *);
    return n;
}

std::vector<int> SeriesStore::select(const std::string &name, const SeriesLabels &matchers) const
{
    // A scan of compact records: a few microseconds for thousands of series, and no index
    // to keep in memory.
    std::vector<int> out;
    const uint32_t nameId = m_strings.find(name);
    if (nameId == kNone)
        return out;
    std::vector<std::pair<uint32_t, uint32_t>> wanted;
    for (const auto &[k, v] : matchers) {
        const uint32_t key = m_strings.find(k);
        const uint32_t value = m_strings.find(v);
        if (key == kNone || value == kNone)
            return out; // a string never seen matches nothing
        wanted.emplace_back(key, value);
    }
    for (size_t id = 0; id < m_series.size(); ++id) {
        const Series &s = m_series[id];
        if (s.name != nameId || !s.alive())
            continue;
        const uint32_t count = m_labelPool[s.labelsAt];
        const size_t at = s.labelsAt + 1;
        const bool all = std::all_of(wanted.begin(), wanted.end(), [&](const auto &w) {
            for (uint32_t i = 0; i < count; ++i) {
                if (m_labelPool[at + 2 * i] == w.first && m_labelPool[at + 2 * i + 1] == w.second)
                    return true;
            }
            return false;
        });
        if (all)
            out.push_back(int(id));
    }
    return out;
}

std::string SeriesStore::name(int id) const
{
    const Series *s = seriesAt(id);
    return s ? std::string(m_strings.at(s->name)) : std::string();
}

SeriesLabels SeriesStore::labels(int id) const
{
    SeriesLabels out;
    const Series *s = seriesAt(id);
    if (!s)
        return out;
    const size_t at = s->labelsAt + 1;
    for (uint32_t i = 0; i < m_labelPool[s->labelsAt]; ++i) {
        out.emplace_back(
            std::string(m_strings.at(m_labelPool[at + 2 * i])), std::string(m_strings.at(m_labelPool[at + 2 * i + 1])));
    }
    return out;
}

std::string SeriesStore::label(int id, const std::string &key) const
{
    const Series *s = seriesAt(id);
    if (!s)
        return {};
    const size_t at = s->labelsAt + 1;
    for (uint32_t i = 0; i < m_labelPool[s->labelsAt]; ++i) {
        if (m_strings.at(m_labelPool[at + 2 * i]) == key)
            return std::string(m_strings.at(m_labelPool[at + 2 * i + 1]));
    }
    return {};
}

std::vector<std::string> SeriesStore::names() const
{
    std::vector<uint32_t> nameIds;
    for (const Series &s : m_series) {
        if (s.alive())
            nameIds.push_back(s.name);
    }
    std::sort(nameIds.begin(), nameIds.end());
    nameIds.erase(std::unique(nameIds.begin(), nameIds.end()), nameIds.end());
    std::vector<std::string> out;
    for (uint32_t id : nameIds)
        out.emplace_back(m_strings.at(id));
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<int> SeriesStore::ids() const
{
    std::vector<int> out;
    out.reserve(m_liveSeries);
    for (size_t i = 0; i < m_series.size(); ++i) {
        if (m_series[i].alive())
            out.push_back(int(i));
    }
    return out;
}

std::string SeriesStore::describe(int id) const
{
    std::string out = name(id);
    const SeriesLabels l = labels(id);
    if (l.empty())
        return out;
    out += '{';
    for (size_t i = 0; i < l.size(); ++i) {
        if (i)
            out += ',';
        out += l[i].first + "=\"";
        for (char c : l[i].second) {
            if (c == '\\' || c == '"')
                out += '\\';
            if (c == '\n')
                out += "\\n";
            else
                out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

int64_t SeriesStore::firstTimestamp() const
{
    int64_t first = 0;
    for (const auto &g : m_groups) {
        if (g && !g->chunks.empty() && g->chunks.front()->time.count > 0
            && (first == 0 || g->chunks.front()->time.firstTs < first))
            first = g->chunks.front()->time.firstTs;
    }
    return first;
}

#include "metrics/SeriesStore.h"

#include "metrics/BitStream.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>

namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kDead = std::numeric_limits<uint32_t>::max();
constexpr uint16_t kNoWindow = 127;
constexpr uint32_t K = uint32_t(SeriesStore::kSamplesPerChunk);

uint64_t bitsOf(double v)
{
    uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
}

double doubleOf(uint64_t u)
{
    double v;
    std::memcpy(&v, &u, sizeof v);
    return v;
}

uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/// A fast 64-bit hash of a sample's name and labels as written.
uint64_t hashBytes(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        h = mix(h ^ w);
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    return mix(h ^ tail);
}

// Delta-of-delta buckets for timestamps: a 1-5 bit prefix, then a signed value of this
// width. The last bucket holds any 64-bit difference, so no timestamp is out of range.
struct Bucket {
    uint64_t prefix;
    int prefixBits;
    int valueBits;
};
constexpr Bucket kBuckets[] = {{0b10, 2, 7}, {0b110, 3, 9}, {0b1110, 4, 12}, {0b11110, 5, 32}, {0b11111, 5, 64}};

bool fits(int64_t v, int bits)
{
    if (bits >= 64)
        return true;
    const int64_t lo = -(int64_t(1) << (bits - 1));
    const int64_t hi = (int64_t(1) << (bits - 1)) - 1;
    return v >= lo && v <= hi;
}

int64_t signExtend(uint64_t v, int bits)
{
    if (bits >= 64)
        return int64_t(v);
    const uint64_t sign = uint64_t(1) << (bits - 1);
    return int64_t((v ^ sign) - sign);
}

/// A growable word buffer, zeroed beyond what is written.
void reserveBits(std::vector<uint64_t> &words, uint64_t bits)
{
    const size_t needed = size_t(bits / 64 + 2);
    if (words.size() < needed)
        words.resize(std::max(needed, words.size() + words.size() / 2), 0);
}

} // namespace

/// Value codes, after which each entry of a series is one of:
///   0 + gamma(n)   the entry before, n more times (a run)
///   10 + bits      a value XOR'd with the last value, inside the last window
///   110 + 6 + 6    a value XOR'd with the last value, leading zeros and length, then bits
///   1110           the last value again, after an absence
///   1111           absent
/// At a chunk's start the last value is 0, so the first value is written whole.
struct SeriesStore::Series {
    // Thousands of these: fields are sized to what they hold, and the record fits in 48 bytes.
    uint32_t name = 0;
    uint32_t labelsAt = 0; ///< into m_labelPool: a count, then that many (key, value) id pairs
    uint32_t group = kDead;
    uint32_t slot = 0; ///< position among the group's members, for its chunks' start tables
    uint32_t firstIndex = 0; ///< the group's scrape index of the first entry
    uint32_t nextIndex = 0; ///< one past the last entry

    // Encoder of the open chunk.
    uint64_t last = 0; ///< last value written in this chunk (0 at its start)
    std::unique_ptr<uint64_t[]> open; ///< the open chunk's bits, zero past openBits
    uint16_t openBits = 0; ///< a chunk's worst case, 512 entries of 79 bits, fits
    uint16_t openWords = 0; ///< capacity of open
    uint16_t pending = 0; ///< repeats of the last entry not yet written (< a chunk)
    uint16_t leading : 7 = kNoWindow; ///< window of the last XOR
    uint16_t hasEntry : 1 = 0; ///< in the open chunk
    uint16_t trailing : 7 = 0;
    uint16_t lastPresent : 1 = 0; ///< what the last entry was

    bool alive() const { return group != kDead; }
    void releaseOpen()
    {
        open.reset();
        openWords = 0;
        openBits = 0;
    }
    void resetEncoder()
    {
        releaseOpen();
        pending = 0;
        hasEntry = 0;
        lastPresent = 0;
        last = 0;
        leading = kNoWindow;
        trailing = 0;
    }
};
static_assert(sizeof(void *) != 8 || sizeof(SeriesStore::Series) <= 48, "a series record stays small");

struct SeriesStore::Chunk {
    uint64_t id = 0; ///< unique among every store's chunks: the key of decoded-time caches
    uint32_t firstIndex = 0; ///< the group's scrape index of its first scrape (a multiple of K)
    uint32_t count = 0; ///< scrapes in it
    int64_t firstTs = 0;
    int64_t lastTs = 0;
    int64_t lastDelta = 0;
    uint64_t timeBits = 0;
    std::vector<uint64_t> times;
    size_t samples = 0; ///< values present
    // Once closed: every member's value bits, one after another, each from a word boundary.
    bool closed = false;
    uint64_t valueBits = 0; ///< encoded, padding excluded
    std::vector<uint64_t> values;
    std::vector<uint32_t> start; ///< per member slot: first word in values, or kNone
};

struct SeriesStore::Group {
    std::string instance; ///< empty for a series' own group
    std::vector<std::unique_ptr<Chunk>> chunks;
    uint32_t nextIndex = 0;
    int64_t lastTs = std::numeric_limits<int64_t>::min();
    uint32_t memberCount = 0; ///< slots handed out
    // The last scrape's samples in order: (hash of name and labels as written, series id).
    // Payloads repeat their layout scrape after scrape, so most samples find their series
    // here without parsing labels or interning anything.
    std::vector<uint64_t> layoutHash;
    std::vector<int32_t> layoutId;

    uint32_t firstIndex() const { return chunks.empty() ? nextIndex : chunks.front()->firstIndex; }
};

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
        c->firstTs = timestampMs;
        g.chunks.push_back(std::move(c));
    }
    Chunk &c = *g.chunks.back();
    reserveBits(c.times, c.timeBits + 80);
    if (c.count == 0) {
        c.timeBits = BitStream::write(c.times.data(), c.timeBits, uint64_t(timestampMs), 64);
    } else {
        // Wrapping arithmetic: any two timestamps have a difference modulo 2^64, and the
        // reader undoes it the same way.
        const int64_t delta = int64_t(uint64_t(timestampMs) - uint64_t(c.lastTs));
        const int64_t dod = int64_t(uint64_t(delta) - uint64_t(c.lastDelta));
        if (dod == 0) {
            c.timeBits = BitStream::write(c.times.data(), c.timeBits, 0, 1);
        } else {
            for (const Bucket &b : kBuckets) {
                if (fits(dod, b.valueBits)) {
                    c.timeBits = BitStream::write(c.times.data(), c.timeBits, b.prefix, b.prefixBits);
                    c.timeBits = BitStream::write(c.times.data(), c.timeBits, uint64_t(dod), b.valueBits);
                    break;
                }
            }
        }
        c.lastDelta = delta;
    }
    c.lastTs = timestampMs;
    ++c.count;
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
    void gamma(uint32_t n) // Elias gamma, n >= 1
    {
        const int width = 32 - std::countl_zero(n);
        put(0, width - 1);
        put(n, width);
    }
};

} // namespace

void SeriesStore::appendAt(Series &s, uint32_t index, uint64_t v)
{
    Group &g = *m_groups[s.group];
    const uint32_t chunkFirst = g.chunks.back()->firstIndex;
    OpenWriter out {s.open, s.openWords, s.openBits};
    auto flush = [&] {
        if (s.pending > 0) {
            out.put(0, 1);
            out.gamma(s.pending);
            s.pending = 0;
        }
    };
    auto absent = [&](uint32_t n) {
        if (n == 0)
            return;
        if (s.hasEntry && !s.lastPresent) {
            s.pending = uint16_t(s.pending + n);
            return;
        }
        flush();
        out.put(0b1111, 4);
        s.hasEntry = true;
        s.lastPresent = false;
        s.pending = uint16_t(s.pending + n - 1);
    };
    // Entries this chunk owes the series before `index` are absent.
    const uint32_t cursor = s.hasEntry ? s.nextIndex : std::max(chunkFirst, s.firstIndex);
    if (index > cursor)
        absent(index - cursor);
    if (s.hasEntry && s.lastPresent && v == s.last) {
        ++s.pending;
    } else {
        flush();
        const uint64_t x = v ^ s.last;
        if (x == 0) {
            out.put(0b1110, 4); // the last value again, after an absence (or 0 at the start)
        } else {
            int leading = std::countl_zero(x);
            const int trailing = std::countr_zero(x);
            if (leading > 63)
                leading = 63;
            if (s.leading != kNoWindow && leading >= s.leading && trailing >= s.trailing) {
                out.put(0b10, 2);
                out.put(x >> s.trailing, 64 - s.leading - s.trailing);
            } else {
                const int meaningful = 64 - leading - trailing;
                out.put(0b110, 3);
                out.put(uint64_t(leading), 6);
                out.put(uint64_t(meaningful - 1), 6);
                out.put(x >> trailing, meaningful);
                s.leading = uint16_t(leading);
                s.trailing = uint16_t(trailing);
            }
        }
        s.last = v;
        s.hasEntry = true;
        s.lastPresent = true;
    }
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
            if (missing > 0) {
                if (!s.lastPresent) {
                    s.pending = uint16_t(s.pending + missing);
                } else {
                    if (s.pending > 0) {
                        out.put(0, 1);
                        out.gamma(s.pending);
                        s.pending = 0;
                    }
                    out.put(0b1111, 4);
                    s.pending = uint16_t(missing - 1);
                }
            }
            if (s.pending > 0) {
                out.put(0, 1);
                out.gamma(s.pending);
            }
            c.start[s.slot] = uint32_t(c.values.size());
            c.values.insert(c.values.end(), s.open.get(), s.open.get() + (s.openBits + 63) / 64);
            c.valueBits += s.openBits;
        }
        s.resetEncoder(); // the next chunk grows its own bits, as few as it needs
    }
    c.values.shrink_to_fit();
    c.times.resize(size_t((c.timeBits + 63) / 64));
    c.times.shrink_to_fit();
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

int SeriesStore::appendScrape(const std::string &instance, int64_t timestampMs, const PromText::ParseResult &scrape)
{
    const int group = groupFor(instance);
    const int64_t index = indexFor(*m_groups[size_t(group)], timestampMs, true);
    int stored = 0;
    SeriesLabels labels;
    std::vector<size_t> timed;
    std::vector<uint64_t> layoutHash;
    std::vector<int32_t> layoutId;
    layoutHash.reserve(scrape.samples.size());
    layoutId.reserve(scrape.samples.size());
    for (size_t i = 0; i < scrape.samples.size(); ++i) {
        const PromText::Sample &sample = scrape.samples[i];
        if (sample.hasTimestamp) {
            timed.push_back(i); // after the scrape's own samples, which share its index
            continue;
        }
        if (index < 0)
            continue;
        // The sample's name and labels as written: equal text, same series.
        const char *begin = sample.name.data();
        const char *end = sample.name.data() + sample.name.size();
        if (sample.labelCount > 0) {
            const PromText::Label &lastLabel = scrape.labelsOf(sample)[sample.labelCount - 1];
            end = lastLabel.raw.data() + lastLabel.raw.size();
        }
        const uint64_t h = hashBytes(begin, size_t(end - begin));
        Group &g = *m_groups[size_t(group)];
        int id = -1;
        if (i < g.layoutHash.size() && g.layoutHash[i] == h && seriesAt(g.layoutId[i]))
            id = g.layoutId[i];
        if (id < 0) {
            labels.clear();
            bool hasInstance = false;
            for (uint32_t l = 0; l < sample.labelCount; ++l) {
                const PromText::Label &label = scrape.labelsOf(sample)[l];
                labels.emplace_back(std::string(label.name), label.value());
                hasInstance |= label.name == "instance";
            }
            if (!hasInstance)
                labels.emplace_back("instance", instance);
            const uint32_t nameId = identify(sample.name, labels);
            id = findSeries(nameId, m_scratch.data(), int(m_scratch.size() / 2));
            if (id < 0) {
                std::vector<uint32_t> labelIds = m_scratch;
                id = createSeries(nameId, std::move(labelIds), group);
            }
        }
        layoutHash.push_back(h);
        layoutId.push_back(id);
        Series &s = m_series[size_t(id)];
        if (s.group != uint32_t(group)) {
            // A series of another group (its own timestamps before): append on its time line.
            append(name(id), this->labels(id), timestampMs, sample.value);
            ++stored;
            continue;
        }
        if (s.hasEntry && s.nextIndex > uint32_t(index))
            continue; // the same series twice in one payload: the first stands
        appendAt(s, uint32_t(index), bitsOf(sample.value));
        ++stored;
    }
    Group &g = *m_groups[size_t(group)];
    if (index >= 0) {
        g.layoutHash.swap(layoutHash);
        g.layoutId.swap(layoutId);
    }
    for (size_t i : timed) {
        const PromText::Sample &sample = scrape.samples[i];
        labels.clear();
        for (uint32_t l = 0; l < sample.labelCount; ++l) {
            const PromText::Label &label = scrape.labelsOf(sample)[l];
            labels.emplace_back(std::string(label.name), label.value());
        }
        if (std::none_of(labels.begin(), labels.end(), [](const auto &p) { return p.first == "instance"; }))
            labels.emplace_back("instance", instance);
        append(std::string(sample.name), labels, sample.timestampMs, sample.value);
        ++stored;
    }
    return stored;
}

// --- expiry ------------------------------------------------------------------------------

void SeriesStore::expire(int64_t nowMs)
{
    const int64_t cutoff = nowMs - m_retentionMs;
    bool removed = false;
    for (size_t gi = 0; gi < m_groups.size(); ++gi) {
        Group *g = m_groups[gi].get();
        if (!g || g->chunks.empty() || g->chunks.front()->lastTs >= cutoff)
            continue;
        while (!g->chunks.empty() && g->chunks.front()->lastTs < cutoff) {
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

// --- reading -----------------------------------------------------------------------------

template <typename F>
void SeriesStore::forEachEntry(const Series &s, int64_t fromMs, int64_t toMs, bool perRun, F &&f) const
{
    const Group &g = *m_groups[s.group];
    // Decoded timestamps of the last chunk read on this thread: every series of a target
    // shares them, and queries read the series of one target one after another. Keyed by
    // the chunk's unique id and its scrape count (an open chunk grows).
    struct TimeCache {
        uint64_t chunk = 0;
        uint32_t count = 0;
        std::vector<int64_t> times;
    };
    thread_local TimeCache cache;
    std::vector<int64_t> &times = cache.times;
    for (const auto &chunkPtr : g.chunks) {
        const Chunk &c = *chunkPtr;
        if (c.count == 0 || c.lastTs < fromMs || c.firstTs > toMs)
            continue;
        const uint32_t first = std::max(c.firstIndex, s.firstIndex);
        const uint32_t end = c.closed ? c.firstIndex + c.count : std::min(s.nextIndex, c.firstIndex + c.count);
        if (first >= end)
            continue;
        const uint64_t *words;
        uint64_t endBit;
        if (c.closed) {
            if (s.slot >= c.start.size() || c.start[s.slot] == kNone)
                continue;
            words = c.values.data() + c.start[s.slot];
            endBit = (c.values.size() - c.start[s.slot]) * 64;
        } else {
            if (!s.hasEntry)
                continue;
            words = s.open.get();
            endBit = s.openBits;
        }
        // The chunk's timestamps, decoded only when an entry needs its time.
        auto ensureTimes = [&] {
            if (cache.chunk == c.id && cache.count == c.count)
                return;
            cache.chunk = c.id;
            cache.count = c.count;
            times.clear();
            BitStream::Reader r(c.times.data(), 0, c.timeBits);
            int64_t t = int64_t(r.read(64));
            int64_t delta = 0;
            times.push_back(t);
            for (uint32_t i = 1; i < c.count; ++i) {
                int64_t dod = 0;
                if (r.bit()) {
                    int b = 0;
                    while (b < 4 && r.bit())
                        ++b;
                    dod = signExtend(r.read(kBuckets[b].valueBits), kBuckets[b].valueBits);
                }
                delta = int64_t(uint64_t(delta) + uint64_t(dod));
                t = int64_t(uint64_t(t) + uint64_t(delta));
                times.push_back(t);
            }
        };
        // A chunk wholly inside the window needs no time checks: callers that only look
        // at values (perRun) then get one call per run, not per entry.
        const bool inside = c.firstTs >= fromMs && c.lastTs <= toMs;
        // The series' entries.
        BitStream::Reader r(words, 0, endBit);
        uint32_t index = first;
        uint64_t last = 0;
        bool present = false;
        int leading = 0;
        int trailing = 0;
        auto emit = [&](uint32_t n) {
            // n entries of the current state from `index` on.
            if (perRun) {
                // The part of the run inside the window, found on the sorted times (decoded
                // once per chunk and thread, shared by the target's series).
                ensureTimes();
                const int64_t *runStart = times.data() + (index - c.firstIndex);
                const uint32_t length = std::min(n, end - index);
                const int64_t *a = inside ? runStart : std::lower_bound(runStart, runStart + length, fromMs);
                const int64_t *b = inside ? runStart + length : std::upper_bound(a, runStart + length, toMs);
                if (a < b && !f(*a, *(b - 1), last, uint32_t(b - a), present))
                    return false;
            } else if (present) {
                ensureTimes();
                for (uint32_t k = 0; k < n && index + k < end; ++k) {
                    const int64_t t = times[index + k - c.firstIndex];
                    if (t >= fromMs && t <= toMs && !f(t, t, last, 1, true))
                        return false;
                }
            }
            index += n;
            return true;
        };
        bool go = true;
        while (go && index < end) {
            if (!c.closed && r.atEnd()) {
                go = emit(std::min<uint32_t>(s.pending, end - index));
                break;
            }
            if (!r.bit()) {
                const int zeros = [&] {
                    int z = 0;
                    while (!r.bit() && z < 32) // bounded: a run never exceeds a chunk
                        ++z;
                    return z;
                }();
                const uint32_t n = uint32_t((uint64_t(1) << zeros) | r.read(zeros));
                go = emit(n);
                continue;
            }
            if (!r.bit()) {
                last ^= r.read(64 - leading - trailing) << trailing;
                present = true;
            } else if (!r.bit()) {
                leading = int(r.read(6));
                const int meaningful = int(r.read(6)) + 1;
                trailing = 64 - leading - meaningful;
                last ^= r.read(meaningful) << trailing;
                present = true;
            } else {
                present = !r.bit(); // 1110: the last value again; 1111: absent
            }
            go = emit(1);
        }
        if (!go)
            return;
    }
}

std::vector<SeriesPoint> SeriesStore::range(int id, int64_t fromMs, int64_t toMs) const
{
    std::vector<SeriesPoint> out;
    const Series *s = seriesAt(id);
    if (!s)
        return out;
    forEachEntry(*s, fromMs, toMs, false, [&](int64_t t, int64_t, uint64_t bits, uint32_t, bool) {
        out.push_back({t, doubleOf(bits)});
        return true;
    });
    return out;
}

std::optional<SeriesStore::Constant> SeriesStore::constantOver(int id, int64_t fromMs, int64_t toMs) const
{
    const Series *s = seriesAt(id);
    if (!s)
        return std::nullopt;
    std::optional<Constant> out;
    std::optional<uint64_t> value;
    bool varies = false;
    bool absentSince = false; // an absence after a value: a gap inside the span
    forEachEntry(*s, fromMs, toMs, true, [&](int64_t first, int64_t last, uint64_t bits, uint32_t, bool present) {
        if (!present) {
            absentSince = value.has_value();
            return true;
        }
        if (absentSince || (value && *value != bits)) {
            varies = true;
            return false;
        }
        if (!value)
            out = Constant {doubleOf(bits), first, last};
        value = bits;
        out->lastMs = last;
        return true;
    });
    if (varies)
        return std::nullopt;
    return out;
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
            bits += c->timeBits + c->valueBits;
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
            n += sizeof(Chunk) + (c->times.capacity() + c->values.capacity()) * sizeof(uint64_t)
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
        if (g && !g->chunks.empty() && g->chunks.front()->count > 0
            && (first == 0 || g->chunks.front()->firstTs < first))
            first = g->chunks.front()->firstTs;
    }
    return first;
}

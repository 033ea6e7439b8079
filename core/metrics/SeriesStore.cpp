#include "metrics/SeriesStore.h"

#include <algorithm>
#include <cstring>

namespace {

std::string keyOf(const std::string &name, const SeriesLabels &labels)
{
    std::string key = name;
    key += '{';
    for (const auto &[k, v] : labels) {
        key += k;
        key += "=\"";
        key += v;
        key += "\",";
    }
    key += '}';
    return key;
}

} // namespace

SeriesStore::SeriesStore(int64_t retentionMs)
    : m_retentionMs(retentionMs)
{
}

int SeriesStore::seriesFor(const std::string &key, const std::string &name, SeriesLabels &&labels)
{
    const auto it = m_byKey.find(key);
    if (it != m_byKey.end())
        return it->second;
    auto series = std::make_unique<Series>();
    series->name = name;
    series->labels = std::move(labels);
    const int id = int(m_series.size());
    m_series.push_back(std::move(series));
    m_byKey.emplace(key, id);
    m_byName.emplace(name, id);
    return id;
}

void SeriesStore::append(const std::string &name, const SeriesLabels &labels, int64_t timestampMs, double value)
{
    SeriesLabels sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    const int id = seriesFor(keyOf(name, sorted), name, std::move(sorted));
    Series &s = *m_series[size_t(id)];
    if (!s.chunks.empty() && s.chunks.back()->count() > 0 && timestampMs <= s.chunks.back()->lastTimestamp())
        return; // out of order or duplicate: the first one stands, as in Prometheus
    if (s.chunks.empty() || s.chunks.back()->count() >= kSamplesPerChunk) {
        if (!s.chunks.empty())
            s.chunks.back()->shrinkToFit();
        s.chunks.push_back(std::make_unique<GorillaChunk>());
    }
    s.chunks.back()->append(timestampMs, value);
}

int SeriesStore::appendScrape(const std::string &instance, int64_t timestampMs, const PromText::ParseResult &scrape)
{
    int stored = 0;
    SeriesLabels labels;
    for (const PromText::Sample &sample : scrape.samples) {
        labels.clear();
        bool hasInstance = false;
        for (uint32_t i = 0; i < sample.labelCount; ++i) {
            const PromText::Label &l = scrape.labelsOf(sample)[i];
            labels.emplace_back(std::string(l.name), l.value());
            hasInstance |= l.name == "instance";
        }
        if (!hasInstance)
            labels.emplace_back("instance", instance);
        append(std::string(sample.name), labels, sample.hasTimestamp ? sample.timestampMs : timestampMs, sample.value);
        ++stored;
    }
    return stored;
}

void SeriesStore::expire(int64_t nowMs)
{
    const int64_t cutoff = nowMs - m_retentionMs;
    for (size_t id = 0; id < m_series.size(); ++id) {
        Series *s = m_series[id].get();
        if (!s)
            continue;
        auto firstKept = std::find_if(s->chunks.begin(), s->chunks.end(),
            [&](const std::unique_ptr<GorillaChunk> &c) { return c->lastTimestamp() >= cutoff; });
        s->chunks.erase(s->chunks.begin(), firstKept);
        if (s->chunks.empty()) {
            m_byKey.erase(keyOf(s->name, s->labels));
            for (auto it = m_byName.lower_bound(s->name); it != m_byName.end() && it->first == s->name; ++it) {
                if (it->second == int(id)) {
                    m_byName.erase(it);
                    break;
                }
            }
            m_series[id].reset();
        }
    }
}

size_t SeriesStore::sampleCount() const
{
    size_t n = 0;
    for (const auto &s : m_series) {
        if (s) {
            for (const auto &c : s->chunks)
                n += size_t(c->count());
        }
    }
    return n;
}

size_t SeriesStore::encodedBytes() const
{
    size_t n = 0;
    for (const auto &s : m_series) {
        if (s) {
            for (const auto &c : s->chunks)
                n += c->sizeBytes();
        }
    }
    return n;
}

size_t SeriesStore::memoryBytes() const
{
    size_t n = m_series.capacity() * sizeof(void *);
    for (const auto &s : m_series) {
        if (!s)
            continue;
        n += sizeof(Series) + s->name.capacity() + s->chunks.capacity() * sizeof(void *);
        for (const auto &[k, v] : s->labels)
            n += sizeof(k) + sizeof(v) + k.capacity() + v.capacity();
        for (const auto &c : s->chunks)
            n += sizeof(GorillaChunk) + c->memoryBytes();
    }
    // Index entries: the key string and the map node overhead (a pointer pair and the value).
    for (const auto &[key, id] : m_byKey)
        n += key.capacity() + sizeof(key) + sizeof(id) + 2 * sizeof(void *);
    n += m_byName.size() * (sizeof(std::string) + sizeof(int) + 4 * sizeof(void *));
    return n;
}

std::vector<int> SeriesStore::select(const std::string &name, const SeriesLabels &matchers) const
{
    std::vector<int> out;
    for (auto it = m_byName.lower_bound(name); it != m_byName.end() && it->first == name; ++it) {
        const SeriesLabels &labels = m_series[size_t(it->second)]->labels;
        const bool all = std::all_of(matchers.begin(), matchers.end(),
            [&](const auto &m) { return std::find(labels.begin(), labels.end(), m) != labels.end(); });
        if (all)
            out.push_back(it->second);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string SeriesStore::label(int id, const std::string &key) const
{
    for (const auto &[k, v] : labels(id)) {
        if (k == key)
            return v;
    }
    return {};
}

std::vector<std::string> SeriesStore::names() const
{
    std::vector<std::string> out;
    for (auto it = m_byName.begin(); it != m_byName.end(); it = m_byName.upper_bound(it->first))
        out.push_back(it->first);
    return out;
}

std::vector<SeriesPoint> SeriesStore::range(int id, int64_t fromMs, int64_t toMs) const
{
    std::vector<SeriesPoint> out;
    const Series *s = id >= 0 && size_t(id) < m_series.size() ? m_series[size_t(id)].get() : nullptr;
    if (!s)
        return out;
    for (const auto &chunk : s->chunks) {
        if (chunk->lastTimestamp() < fromMs || chunk->firstTimestamp() > toMs)
            continue;
        GorillaChunk::Reader reader(*chunk);
        SeriesPoint p;
        while (reader.next(p.timestampMs, p.value)) {
            if (p.timestampMs >= fromMs && p.timestampMs <= toMs)
                out.push_back(p);
        }
    }
    return out;
}

std::optional<double> SeriesStore::constantValue(int id, int64_t fromMs, int64_t toMs) const
{
    const Series *s = id >= 0 && size_t(id) < m_series.size() ? m_series[size_t(id)].get() : nullptr;
    if (!s)
        return std::nullopt;
    std::optional<uint64_t> bits;
    for (const auto &chunk : s->chunks) {
        if (chunk->lastTimestamp() < fromMs || chunk->firstTimestamp() > toMs)
            continue;
        if (!chunk->isConstant())
            return std::nullopt;
        const double v = chunk->lastValue();
        uint64_t b;
        std::memcpy(&b, &v, sizeof b);
        if (bits && *bits != b)
            return std::nullopt;
        bits = b;
    }
    if (!bits)
        return std::nullopt;
    double v;
    std::memcpy(&v, &*bits, sizeof v);
    return v;
}

std::vector<int> SeriesStore::ids() const
{
    std::vector<int> out;
    out.reserve(m_byKey.size());
    for (size_t i = 0; i < m_series.size(); ++i) {
        if (m_series[i])
            out.push_back(int(i));
    }
    return out;
}

std::string SeriesStore::describe(int id) const
{
    std::string out = name(id);
    const SeriesLabels &l = labels(id);
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
    for (const auto &s : m_series) {
        if (s && !s->chunks.empty() && (first == 0 || s->chunks.front()->firstTimestamp() < first))
            first = s->chunks.front()->firstTimestamp();
    }
    return first;
}

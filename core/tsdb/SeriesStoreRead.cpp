// Reading the series store: decoding chunks for ranges and for the constant-series shortcut.

#include "tsdb/SeriesStore.h"

#include "tsdb/SeriesStoreParts.h"

#include <algorithm>

using namespace SeriesStoreParts;

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
        if (c.time.count == 0 || c.time.lastTs < fromMs || c.time.firstTs > toMs)
            continue;
        const uint32_t first = std::max(c.firstIndex, s.firstIndex);
        const uint32_t end
            = c.closed ? c.firstIndex + c.time.count : std::min(s.nextIndex, c.firstIndex + c.time.count);
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
            if (cache.chunk == c.id && cache.count == c.time.count)
                return;
            cache.chunk = c.id;
            cache.count = c.time.count;
            ChunkCodec::decodeTimes(c.time.words.data(), c.time.bits, c.time.count, times);
        };
        // A chunk wholly inside the window needs no time checks: callers that only look
        // at values (perRun) then get one call per run, not per entry.
        const bool inside = c.time.firstTs >= fromMs && c.time.lastTs <= toMs;
        // The series' entries.
        ChunkCodec::ValueReader codes(words, endBit);
        uint32_t index = first;
        uint64_t last = 0;
        bool present = false;
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
            if (!c.closed && codes.atEnd()) {
                go = emit(std::min<uint32_t>(s.pending, end - index));
                break;
            }
            const uint32_t n = codes.next();
            last = codes.value();
            present = codes.present();
            go = emit(n);
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

std::optional<SeriesPoint> SeriesStore::latest(int id, int64_t atMs, int64_t lookbackMs) const
{
    const Series *s = seriesAt(id);
    if (!s)
        return std::nullopt;
    std::optional<SeriesPoint> out;
    forEachEntry(*s, atMs - lookbackMs, atMs, true, [&](int64_t, int64_t last, uint64_t bits, uint32_t, bool present) {
        if (present)
            out = SeriesPoint {last, doubleOf(bits)};
        else
            out.reset();
        return true;
    });
    // A series missing from its group's later scrapes has no entries for them in the open
    // chunk (they are written when it next appears, or when the chunk closes): the group's
    // first scrape after its last entry says whether it was gone by atMs.
    const Group &g = *m_groups[s->group];
    if (out && s->nextIndex < g.nextIndex) {
        for (const auto &chunkPtr : g.chunks) {
            const Chunk &c = *chunkPtr;
            if (s->nextIndex < c.firstIndex || s->nextIndex >= c.firstIndex + c.time.count)
                continue;
            std::vector<int64_t> times;
            ChunkCodec::decodeTimes(c.time.words.data(), c.time.bits, c.time.count, times);
            if (times[s->nextIndex - c.firstIndex] <= atMs)
                out.reset();
            break;
        }
    }
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

#pragma once

// The records behind SeriesStore, shared by its source files (SeriesStore.cpp,
// SeriesStoreRead.cpp, ScrapeAppender.cpp) and by nothing else.

#include "tsdb/ChunkCodec.h"
#include "tsdb/SeriesStore.h"

#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace SeriesStoreParts {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kDead = std::numeric_limits<uint32_t>::max();
constexpr uint32_t K = uint32_t(SeriesStore::kSamplesPerChunk);

inline uint64_t bitsOf(double v)
{
    uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return u;
}

inline double doubleOf(uint64_t u)
{
    double v;
    std::memcpy(&v, &u, sizeof v);
    return v;
}

inline uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/// A fast 64-bit hash of a sample's name and labels as written.
inline uint64_t hashBytes(const char *p, size_t n)
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

} // namespace SeriesStoreParts

/// One series: its identity, its place in its scrape group, and the value encoder of its open
/// chunk (the fields of ChunkCodec::ValueState, packed).
struct SeriesStore::Series {
    // Thousands of these: fields are sized to what they hold, and the record fits in 48 bytes.
    uint32_t name = 0;
    uint32_t labelsAt = 0; ///< into m_labelPool: a count, then that many (key, value) id pairs
    uint32_t group = SeriesStoreParts::kDead;
    uint32_t slot = 0; ///< position among the group's members, for its chunks' start tables
    uint32_t firstIndex = 0; ///< the group's scrape index of the first entry
    uint32_t nextIndex = 0; ///< one past the last entry

    // Encoder of the open chunk.
    uint64_t last = 0; ///< last value written in this chunk (0 at its start)
    std::unique_ptr<uint64_t[]> open; ///< the open chunk's bits, zero past openBits
    uint16_t openBits = 0; ///< a chunk's worst case, 512 entries of 79 bits, fits
    uint16_t openWords = 0; ///< capacity of open
    uint16_t pending = 0; ///< repeats of the last entry not yet written (< a chunk)
    uint16_t leading : 7 = ChunkCodec::kNoWindow; ///< window of the last XOR
    uint16_t hasEntry : 1 = 0; ///< in the open chunk
    uint16_t trailing : 7 = 0;
    uint16_t lastPresent : 1 = 0; ///< what the last entry was

    bool alive() const { return group != SeriesStoreParts::kDead; }
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
        leading = ChunkCodec::kNoWindow;
        trailing = 0;
    }
};
static_assert(sizeof(void *) != 8 || sizeof(SeriesStore::Series) <= 48, "a series record stays small");

struct SeriesStore::Chunk {
    uint64_t id = 0; ///< unique among every store's chunks: the key of decoded-time caches
    uint32_t firstIndex = 0; ///< the group's scrape index of its first scrape (a multiple of K)
    ChunkCodec::TimeColumn time; ///< one timestamp per scrape in it
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

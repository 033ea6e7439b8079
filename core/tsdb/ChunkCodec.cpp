#include "tsdb/ChunkCodec.h"

#include <algorithm>

namespace ChunkCodec {

namespace {

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

} // namespace

void TimeColumn::append(int64_t timestampMs)
{
    // Room for the longest code (5 + 64 bits), grown by half at a time, zero beyond.
    const size_t needed = size_t((bits + 80) / 64 + 2);
    if (words.size() < needed)
        words.resize(std::max(needed, words.size() + words.size() / 2), 0);
    if (count == 0) {
        firstTs = timestampMs;
        bits = BitStream::write(words.data(), bits, uint64_t(timestampMs), 64);
    } else {
        // Wrapping arithmetic: any two timestamps have a difference modulo 2^64, and the
        // reader undoes it the same way.
        const int64_t delta = int64_t(uint64_t(timestampMs) - uint64_t(lastTs));
        const int64_t dod = int64_t(uint64_t(delta) - uint64_t(lastDelta));
        if (dod == 0) {
            bits = BitStream::write(words.data(), bits, 0, 1);
        } else {
            for (const Bucket &b : kBuckets) {
                if (fits(dod, b.valueBits)) {
                    bits = BitStream::write(words.data(), bits, b.prefix, b.prefixBits);
                    bits = BitStream::write(words.data(), bits, uint64_t(dod), b.valueBits);
                    break;
                }
            }
        }
        lastDelta = delta;
    }
    lastTs = timestampMs;
    ++count;
}

void TimeColumn::shrink()
{
    words.resize(size_t((bits + 63) / 64));
    words.shrink_to_fit();
}

void decodeTimes(const uint64_t *words, uint64_t bits, uint32_t count, std::vector<int64_t> &out)
{
    out.clear();
    if (count == 0)
        return;
    BitStream::Reader r(words, 0, bits);
    int64_t t = int64_t(r.read(64));
    int64_t delta = 0;
    out.push_back(t);
    for (uint32_t i = 1; i < count; ++i) {
        int64_t dod = 0;
        if (r.bit()) {
            int b = 0;
            while (b < 4 && r.bit())
                ++b;
            dod = signExtend(r.read(kBuckets[b].valueBits), kBuckets[b].valueBits);
        }
        delta = int64_t(uint64_t(delta) + uint64_t(dod));
        t = int64_t(uint64_t(t) + uint64_t(delta));
        out.push_back(t);
    }
}

} // namespace ChunkCodec

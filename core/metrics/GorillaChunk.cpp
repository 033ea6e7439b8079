#include "metrics/GorillaChunk.h"

#include <bit>
#include <cstring>

namespace {

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

// Delta-of-delta buckets: a 1-4 bit prefix, then a signed value of this width. The last
// bucket holds any 64-bit difference, so no timestamp is ever out of range.
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

void GorillaChunk::write(uint64_t value, int bits)
{
    // Bits go most significant first, packed into 64-bit words.
    while (bits > 0) {
        const int used = int(m_bits % 64);
        if (used == 0)
            m_words.push_back(0);
        const int room = 64 - used;
        const int take = bits < room ? bits : room;
        const uint64_t chunk
            = (bits == 64 && take == 64) ? value : (value >> (bits - take)) & ((uint64_t(1) << take) - 1);
        m_words.back() |= chunk << (room - take);
        m_bits += uint64_t(take);
        bits -= take;
    }
}

double GorillaChunk::lastValue() const
{
    return doubleOf(m_lastValue);
}

void GorillaChunk::append(int64_t timestampMs, double value)
{
    const uint64_t v = bitsOf(value);
    if (m_count == 0) {
        write(uint64_t(timestampMs), 64);
        write(v, 64);
        m_firstTimestamp = m_lastTimestamp = timestampMs;
        m_lastValue = v;
        m_count = 1;
        return;
    }
    // Wrapping arithmetic: any two int64 timestamps have a representable difference
    // modulo 2^64, and the reader undoes it the same way.
    const int64_t delta = int64_t(uint64_t(timestampMs) - uint64_t(m_lastTimestamp));
    const int64_t dod = int64_t(uint64_t(delta) - uint64_t(m_lastDelta));
    if (dod == 0) {
        writeBit(false);
    } else {
        for (const Bucket &b : kBuckets) {
            if (fits(dod, b.valueBits)) {
                write(b.prefix, b.prefixBits);
                write(uint64_t(dod), b.valueBits);
                break;
            }
        }
    }
    m_lastDelta = delta;
    m_lastTimestamp = timestampMs;

    const uint64_t x = v ^ m_lastValue;
    m_constant = m_constant && x == 0;
    if (x == 0) {
        writeBit(false);
    } else {
        writeBit(true);
        int leading = std::countl_zero(x);
        const int trailing = std::countr_zero(x);
        if (leading > 31)
            leading = 31; // five bits hold it
        if (m_leading >= 0 && leading >= m_leading && trailing >= m_trailing) {
            // Fits in the previous window: reuse it.
            writeBit(false);
            write(x >> m_trailing, 64 - m_leading - m_trailing);
        } else {
            const int meaningful = 64 - leading - trailing;
            writeBit(true);
            write(uint64_t(leading), 5);
            write(uint64_t(meaningful == 64 ? 0 : meaningful), 6);
            write(x >> trailing, meaningful);
            m_leading = leading;
            m_trailing = trailing;
        }
    }
    m_lastValue = v;
    ++m_count;
}

uint64_t GorillaChunk::Reader::read(int bits)
{
    uint64_t out = 0;
    while (bits > 0) {
        const uint64_t word = m_chunk.m_words[m_pos / 64];
        const int used = int(m_pos % 64);
        const int room = 64 - used;
        const int take = bits < room ? bits : room;
        const uint64_t piece = (word << used) >> (64 - take);
        out = take == 64 ? piece : (out << take) | piece;
        m_pos += uint64_t(take);
        bits -= take;
    }
    return out;
}

bool GorillaChunk::Reader::readBit()
{
    return read(1) != 0;
}

bool GorillaChunk::Reader::next(int64_t &timestampMs, double &value)
{
    if (m_index >= m_chunk.m_count)
        return false;
    if (m_index == 0) {
        m_t = int64_t(read(64));
        m_value = read(64);
    } else {
        int64_t dod = 0;
        if (readBit()) {
            // Count further 1 bits of the prefix to find the bucket.
            int ones = 1;
            while (ones < 5 && readBit())
                ++ones;
            const Bucket &b = kBuckets[ones - 1];
            dod = signExtend(read(b.valueBits), b.valueBits);
        }
        m_delta = int64_t(uint64_t(m_delta) + uint64_t(dod));
        m_t = int64_t(uint64_t(m_t) + uint64_t(m_delta));
        if (readBit()) {
            if (readBit()) {
                m_leading = int(read(5));
                int meaningful = int(read(6));
                if (meaningful == 0)
                    meaningful = 64;
                m_trailing = 64 - m_leading - meaningful;
            }
            const int meaningful = 64 - m_leading - m_trailing;
            m_value ^= read(meaningful) << m_trailing;
        }
    }
    ++m_index;
    timestampMs = m_t;
    value = doubleOf(m_value);
    return true;
}

#pragma once

#include <cstdint>

/// Bits packed most significant first into 64-bit words: the encoding of the series
/// store's columns. Writers append to a word buffer the caller owns and sizes; readers
/// never read past the words they are given.
namespace BitStream {

/// Writes the low `bits` bits of value at bit position `pos` of words (which must have
/// room and be zero from pos on). Returns the new position.
inline uint64_t write(uint64_t *words, uint64_t pos, uint64_t value, int bits)
{
    if (bits == 0)
        return pos;
    if (bits < 64)
        value &= (uint64_t(1) << bits) - 1;
    const int used = int(pos % 64);
    const int room = 64 - used;
    uint64_t *w = words + pos / 64;
    if (bits <= room) {
        *w |= bits == 64 ? value : value << (room - bits);
    } else {
        *w |= value >> (bits - room);
        w[1] |= value << (64 - (bits - room));
    }
    return pos + uint64_t(bits);
}

class Reader {
public:
    Reader(const uint64_t *words, uint64_t startBit, uint64_t endBit)
        : m_words(words)
        , m_pos(startBit)
        , m_end(endBit)
    {
    }

    uint64_t position() const { return m_pos; }
    bool atEnd() const { return m_pos >= m_end; }
    /// Bits past the end read as zero.
    uint64_t read(int bits)
    {
        if (bits == 0)
            return 0;
        if (m_pos + uint64_t(bits) <= m_end) {
            // Fast path: from one word or two, no loop.
            const int used = int(m_pos % 64);
            const uint64_t *w = m_words + m_pos / 64;
            m_pos += uint64_t(bits);
            if (used + bits <= 64)
                return (w[0] << used) >> (64 - bits);
            const int first = 64 - used; // 1..63 bits from this word, the rest from the next
            const int second = bits - first;
            return (((w[0] << used) >> used) << second) | (w[1] >> (64 - second));
        }
        uint64_t out = 0;
        int left = bits;
        while (left > 0) {
            if (m_pos >= m_end) {
                out <<= left;
                m_pos += uint64_t(left);
                break;
            }
            const int used = int(m_pos % 64);
            const int room = 64 - used;
            const int take = left < room ? left : room;
            const uint64_t word = m_words[m_pos / 64];
            const uint64_t chunk = (word << used) >> (64 - take);
            out = take == 64 ? chunk : (out << take) | chunk;
            m_pos += uint64_t(take);
            left -= take;
        }
        return out;
    }
    bool bit() { return read(1) != 0; }

private:
    const uint64_t *m_words;
    uint64_t m_pos;
    uint64_t m_end;
};

} // namespace BitStream

#pragma once

#include "tsdb/BitStream.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

/// The bit-level encoding of the series store's chunks, apart from where the bits live.
///
/// Timestamps, one column per chunk of a scrape group, are delta-of-delta: the first
/// timestamp whole (64 bits), then for each next one the change of its distance to the one
/// before, as a bucket prefix and a signed value (0 alone when the interval is unchanged).
///
/// Values, one column per series and chunk, are a sequence of codes; each entry of a series is
/// one of:
///   0 + gamma(n)   the entry before, n more times (a run)
///   10 + bits      a value XOR'd with the last value, inside the last window
///   110 + 6 + 6    a value XOR'd with the last value, leading zeros and length, then bits
///   1110           the last value again, after an absence
///   1111           absent
/// At a chunk's start the last value is 0, so the first value is written whole. XOR with
/// meaningful bits only is Facebook's Gorilla; runs and absences are this store's own, since
/// most of etcd's series sit still and a failed scrape is a gap, never a zero.
namespace ChunkCodec {

/// The value window marking "no XOR written yet in this chunk".
constexpr uint16_t kNoWindow = 127;

// --- timestamps ---------------------------------------------------------------------------

/// One chunk's time column. Append in time order; distances wrap modulo 2^64, so any
/// sequence of int64 timestamps reads back exactly.
struct TimeColumn {
    std::vector<uint64_t> words;
    uint64_t bits = 0;
    uint32_t count = 0;
    int64_t firstTs = 0;
    int64_t lastTs = 0;
    int64_t lastDelta = 0;

    void append(int64_t timestampMs);
    /// Releases slack once no more is appended.
    void shrink();
};

/// Decodes count timestamps of a column into out (cleared first).
void decodeTimes(const uint64_t *words, uint64_t bits, uint32_t count, std::vector<int64_t> &out);

// --- values -------------------------------------------------------------------------------

/// What the value encoder keeps between entries. The store packs these fields into its
/// series records; the functions below take any type with them.
struct ValueState {
    uint64_t last = 0; ///< the last value written in this chunk (0 at its start)
    uint16_t pending = 0; ///< repeats of the last entry not yet written
    uint16_t leading = kNoWindow; ///< window of the last XOR
    uint16_t trailing = 0;
    bool hasEntry = false; ///< any entry in this chunk yet
    bool lastPresent = false; ///< what the last entry was
};

// The writers below take anything with put(value, bits), appending the low bits of value.

/// n >= 1 in Elias gamma code: the length in unary, then the number.
template <typename Writer> void putGamma(Writer &out, uint32_t n)
{
    const int width = 32 - std::countl_zero(n);
    out.put(0, width - 1);
    out.put(n, width);
}

/// Writes a pending run, if any.
template <typename State, typename Writer> void flushRun(State &s, Writer &out)
{
    if (s.pending > 0) {
        out.put(0, 1);
        putGamma(out, s.pending);
        s.pending = 0;
    }
}

/// n absent entries.
template <typename State, typename Writer> void writeAbsent(State &s, Writer &out, uint32_t n)
{
    if (n == 0)
        return;
    if (s.hasEntry && !s.lastPresent) {
        s.pending = uint16_t(s.pending + n);
        return;
    }
    flushRun(s, out);
    out.put(0b1111, 4);
    s.hasEntry = true;
    s.lastPresent = false;
    s.pending = uint16_t(s.pending + n - 1);
}

/// One present entry: the bits of a double.
template <typename State, typename Writer> void writeValue(State &s, Writer &out, uint64_t v)
{
    if (s.hasEntry && s.lastPresent && v == s.last) {
        ++s.pending;
        return;
    }
    flushRun(s, out);
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

/// Reads a value column code by code.
class ValueReader {
public:
    ValueReader(const uint64_t *words, uint64_t endBit)
        : m_reader(words, 0, endBit)
    {
    }

    bool atEnd() const { return m_reader.atEnd(); }
    /// Reads one code and returns how many entries it stands for: 1 for an entry (value()
    /// and present() then describe it), n for a run of the entry before.
    uint32_t next()
    {
        if (!m_reader.bit()) {
            int zeros = 0;
            while (!m_reader.bit() && zeros < 32) // bounded: a run never exceeds a chunk
                ++zeros;
            return uint32_t((uint64_t(1) << zeros) | m_reader.read(zeros));
        }
        if (!m_reader.bit()) {
            m_last ^= m_reader.read(64 - m_leading - m_trailing) << m_trailing;
            m_present = true;
        } else if (!m_reader.bit()) {
            m_leading = int(m_reader.read(6));
            const int meaningful = int(m_reader.read(6)) + 1;
            m_trailing = 64 - m_leading - meaningful;
            m_last ^= m_reader.read(meaningful) << m_trailing;
            m_present = true;
        } else {
            m_present = !m_reader.bit(); // 1110: the last value again; 1111: absent
        }
        return 1;
    }
    uint64_t value() const { return m_last; }
    bool present() const { return m_present; }

private:
    BitStream::Reader m_reader;
    uint64_t m_last = 0;
    bool m_present = false;
    int m_leading = 0;
    int m_trailing = 0;
};

} // namespace ChunkCodec

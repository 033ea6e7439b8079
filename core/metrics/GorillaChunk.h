#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

/// One series' samples in the compression of Facebook's Gorilla paper (Pelkonen et al.,
/// VLDB 2015): timestamps as delta-of-delta in variable-width buckets, values as the XOR
/// with the previous value, keeping only its meaningful bits. Values come back bit-exact,
/// NaN payloads and signed zeros included.
///
/// Appends must come in time order. Not thread-safe; the store serialises access.
class GorillaChunk {
public:
    void append(int64_t timestampMs, double value);

    int count() const { return m_count; }
    int64_t firstTimestamp() const { return m_firstTimestamp; }
    int64_t lastTimestamp() const { return m_lastTimestamp; }
    /// True when every sample holds the same value (bit for bit). Kept in memory only, so
    /// queries can skip decoding idle series at no cost in encoded size.
    bool isConstant() const { return m_constant; }
    /// The last value appended (the only value when isConstant()).
    double lastValue() const;
    /// Encoded size, whole bytes.
    size_t sizeBytes() const { return (m_bits + 7) / 8; }
    /// Heap bytes held, capacity included: what the store accounts for.
    size_t memoryBytes() const { return m_words.capacity() * sizeof(uint64_t); }
    void shrinkToFit() { m_words.shrink_to_fit(); }

    /// Walks the samples in order.
    class Reader {
    public:
        explicit Reader(const GorillaChunk &chunk)
            : m_chunk(chunk)
        {
        }
        /// False after the last sample.
        bool next(int64_t &timestampMs, double &value);

    private:
        uint64_t read(int bits);
        bool readBit();

        const GorillaChunk &m_chunk;
        uint64_t m_pos = 0;
        int m_index = 0;
        int64_t m_t = 0;
        int64_t m_delta = 0;
        uint64_t m_value = 0;
        int m_leading = 0;
        int m_trailing = 0;
    };

private:
    void write(uint64_t value, int bits);
    void writeBit(bool bit) { write(bit ? 1 : 0, 1); }

    std::vector<uint64_t> m_words;
    uint64_t m_bits = 0;
    int m_count = 0;
    int64_t m_firstTimestamp = 0;
    int64_t m_lastTimestamp = 0;
    int64_t m_lastDelta = 0;
    uint64_t m_lastValue = 0;
    int m_leading = -1; ///< of the last value window written; -1 before the first
    int m_trailing = 0;
    bool m_constant = true;
};

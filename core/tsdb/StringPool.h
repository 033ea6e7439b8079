#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Interned strings: each distinct string stored once, in one buffer, and named by a
/// 32-bit id. Metric names and label names and values repeat across thousands of series;
/// this is what keeps their cost per series at a few bytes.
class StringPool {
public:
    uint32_t intern(std::string_view s);
    /// The id of s, or UINT32_MAX when it was never interned.
    uint32_t find(std::string_view s) const;
    std::string_view at(uint32_t id) const
    {
        return std::string_view(m_text).substr(m_offsets[id], m_offsets[id + 1] - m_offsets[id]);
    }
    size_t size() const { return m_offsets.size() - 1; }
    size_t memoryBytes() const;

private:
    static uint64_t hash(std::string_view s);
    void grow();

    std::string m_text;
    std::vector<uint32_t> m_offsets {0}; ///< string i is [offsets[i], offsets[i + 1])
    std::vector<uint32_t> m_slots; ///< open addressing: id + 1, 0 for empty
};

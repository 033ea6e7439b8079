#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

/// A sequence of string ids held in 16 bits each while every id fits, and in 32 bits from
/// the first one that does not. The labels of thousands of series live in one of these.
class IdPool {
public:
    uint32_t operator[](size_t i) const { return m_wide ? m_wideIds[i] : m_narrowIds[i]; }
    size_t size() const { return m_wide ? m_wideIds.size() : m_narrowIds.size(); }

    void append(uint32_t id)
    {
        if (!m_wide && id > 0xffff) {
            m_wideIds.assign(m_narrowIds.begin(), m_narrowIds.end());
            m_narrowIds = {};
            m_wide = true;
        }
        // Grown by an eighth at a time: the pool grows with every new series.
        if (size() == capacity())
            reserve(size() + size() / 8 + 16);
        if (m_wide)
            m_wideIds.push_back(id);
        else
            m_narrowIds.push_back(uint16_t(id));
    }
    void reserve(size_t n)
    {
        if (m_wide)
            m_wideIds.reserve(n);
        else
            m_narrowIds.reserve(n);
    }
    size_t capacity() const { return m_wide ? m_wideIds.capacity() : m_narrowIds.capacity(); }
    size_t memoryBytes() const
    {
        return m_wideIds.capacity() * sizeof(uint32_t) + m_narrowIds.capacity() * sizeof(uint16_t);
    }

private:
    bool m_wide = false;
    std::vector<uint16_t> m_narrowIds;
    std::vector<uint32_t> m_wideIds;
};

#include "tsdb/StringPool.h"

uint64_t StringPool::hash(std::string_view s)
{
    // FNV-1a, then a final mix so that low bits spread over the table.
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s)
        h = (h ^ c) * 1099511628211ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

uint32_t StringPool::find(std::string_view s) const
{
    if (m_slots.empty())
        return UINT32_MAX;
    const size_t mask = m_slots.size() - 1;
    for (size_t i = hash(s) & mask;; i = (i + 1) & mask) {
        const uint32_t slot = m_slots[i];
        if (slot == 0)
            return UINT32_MAX;
        if (at(slot - 1) == s)
            return slot - 1;
    }
}

uint32_t StringPool::intern(std::string_view s)
{
    if (const uint32_t id = find(s); id != UINT32_MAX)
        return id;
    if ((size() + 1) * 2 > m_slots.size())
        grow();
    const uint32_t id = uint32_t(size());
    m_text.append(s);
    m_offsets.push_back(uint32_t(m_text.size()));
    const size_t mask = m_slots.size() - 1;
    size_t i = hash(s) & mask;
    while (m_slots[i] != 0)
        i = (i + 1) & mask;
    m_slots[i] = id + 1;
    return id;
}

void StringPool::grow()
{
    std::vector<uint32_t> slots(m_slots.empty() ? 64 : m_slots.size() * 2, 0);
    const size_t mask = slots.size() - 1;
    for (uint32_t id = 0; id < size(); ++id) {
        size_t i = hash(at(id)) & mask;
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = id + 1;
    }
    m_slots.swap(slots);
}

size_t StringPool::memoryBytes() const
{
    return m_text.capacity() + m_offsets.capacity() * sizeof(uint32_t) + m_slots.capacity() * sizeof(uint32_t);
}

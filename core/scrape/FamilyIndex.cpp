#include "scrape/FamilyIndex.h"

#include <cstring>

uint64_t FamilyIndex::hash(std::string_view name)
{
    // Eight bytes a step: family names are 10 to 80 bytes, and a general-purpose string hash
    // cost more than the rest of a HELP line.
    const char *p = name.data();
    size_t n = name.size();
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        h = (h ^ word) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
}

uint32_t FamilyIndex::find(std::string_view name, uint64_t hash) const
{
    if (m_slots.empty())
        return kNone;
    const size_t mask = m_slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot &s = m_slots[i];
        if (s.generation != m_generation)
            return kNone;
        if (s.hash == hash && s.name == name)
            return s.family;
    }
}

void FamilyIndex::insert(std::string_view name, uint64_t hash, uint32_t family)
{
    // At most half full: probes stay short.
    if ((m_size + 1) * 2 > m_slots.size())
        grow();
    const size_t mask = m_slots.size() - 1;
    size_t i = hash & mask;
    while (m_slots[i].generation == m_generation)
        i = (i + 1) & mask;
    m_slots[i] = Slot {name, hash, m_generation, family};
    ++m_size;
}

void FamilyIndex::clear()
{
    m_size = 0;
    if (++m_generation == 0) { // once in four billion parses: every stale slot must go
        for (Slot &s : m_slots)
            s.generation = 0;
        m_generation = 1;
    }
}

void FamilyIndex::grow()
{
    std::vector<Slot> old;
    old.swap(m_slots);
    m_slots.assign(old.empty() ? 256 : old.size() * 2, Slot {});
    const uint32_t live = m_generation;
    m_generation = 1;
    m_size = 0;
    for (const Slot &s : old) {
        if (s.generation == live)
            insert(s.name, s.hash, s.family);
    }
}

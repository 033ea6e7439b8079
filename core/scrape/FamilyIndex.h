#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

/// Metric family name -> index into a parse result's families. Open addressing over a table
/// that is kept from payload to payload and emptied by bumping a generation, so that once it
/// has grown a parse allocates nothing for it and clears it in constant time. Names are views
/// into the payload being parsed.
class FamilyIndex {
public:
    static constexpr uint32_t kNone = UINT32_MAX;

    static uint64_t hash(std::string_view name);

    /// The family named `name` (whose hash() is `hash`), or kNone.
    uint32_t find(std::string_view name, uint64_t hash) const;
    /// Adds a name that find() did not find.
    void insert(std::string_view name, uint64_t hash, uint32_t family);
    void clear();
    size_t size() const { return m_size; }

private:
    struct Slot {
        std::string_view name;
        uint64_t hash = 0;
        uint32_t generation = 0; ///< the slot is taken when this is m_generation
        uint32_t family = 0;
    };

    void grow();

    std::vector<Slot> m_slots;
    uint32_t m_generation = 1;
    size_t m_size = 0;
};

#pragma once

// The Prometheus text parser's scanning primitives: character classes as tables and
// sixteen-bytes-at-a-time searches with SSE2 (part of every x86-64). Inline, because they
// are its hottest loops; internal to scrape/.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <emmintrin.h>
#include <string_view>

namespace PromText::Scan {

// Character classes as 256-entry tables: one load per byte in the hot loops.
struct CharClasses {
    bool nameStart[256] = {};
    bool name[256] = {};
    bool labelStart[256] = {};
    bool label[256] = {};

    constexpr CharClasses()
    {
        for (int c = 0; c < 256; ++c) {
            const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            const bool digit = c >= '0' && c <= '9';
            labelStart[c] = letter;
            label[c] = letter || digit;
            nameStart[c] = letter || c == ':';
            name[c] = letter || digit || c == ':';
        }
    }
};
constexpr CharClasses kClass;

inline bool isNameStart(char c)
{
    return kClass.nameStart[uint8_t(c)];
}

inline bool isNameChar(char c)
{
    return kClass.name[uint8_t(c)];
}

inline bool isLabelStart(char c)
{
    return kClass.labelStart[uint8_t(c)];
}

inline bool isLabelChar(char c)
{
    return kClass.label[uint8_t(c)];
}

inline __m128i load16(const char *p)
{
    return _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
}

/// How many bytes from p on are name characters, sixteen at a time with SSE2 (part of
/// every x86-64): [a-zA-Z0-9_:] for metric names, and without ':' for label names. Names
/// are long; this is one of the parser's hottest loops.
template <bool Colon> inline size_t nameRun(const char *p, const char *end)
{
    const char *start = p;
    auto inRange = [](__m128i v, char lo, char hi) {
        // Shift [lo, hi] to the bottom of the signed range, then one signed compare.
        const __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8(char(0x80 - lo)));
        return _mm_cmplt_epi8(shifted, _mm_set1_epi8(char(0x80 + (hi - lo) + 1)));
    };
    while (end - p >= 16) {
        const __m128i v = load16(p);
        __m128i ok = _mm_or_si128(_mm_or_si128(inRange(v, 'a', 'z'), inRange(v, 'A', 'Z')),
            _mm_or_si128(inRange(v, '0', '9'), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
        if constexpr (Colon)
            ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
        const unsigned mask = unsigned(_mm_movemask_epi8(ok));
        if (mask != 0xFFFF)
            return size_t(p - start) + size_t(__builtin_ctz(~mask));
        p += 16;
    }
    const bool *table = Colon ? kClass.name : kClass.label;
    while (p < end && table[uint8_t(*p)])
        ++p;
    return size_t(p - start);
}

/// The first of three bytes from p on, or end: inline and sixteen at a time, because the
/// strings searched (a label value, a line) are short and a library call per search cost
/// more than the search.
inline const char *findAny(const char *p, const char *end, char a, char b, char c)
{
    const __m128i va = _mm_set1_epi8(a);
    const __m128i vb = _mm_set1_epi8(b);
    const __m128i vc = _mm_set1_epi8(c);
    while (end - p >= 16) {
        const __m128i v = load16(p);
        const __m128i hit
            = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc));
        const unsigned mask = unsigned(_mm_movemask_epi8(hit));
        if (mask != 0)
            return p + __builtin_ctz(mask);
        p += 16;
    }
    while (p < end && *p != a && *p != b && *p != c)
        ++p;
    return p;
}

inline const char *findEither(const char *p, const char *end, char a, char b)
{
    return findAny(p, end, a, b, b);
}

/// a == b for short texts without a library call: names compared here are mostly 10 to
/// 40 bytes, and the two usually agree.
inline bool sameText(std::string_view a, std::string_view b)
{
    const size_t n = a.size();
    if (n != b.size())
        return false;
    auto load8 = [](const char *p) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        return v;
    };
    if (n >= 8 && n <= 16) // two overlapping words cover every byte
        return load8(a.data()) == load8(b.data()) && load8(a.data() + n - 8) == load8(b.data() + n - 8);
    if (n > 16 && n <= 32) {
        const __m128i head = _mm_cmpeq_epi8(load16(a.data()), load16(b.data()));
        const __m128i tail = _mm_cmpeq_epi8(load16(a.data() + n - 16), load16(b.data() + n - 16));
        return _mm_movemask_epi8(_mm_and_si128(head, tail)) == 0xFFFF;
    }
    return a == b;
}

inline bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

/// Whether the text at p begins with `s` and has at least one more byte after it. `s` must
/// lie earlier in the same buffer: then a sixteen-byte load that stays below `end` at p also
/// does at s.
inline bool startsWithEarlier(const char *p, const char *end, std::string_view s)
{
    const size_t n = s.size();
    if (size_t(end - p) <= n)
        return false;
    const char *q = s.data();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(load16(p + i), load16(q + i))) != 0xFFFF)
            return false;
    }
    const size_t rest = n - i;
    if (rest == 0)
        return true;
    if (end - (p + i) >= 16) {
        const unsigned equal = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(load16(p + i), load16(q + i))));
        const unsigned wanted = (1u << rest) - 1;
        return (equal & wanted) == wanted;
    }
    return std::memcmp(p + i, q + i, rest) == 0;
}

/// The length of `name` when the text at q starts with it and then `="`, else 0. Sixteen
/// bytes from q on must be readable, and `name` (a label name already read) must lie earlier
/// in the same buffer.
inline size_t repeatsLabelName(const char *q, std::string_view name)
{
    const size_t n = name.size();
    if (n > 14)
        return 0;
    const unsigned equal = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(load16(q), load16(name.data()))));
    const unsigned wanted = (1u << n) - 1;
    uint16_t next;
    std::memcpy(&next, q + n, 2);
    constexpr uint16_t kEqualsQuote = uint16_t('=' | ('"' << 8)); // little-endian: '=' first
    return (equal & wanted) == wanted && next == kEqualsQuote ? n : 0;
}

} // namespace PromText::Scan

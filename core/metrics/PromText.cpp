#include "metrics/PromText.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <emmintrin.h>
#include <limits>
#include <utility>

namespace PromText {

namespace {

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

std::string unescape(std::string_view raw, bool quotes)
{
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
            const char n = raw[i + 1];
            if (n == 'n' || n == '\\' || (quotes && n == '"')) {
                out += n == 'n' ? '\n' : n;
                ++i;
                continue;
            }
        }
        out += raw[i];
    }
    return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const char x = char(a[i] | 0x20);
        if (x != b[i])
            return false;
    }
    return true;
}

/// The sign, if any, split off: {negative, the text after the sign}.
std::pair<bool, std::string_view> splitSign(std::string_view text)
{
    if (!text.empty() && (text.front() == '+' || text.front() == '-'))
        return {text.front() == '-', text.substr(1)};
    return {false, text};
}

/// A value that is not a plain whole number, read as Prometheus reads it: Go's
/// strconv.ParseFloat behind a check that turns away any 'p', 'P' or '_'. That leaves
/// decimal floats (leading or trailing '.', an optional exponent), Inf and Infinity with an
/// optional sign, and NaN without one, in any letter case. Hexadecimal floats never pass:
/// Go requires their 'p' exponent, which the check refuses. A decimal that overflows is an
/// error in Go, so the sample is dropped; one that underflows rounds to zero or a subnormal.
/// Not inlined: most samples never get here, and the readers that inline readValue() stay
/// small.
[[gnu::noinline]] std::optional<double> readOtherValue(std::string_view text)
{
    const auto [negative, body] = splitSign(text);
    if (equalsIgnoreCase(body, "inf") || equalsIgnoreCase(body, "infinity"))
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    if (equalsIgnoreCase(body, "nan"))
        return body.size() == text.size() ? std::optional(std::numeric_limits<double>::quiet_NaN()) : std::nullopt;
    // from_chars also takes "nan(...)", "inf" and "infinity" prefixes and a second sign; Go
    // takes none of them, and its decimals always begin with a digit or a '.'.
    if (body.empty() || !((body.front() >= '0' && body.front() <= '9') || body.front() == '.'))
        return std::nullopt;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
    if (ptr != body.data() + body.size())
        return std::nullopt; // hexadecimal, '_', an exponent without digits, trailing text
    if (ec == std::errc::result_out_of_range) {
        // from_chars reports underflow too, but yields no value: strtod rounds as Go does.
        v = std::strtod(std::string(body).c_str(), nullptr);
        if (std::isinf(v))
            return std::nullopt;
    } else if (ec != std::errc()) {
        return std::nullopt;
    }
    return negative ? -v : v;
}

/// Why readValue() turned `text` away, as a clause for the error message, or empty when
/// the text is simply not a number.
std::string_view rejectionReason(std::string_view text)
{
    const std::string_view body = splitSign(text).second;
    if (body.size() >= 2 && body[0] == '0' && (body[1] | 0x20) == 'x')
        return "hexadecimal floats are not accepted";
    if (body.find('_') != std::string_view::npos)
        return "'_' digit separators are not accepted";
    if (body.size() != text.size() && equalsIgnoreCase(body, "nan"))
        return "NaN takes no sign";
    if (!body.empty() && ((body.front() >= '0' && body.front() <= '9') || body.front() == '.')) {
        double v = 0;
        const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
        if (ptr == body.data() + body.size() && ec == std::errc::result_out_of_range
            && std::isinf(std::strtod(std::string(body).c_str(), nullptr)))
            return "out of the range of a double";
    }
    return {};
}

std::string invalidValueMessage(std::string_view text)
{
    std::string message = "invalid sample value \"" + std::string(text) + "\"";
    if (const std::string_view reason = rejectionReason(text); !reason.empty())
        message.append(": ").append(reason);
    return message;
}

/// Decimal or exponent floats, Inf and Infinity with an optional sign, NaN without one (any
/// case), as Prometheus accepts them. Inline, because most samples are whole numbers: up to
/// 15 digits convert exactly here, without a call.
inline std::optional<double> readValue(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    bool negative = false;
    std::string_view body = text;
    if (body.front() == '+' || body.front() == '-') {
        negative = body.front() == '-';
        body.remove_prefix(1);
    }
    if (!body.empty() && body.size() <= 15 && body.front() >= '0' && body.front() <= '9') {
        uint64_t whole = 0;
        size_t k = 0;
        while (k < body.size() && body[k] >= '0' && body[k] <= '9')
            whole = whole * 10 + uint64_t(body[k++] - '0');
        if (k == body.size())
            return negative ? -double(whole) : double(whole);
    }
    return readOtherValue(text);
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

std::optional<MetricType> typeNamed(std::string_view word)
{
    if (word == "counter")
        return MetricType::Counter;
    if (word == "gauge")
        return MetricType::Gauge;
    if (word == "histogram")
        return MetricType::Histogram;
    if (word == "summary")
        return MetricType::Summary;
    if (word == "untyped")
        return MetricType::Untyped;
    return std::nullopt;
}

/// Scans one payload; keeps the position, the line and where the line began, so that every
/// error can name its line and column.
class Parser {
public:
    Parser(std::string_view text, ParseResult &out)
        : m_text(text)
        , m_out(out)
    {
    }

    void run()
    {
        const char *data = m_text.data();
        const size_t size = m_text.size();
        size_t pos = 0;
        while (pos < size) {
            const size_t next = isNameStart(data[pos]) ? fastSample(pos)
                : data[pos] == '#'                     ? fastComment(pos)
                                                       : kNotFast;
            if (next != kNotFast) {
                ++m_lineNo;
                pos = next;
                continue;
            }
            const size_t end = size_t(findEither(data + pos, data + size, '\n', '\n') - data);
            m_line = std::string_view(data + pos, end - pos);
            line();
            ++m_lineNo;
            pos = end + 1;
        }
    }

private:
    void error(size_t offsetInLine, std::string message)
    {
        m_out.errors.push_back({m_lineNo, int(offsetInLine) + 1, std::move(message)});
    }

    size_t skipBlanks(size_t i) const
    {
        while (i < m_line.size() && isBlank(m_line[i]))
            ++i;
        return i;
    }

    size_t scanName(size_t i) const
    {
        if (i >= m_line.size() || !isNameStart(m_line[i]))
            return i;
        // Scanning up to the payload's end lets whole 16-byte blocks run near the line's
        // end; a run stops at the newline anyway.
        return i + 1 + nameRun<true>(m_line.data() + i + 1, m_textEnd);
    }

    void line()
    {
        size_t i = skipBlanks(0);
        if (i == m_line.size())
            return;
        if (m_line[i] == '#')
            comment(i + 1);
        else
            sample(i);
    }

    uint32_t familyFor(std::string_view name, bool create)
    {
        const uint64_t hash = FamilyIndex::hash(name);
        if (const uint32_t f = m_out.familyIndex().find(name, hash); f != FamilyIndex::kNone || !create)
            return f;
        m_out.families.push_back(Family {name, MetricType::Untyped, {}, false, false, false});
        const uint32_t index = uint32_t(m_out.families.size() - 1);
        m_out.familyIndex().insert(name, hash, index);
        return index;
    }

    void comment(size_t i)
    {
        i = skipBlanks(i);
        size_t wordEnd = i;
        while (wordEnd < m_line.size() && !isBlank(m_line[wordEnd]))
            ++wordEnd;
        const std::string_view word = m_line.substr(i, wordEnd - i);
        const bool help = word == "HELP";
        if (!help && word != "TYPE")
            return; // an ordinary comment
        size_t nameStart = skipBlanks(wordEnd);
        size_t nameEnd = scanName(nameStart);
        if (nameEnd == nameStart || (nameEnd < m_line.size() && !isBlank(m_line[nameEnd]))) {
            error(nameStart, std::string(word) + " line without a valid metric name");
            return;
        }
        const std::string_view name = m_line.substr(nameStart, nameEnd - nameStart);
        size_t rest = nameEnd < m_line.size() ? nameEnd + 1 : nameEnd;
        if (help) {
            const std::string_view text = m_line.substr(rest);
            applyHelp(name, nameStart, text, text.find('\\') != std::string_view::npos);
            return;
        }
        rest = skipBlanks(rest);
        size_t typeEnd = rest;
        while (typeEnd < m_line.size() && !isBlank(m_line[typeEnd]))
            ++typeEnd;
        const std::string_view typeWord = m_line.substr(rest, typeEnd - rest);
        const std::optional<MetricType> type = typeNamed(typeWord);
        if (!type) {
            error(rest, "unknown metric type \"" + std::string(typeWord) + "\"");
            return;
        }
        if (skipBlanks(typeEnd) != m_line.size()) {
            error(typeEnd, "unexpected text after the metric type");
            return;
        }
        applyType(name, nameStart, *type);
    }

    void applyHelp(std::string_view name, size_t nameColumn, std::string_view rawHelp, bool escaped)
    {
        const uint32_t f = familyFor(name, true);
        m_lastHelp = name;
        m_lastHelpFamily = f;
        if (!m_out.families[f].rawHelp.empty()) {
            error(nameColumn, "second HELP line for " + std::string(name));
            return;
        }
        m_out.families[f].rawHelp = rawHelp;
        m_out.families[f].helpEscaped = escaped;
    }

    void applyType(std::string_view name, size_t nameColumn, MetricType type)
    {
        // TYPE nearly always follows its family's HELP line: no second lookup then.
        const uint32_t existing = sameText(name, m_lastHelp) ? m_lastHelpFamily : familyFor(name, false);
        if (existing != FamilyIndex::kNone && m_out.families[existing].typed) {
            error(nameColumn, "second TYPE line for " + std::string(name) + "; the first one stands");
            return;
        }
        if (existing != FamilyIndex::kNone && m_out.families[existing].sampled)
            error(nameColumn, "TYPE line for " + std::string(name) + " after its samples; it applies from here on");
        const uint32_t f = existing != FamilyIndex::kNone ? existing : familyFor(name, true);
        m_out.families[f].type = type;
        m_out.families[f].typed = true;
        m_current = f;
    }

    /// "# HELP name text" and "# TYPE name type" as exporters write them, in one pass over
    /// the line. Returns where the next line starts, or kNotFast, having kept nothing, for
    /// comment() to read anything else (other comments, extra blanks, malformed lines).
    size_t fastComment(size_t pos)
    {
        const char *p = m_text.data() + pos;
        const char *end = m_textEnd;
        if (end - p < 9)
            return kNotFast;
        const bool help = std::memcmp(p, "# HELP ", 7) == 0;
        if (!help && std::memcmp(p, "# TYPE ", 7) != 0)
            return kNotFast;
        constexpr size_t nameColumn = 7;
        const char *name = p + nameColumn;
        if (!isNameStart(*name))
            return kNotFast;
        const char *nameEnd = name + 1 + nameRun<true>(name + 1, end);
        if (nameEnd >= end || *nameEnd != ' ')
            return kNotFast;
        const char *text = nameEnd + 1;
        const char *lineEnd = findEither(text, end, '\n', '\\');
        const bool escaped = lineEnd < end && *lineEnd == '\\';
        if (escaped)
            lineEnd = findEither(lineEnd, end, '\n', '\n');
        const std::string_view familyName(name, size_t(nameEnd - name));
        const std::string_view rest(text, size_t(lineEnd - text));
        if (help) {
            applyHelp(familyName, nameColumn, rest, escaped);
        } else {
            const std::optional<MetricType> type = typeNamed(rest);
            if (!type)
                return kNotFast;
            applyType(familyName, nameColumn, *type);
        }
        return lineEnd < end ? size_t(lineEnd - m_text.data()) + 1 : m_text.size();
    }

    /// The family a sample belongs to: the current one when the name matches it (with the
    /// _bucket, _sum and _count suffixes of histograms and summaries), else by name.
    uint32_t familyOfSample(std::string_view name)
    {
        auto matches = [&](uint32_t f) {
            const Family &fam = m_out.families[f];
            if (sameText(name, fam.name))
                return true;
            if (fam.type != MetricType::Histogram && fam.type != MetricType::Summary)
                return false;
            if (name.size() <= fam.name.size() || !sameText(name.substr(0, fam.name.size()), fam.name))
                return false;
            const std::string_view suffix = name.substr(fam.name.size());
            return suffix == "_sum" || suffix == "_count" || (fam.type == MetricType::Histogram && suffix == "_bucket");
        };
        // A histogram's bucket lines share one name: the previous sample's answer stands.
        if (m_current != UINT32_MAX && m_lastSampleFamily == m_current && sameText(name, m_lastSampleName))
            return m_current;
        m_lastSampleName = name;
        if (m_current != UINT32_MAX && matches(m_current))
            return m_lastSampleFamily = m_current;
        for (std::string_view suffix :
            {std::string_view("_bucket"), std::string_view("_sum"), std::string_view("_count")}) {
            if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
                const uint32_t f = familyFor(name.substr(0, name.size() - suffix.size()), false);
                if (f != UINT32_MAX && matches(f))
                    return m_lastSampleFamily = m_current = f;
            }
        }
        return m_lastSampleFamily = m_current = familyFor(name, true);
    }

    static constexpr size_t kNotFast = std::numeric_limits<size_t>::max();

    /// The common case in one pass over the text: `name{key="value",...} value` and a
    /// newline, with no blanks, escapes or timestamp. Returns where the next line starts,
    /// or kNotFast, having kept nothing, for the general path (which also reports errors)
    /// to read the line instead.
    size_t fastSample(size_t pos)
    {
        const char *data = m_text.data();
        const char *end = m_textEnd;
        const char *p = data + pos;
        // Most lines repeat the previous sample's name (a histogram's buckets, a counter per
        // gRPC method): then the name needs no scan and its family no lookup.
        const char *nameEnd;
        uint32_t family = FamilyIndex::kNone;
        if (m_current != FamilyIndex::kNone && m_lastSampleFamily == m_current
            && startsWithEarlier(p, end, m_lastSampleName) && !isNameChar(p[m_lastSampleName.size()])) {
            nameEnd = p + m_lastSampleName.size();
            family = m_current;
        } else {
            nameEnd = p + 1 + nameRun<true>(p + 1, end);
        }
        const size_t firstLabel = m_out.labels.size();
        auto giveUp = [&] {
            m_out.labels.resize(firstLabel);
            return kNotFast;
        };
        const char *q = nameEnd;
        if (q < end && *q == '{') {
            ++q;
            // A sample that repeats the previous one's name nearly always repeats its label
            // names too, in the same order: one that does needs no scan.
            size_t previous = family != FamilyIndex::kNone ? m_out.samples.back().firstLabel : 0;
            const size_t previousEnd = family != FamilyIndex::kNone ? previous + m_out.samples.back().labelCount : 0;
            while (q < end && *q != '}') {
                size_t keyLength = 0;
                if (previous < previousEnd && end - q >= 16)
                    keyLength = repeatsLabelName(q, m_out.labels[previous].name);
                ++previous;
                if (keyLength == 0) {
                    if (!isLabelStart(*q))
                        return giveUp();
                    const char *keyEnd = q + 1 + nameRun<false>(q + 1, end);
                    if (end - keyEnd < 2 || keyEnd[0] != '=' || keyEnd[1] != '"')
                        return giveUp();
                    keyLength = size_t(keyEnd - q);
                }
                const char *keyEnd = q + keyLength;
                const char *value = keyEnd + 2;
                const char *close = findAny(value, end, '"', '\\', '\n');
                if (close >= end || *close != '"')
                    return giveUp();
                if (m_out.labels.size() == m_out.labels.capacity())
                    m_out.labels.reserve(m_out.labels.size() * 2 + 64);
                m_out.labels.push_back(Label {
                    std::string_view(q, size_t(keyEnd - q)), std::string_view(value, size_t(close - value)), false});
                q = close + 1;
                if (q < end && *q == ',')
                    ++q;
                else if (q >= end || *q != '}')
                    return giveUp();
            }
            if (q >= end)
                return giveUp();
            ++q;
        }
        if (q >= end || *q != ' ')
            return giveUp();
        const char *valueStart = q + 1;
        const char *valueEnd = findEither(valueStart, end, ' ', '\n');
        if (valueEnd < end && *valueEnd == ' ')
            return giveUp(); // a timestamp, or trailing blanks
        const auto value = readValue(std::string_view(valueStart, size_t(valueEnd - valueStart)));
        if (!value)
            return giveUp();
        Sample &s = m_out.samples.emplace_back();
        s.name = std::string_view(p, size_t(nameEnd - p));
        s.firstLabel = uint32_t(firstLabel);
        s.labelCount = uint32_t(m_out.labels.size() - firstLabel);
        s.value = *value;
        if (family != FamilyIndex::kNone) {
            s.family = family;
        } else {
            s.family = familyOfSample(s.name);
            m_out.families[s.family].sampled = true;
        }
        return valueEnd < end ? size_t(valueEnd - data) + 1 : m_text.size();
    }

    void sample(size_t i)
    {
        const size_t nameEnd = scanName(i);
        if (nameEnd == i) {
            error(i, "a sample must start with a metric name");
            return;
        }
        // Built in place: assembling it on the stack and copying it in stalls on store
        // forwarding, which cost more than the rest of the line.
        Sample &s = m_out.samples.emplace_back();
        s.name = m_line.substr(i, nameEnd - i);
        s.firstLabel = uint32_t(m_out.labels.size());
        // Blanks may stand between the name and its labels, as Prometheus' own parser allows.
        i = nameEnd;
        if (const size_t brace = skipBlanks(nameEnd); brace < m_line.size() && m_line[brace] == '{') {
            if (!labels(brace + 1, i)) {
                m_out.samples.pop_back();
                return;
            }
            s.labelCount = uint32_t(m_out.labels.size()) - s.firstLabel;
        }
        const size_t afterLabels = i;
        i = skipBlanks(i);
        if (i == afterLabels && i < m_line.size()) {
            error(i, "expected a blank or '{' after the metric name");
            reject(s);
            return;
        }
        size_t valueEnd = i;
        while (valueEnd < m_line.size() && !isBlank(m_line[valueEnd]))
            ++valueEnd;
        const std::string_view valueText = m_line.substr(i, valueEnd - i);
        const auto value = readValue(valueText);
        if (!value) {
            error(i, valueText.empty() ? "missing sample value" : invalidValueMessage(valueText));
            reject(s);
            return;
        }
        s.value = *value;
        i = skipBlanks(valueEnd);
        if (i < m_line.size()) {
            size_t tsEnd = i;
            while (tsEnd < m_line.size() && !isBlank(m_line[tsEnd]))
                ++tsEnd;
            // Prometheus' lexer takes only digits here: no sign, so no timestamp before 1970.
            int64_t ts = 0;
            const auto [ptr, ec] = std::from_chars(m_line.data() + i, m_line.data() + tsEnd, ts);
            if (ec != std::errc() || ptr != m_line.data() + tsEnd || m_line[i] < '0' || m_line[i] > '9') {
                error(i, "invalid timestamp \"" + std::string(m_line.substr(i, tsEnd - i)) + "\"");
                reject(s);
                return;
            }
            s.hasTimestamp = true;
            s.timestampMs = ts;
            if (skipBlanks(tsEnd) != m_line.size()) {
                error(tsEnd, "unexpected text after the timestamp");
                reject(s);
                return;
            }
        }
        s.family = familyOfSample(s.name);
        m_out.families[s.family].sampled = true;
    }

    /// Drops the sample being read, and its labels.
    void reject(const Sample &s)
    {
        m_out.labels.resize(s.firstLabel);
        m_out.samples.pop_back();
    }

    /// Reads `name="value",...}` from i; on success sets end past the '}'.
    bool labels(size_t i, size_t &end)
    {
        const size_t first = m_out.labels.size();
        auto fail = [&](size_t at, std::string message) {
            error(at, std::move(message));
            m_out.labels.resize(first);
            return false;
        };
        for (;;) {
            i = skipBlanks(i);
            if (i >= m_line.size())
                return fail(i, "unterminated label set: missing '}'");
            if (m_line[i] == '}') {
                end = i + 1;
                return true;
            }
            if (!isLabelStart(m_line[i]))
                return fail(i, "invalid label name");
            const size_t nameEnd = i + 1 + nameRun<false>(m_line.data() + i + 1, m_textEnd);
            Label &label = m_out.labels.emplace_back(); // in place, as samples are
            label.name = m_line.substr(i, nameEnd - i);
            i = skipBlanks(nameEnd);
            if (i >= m_line.size() || m_line[i] != '=')
                return fail(i, "expected '=' after label name " + std::string(label.name));
            i = skipBlanks(i + 1);
            if (i >= m_line.size() || m_line[i] != '"')
                return fail(i, "expected '\"' to open the value of label " + std::string(label.name));
            const size_t valueStart = ++i;
            // Most values hold no backslash: find the closing quote in one pass, and walk
            // byte by byte only when a backslash comes before it.
            const char *base = m_line.data();
            const char *stop = std::min(findEither(base + i, m_textEnd, '"', '\\'), base + m_line.size());
            if (stop < base + m_line.size() && *stop == '"') {
                i = size_t(stop - base);
            } else {
                for (;;) {
                    if (i >= m_line.size())
                        return fail(valueStart - 1, "unterminated value of label " + std::string(label.name));
                    const char c = m_line[i];
                    if (c == '"')
                        break;
                    if (c == '\\') {
                        if (i + 1 >= m_line.size()
                            || (m_line[i + 1] != '\\' && m_line[i + 1] != '"' && m_line[i + 1] != 'n'))
                            return fail(i, "invalid escape in the value of label " + std::string(label.name));
                        label.escaped = true;
                        i += 2;
                        continue;
                    }
                    ++i;
                }
            }
            label.raw = m_line.substr(valueStart, i - valueStart);
            i = skipBlanks(i + 1);
            if (i < m_line.size() && m_line[i] == ',') {
                ++i; // a trailing comma before '}' is allowed
                continue;
            }
            if (i < m_line.size() && m_line[i] == '}') {
                end = i + 1;
                return true;
            }
            return fail(i, "expected ',' or '}' after the value of label " + std::string(label.name));
        }
    }

    std::string_view m_text;
    const char *m_textEnd = m_text.data() + m_text.size();
    ParseResult &m_out;
    std::string_view m_line;
    int m_lineNo = 1;
    uint32_t m_current = UINT32_MAX;
    std::string_view m_lastHelp;
    uint32_t m_lastHelpFamily = UINT32_MAX;
    std::string_view m_lastSampleName;
    uint32_t m_lastSampleFamily = UINT32_MAX;
};

} // namespace

std::string_view typeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Histogram:
        return "histogram";
    case MetricType::Summary:
        return "summary";
    case MetricType::Untyped:
        break;
    }
    return "untyped";
}

std::string Label::value() const
{
    return escaped ? unescape(raw, true) : std::string(raw);
}

std::string Family::help() const
{
    return helpEscaped ? unescape(rawHelp, false) : std::string(rawHelp);
}

void ParseResult::clear()
{
    families.clear();
    samples.clear();
    labels.clear();
    errors.clear();
    m_familyIndex.clear();
}

std::optional<double> parseValue(std::string_view text)
{
    return readValue(text);
}

std::string formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buf[64];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, ptr);
}

void parse(std::string_view text, ParseResult &out)
{
    out.clear();
    Parser(text, out).run();
}

} // namespace PromText

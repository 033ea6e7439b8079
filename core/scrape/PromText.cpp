#include "scrape/PromText.h"

#include "scrape/PromValue.h"
#include "scrape/TextScan.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

namespace PromText {

namespace {

using namespace Scan;
using Value::invalidValueMessage;

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
        double value = 0;
        if (!Value::read(std::string_view(valueStart, size_t(valueEnd - valueStart)), value))
            return giveUp();
        Sample &s = m_out.samples.emplace_back();
        s.name = std::string_view(p, size_t(nameEnd - p));
        s.firstLabel = uint32_t(firstLabel);
        s.labelCount = uint32_t(m_out.labels.size() - firstLabel);
        s.value = value;
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
        if (!Value::read(valueText, s.value)) {
            error(i, valueText.empty() ? "missing sample value" : invalidValueMessage(valueText));
            reject(s);
            return;
        }
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

void parse(std::string_view text, ParseResult &out)
{
    out.clear();
    Parser(text, out).run();
}

} // namespace PromText

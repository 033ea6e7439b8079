// libFuzzer target for the Prometheus text parser: no byte sequence may crash it, read
// outside the payload, or produce views that point outside it; and its one-pass fast paths
// must read every input as the general path does (a blank in front of every line sends each
// line through the general path). An input short enough to be one value is also read as a
// value and checked against Go's float syntax, written out here on its own.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I core \
//       core/metrics/PromText.cpp core/metrics/FamilyIndex.cpp tests/fuzz/fuzz_promtext.cpp -o fuzz_promtext
//   ./fuzz_promtext -max_total_time=60 CORPUS_DIR tests/fuzz/corpus tests/data

#include "scrape/PromText.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void mustLieWithin(std::string_view view, std::string_view text)
{
    if (view.empty())
        return;
    if (view.data() < text.data() || view.data() + view.size() > text.data() + text.size())
        std::abort();
}

void mustAgree(bool same)
{
    if (!same)
        std::abort();
}

std::string indented(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8 + 1);
    out += ' ';
    for (char c : text) {
        out += c;
        if (c == '\n')
            out += ' ';
    }
    return out;
}

std::string labelsOf(const PromText::ParseResult &r, const PromText::Sample &s)
{
    std::string out;
    for (uint32_t i = 0; i < s.labelCount; ++i) {
        const PromText::Label &l = r.labelsOf(s)[i];
        out.append(l.name).append("=").append(l.value()).append(";");
    }
    return out;
}

void compareWithGeneralPath(std::string_view text, const PromText::ParseResult &fast)
{
    const std::string slow = indented(text);
    static PromText::ParseResult general;
    PromText::parse(slow, general);
    mustAgree(fast.samples.size() == general.samples.size());
    for (size_t i = 0; i < fast.samples.size(); ++i) {
        const PromText::Sample &a = fast.samples[i];
        const PromText::Sample &b = general.samples[i];
        mustAgree(a.name == b.name && a.family == b.family && a.hasTimestamp == b.hasTimestamp
            && a.timestampMs == b.timestampMs && std::memcmp(&a.value, &b.value, sizeof a.value) == 0
            && labelsOf(fast, a) == labelsOf(general, b));
    }
    mustAgree(fast.families.size() == general.families.size());
    for (size_t i = 0; i < fast.families.size(); ++i) {
        const PromText::Family &a = fast.families[i];
        const PromText::Family &b = general.families[i];
        mustAgree(a.name == b.name && a.type == b.type && a.typed == b.typed && a.sampled == b.sampled
            && a.help() == b.help());
    }
    mustAgree(fast.errors.size() == general.errors.size());
    for (size_t i = 0; i < fast.errors.size(); ++i)
        mustAgree(fast.errors[i].line == general.errors[i].line && fast.errors[i].message == general.errors[i].message);
}

/// What Prometheus accepts as a value, spelled out apart from the parser: Go's ParseFloat
/// syntax without 'p', 'P' or '_', which leaves [+-]?(D+(.D*)?|.D+)([eE][+-]?D+)?, Inf or
/// Infinity with an optional sign, and NaN without one, in any letter case.
bool prometheusValueSyntax(std::string_view s)
{
    size_t i = 0;
    const bool sign = !s.empty() && (s[0] == '+' || s[0] == '-');
    i += sign;
    std::string word;
    for (size_t k = i; k < s.size(); ++k)
        word += char(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + ('a' - 'A') : s[k]);
    if (word == "inf" || word == "infinity")
        return true;
    if (word == "nan")
        return !sign;
    auto digits = [&] {
        size_t n = 0;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
            ++n;
        return n;
    };
    size_t mantissa = digits();
    if (i < s.size() && s[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (digits() == 0)
            return false;
    }
    return i == s.size();
}

/// A well-formed value reads as strtod reads it (correctly rounded, as Go's ParseFloat), except
/// that a decimal overflowing to infinity is refused; anything else is refused.
void checkValue(std::string_view text)
{
    const auto value = PromText::parseValue(text);
    if (!prometheusValueSyntax(text)) {
        mustAgree(!value);
        return;
    }
    const double want = std::strtod(std::string(text).c_str(), nullptr);
    const size_t first = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
    const bool decimal = text[first] == '.' || (text[first] >= '0' && text[first] <= '9');
    if (decimal && std::isinf(want)) {
        mustAgree(!value);
        return;
    }
    mustAgree(value.has_value());
    mustAgree(std::isnan(want) ? std::isnan(*value) : std::memcmp(&*value, &want, sizeof want) == 0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    static PromText::ParseResult result; // reused, as the scraper reuses it
    PromText::parse(text, result);
    for (const PromText::Family &f : result.families) {
        mustLieWithin(f.name, text);
        mustLieWithin(f.rawHelp, text);
        (void)f.help();
    }
    for (const PromText::Sample &s : result.samples) {
        mustLieWithin(s.name, text);
        if (s.family >= result.families.size() || size_t(s.firstLabel) + s.labelCount > result.labels.size())
            std::abort();
        const auto back = PromText::parseValue(PromText::formatValue(s.value));
        if (!back)
            std::abort();
    }
    for (const PromText::Label &l : result.labels) {
        mustLieWithin(l.name, text);
        mustLieWithin(l.raw, text);
        (void)l.value();
    }
    compareWithGeneralPath(text, result);
    if (size <= 64)
        checkValue(text);
    return 0;
}

// libFuzzer target for the Prometheus text parser: no byte sequence may crash it, read
// outside the payload, or produce views that point outside it; and its one-pass fast paths
// must read every input as the general path does (a blank in front of every line sends each
// line through the general path).
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I core \
//       core/metrics/PromText.cpp core/metrics/FamilyIndex.cpp tests/fuzz/fuzz_promtext.cpp -o fuzz_promtext
//   ./fuzz_promtext -max_total_time=60 CORPUS_DIR tests/fuzz/corpus tests/data

#include "metrics/PromText.h"

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
    return 0;
}

// libFuzzer target for the Prometheus text parser: no byte sequence may crash it, read
// outside the payload, or produce views that point outside it.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I core \
//       core/metrics/PromText.cpp tests/fuzz/fuzz_promtext.cpp -o fuzz_promtext
//   ./fuzz_promtext -max_total_time=60 CORPUS_DIR tests/fuzz/corpus tests/data

#include "metrics/PromText.h"

#include <cstdlib>

namespace {

void mustLieWithin(std::string_view view, std::string_view text)
{
    if (view.empty())
        return;
    if (view.data() < text.data() || view.data() + view.size() > text.data() + text.size())
        std::abort();
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
    return 0;
}

#include "scrape/ScrapeIngest.h"

#include "tsdb/ScrapeAppender.h"

#include <vector>

namespace ScrapeIngest {

int append(SeriesStore &store, const std::string &instance, int64_t timestampMs, const PromText::ParseResult &scrape)
{
    std::vector<size_t> timed;
    int stored = 0;
    {
        ScrapeAppender appender(store, instance, timestampMs);
        for (size_t i = 0; i < scrape.samples.size(); ++i) {
            const PromText::Sample &sample = scrape.samples[i];
            if (sample.hasTimestamp) {
                timed.push_back(i); // after the scrape's own samples, which share its time
                continue;
            }
            // The sample's name and labels as written: equal text, same series.
            const char *end = sample.name.data() + sample.name.size();
            if (sample.labelCount > 0) {
                const PromText::Label &lastLabel = scrape.labelsOf(sample)[sample.labelCount - 1];
                end = lastLabel.raw.data() + lastLabel.raw.size();
            }
            const std::string_view spelling(sample.name.data(), size_t(end - sample.name.data()));
            appender.add(sample.name, spelling, sample.value, [&](SeriesLabels &labels) {
                for (uint32_t l = 0; l < sample.labelCount; ++l) {
                    const PromText::Label &label = scrape.labelsOf(sample)[l];
                    labels.emplace_back(std::string(label.name), label.value());
                }
            });
        }
        for (size_t i : timed) {
            const PromText::Sample &sample = scrape.samples[i];
            SeriesLabels labels;
            for (uint32_t l = 0; l < sample.labelCount; ++l) {
                const PromText::Label &label = scrape.labelsOf(sample)[l];
                labels.emplace_back(std::string(label.name), label.value());
            }
            appender.addTimed(sample.name, std::move(labels), sample.timestampMs, sample.value);
        }
        stored = appender.stored();
    }
    return stored;
}

} // namespace ScrapeIngest

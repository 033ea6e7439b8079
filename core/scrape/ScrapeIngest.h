#pragma once

#include "scrape/PromText.h"

#include <cstdint>
#include <string>

class SeriesStore;

/// Where a parsed payload meets the store: the text format stays on this side.
namespace ScrapeIngest {

/// Appends one parsed scrape of one target, every sample at timestampMs (or at its own
/// timestamp when the payload gives one). Returns the number of samples stored.
int append(SeriesStore &store, const std::string &instance, int64_t timestampMs, const PromText::ParseResult &scrape);

} // namespace ScrapeIngest

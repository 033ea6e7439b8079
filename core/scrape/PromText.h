#pragma once

#include "scrape/FamilyIndex.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Prometheus text exposition format 0.0.4: the parsed form of one payload. Names, help
/// texts and label values are views into the payload (which must outlive the result); a
/// label value or help text that contains escapes is decoded only when asked for.
namespace PromText {

enum class MetricType { Untyped, Counter, Gauge, Histogram, Summary };
std::string_view typeName(MetricType type);

struct Label {
    std::string_view name;
    std::string_view raw; ///< as written, between the quotes
    bool escaped = false; ///< raw holds \\, \" or \n

    std::string value() const; ///< decoded
};

struct Family {
    std::string_view name;
    MetricType type = MetricType::Untyped;
    std::string_view rawHelp;
    bool helpEscaped = false;
    bool typed = false; ///< a TYPE line was seen (else the type is implied: untyped)
    bool sampled = false; ///< a sample of it was read

    std::string help() const; ///< decoded
};

struct Sample {
    std::string_view name;
    uint32_t firstLabel = 0; ///< index into ParseResult::labels
    uint32_t labelCount = 0;
    uint32_t family = 0; ///< index into ParseResult::families
    double value = 0;
    bool hasTimestamp = false;
    int64_t timestampMs = 0;
};

struct ParseError {
    int line = 0; ///< 1-based
    int column = 0; ///< 1-based, in bytes
    std::string message;
};

/// Reusable: parse() clears it but keeps the vectors' and the family index's capacity, so
/// parsing payload after payload allocates nothing once they have grown.
struct ParseResult {
    std::vector<Family> families;
    std::vector<Sample> samples;
    std::vector<Label> labels;
    std::vector<ParseError> errors;

    void clear();
    /// The labels of one sample.
    const Label *labelsOf(const Sample &s) const { return labels.data() + s.firstLabel; }

    /// Family name -> index, kept here so that its table is reused between parses.
    FamilyIndex &familyIndex() { return m_familyIndex; }

private:
    FamilyIndex m_familyIndex;
};

/// Parses a whole payload. Never throws and never reads outside `text`; a malformed line
/// becomes an error naming line and column, and parsing goes on with the next line.
void parse(std::string_view text, ParseResult &out);

/// Parses a sample value as Prometheus does (Go's strconv.ParseFloat, refusing 'p', 'P' and
/// '_'): decimal floats with an optional sign, '.' and exponent; Inf and Infinity with an
/// optional sign and NaN without one, in any letter case. No hexadecimal floats, and nothing
/// that overflows a double.
std::optional<double> parseValue(std::string_view text);

/// "NaN", "+Inf", "-Inf", or the shortest decimal that reads back to the same double.
std::string formatValue(double value);

} // namespace PromText

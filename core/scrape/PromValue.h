#pragma once

// Sample values as Prometheus reads them; internal to scrape/ (PromText.h has the public
// parseValue and formatValue).

#include <cstdint>
#include <string>
#include <string_view>

namespace PromText::Value {

/// A value that is not a plain whole number (see PromValue.cpp), into out; false when it is
/// not a value. Not inlined: most samples never get here, and the readers that inline read()
/// stay small.
[[gnu::noinline]] bool readOtherValue(std::string_view text, double &out);

/// "invalid sample value \"x\"", with the reason when there is one (hexadecimal, '_', a
/// signed NaN, out of range).
std::string invalidValueMessage(std::string_view text);

/// Decimal or exponent floats, Inf and Infinity with an optional sign, NaN without one (any
/// case), as Prometheus accepts them, into out; false when text is not a value. Inline,
/// because most samples are whole numbers: up to 15 digits convert exactly here, without a
/// call.
///
/// A flag and an out-parameter rather than std::optional<double>: the optional came back in
/// two registers, went to the stack as a double and a flag and was read back as one 16-byte
/// load, which stalls on store forwarding (the hottest instruction in perf annotate of
/// bench_promtext; the parser's wall time moved within the benchmark's noise).
inline bool read(std::string_view text, double &out)
{
    if (text.empty())
        return false;
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
        if (k == body.size()) {
            out = negative ? -double(whole) : double(whole);
            return true;
        }
    }
    return readOtherValue(text, out);
}

} // namespace PromText::Value

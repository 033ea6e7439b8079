#include "scrape/PromValue.h"

#include "scrape/PromText.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

namespace PromText::Value {

namespace {

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

} // namespace

/// A value that is not a plain whole number, read as Prometheus reads it: Go's
/// strconv.ParseFloat behind a check that turns away any 'p', 'P' or '_'. That leaves
/// decimal floats (leading or trailing '.', an optional exponent), Inf and Infinity with an
/// optional sign, and NaN without one, in any letter case. Hexadecimal floats never pass:
/// Go requires their 'p' exponent, which the check refuses. A decimal that overflows is an
/// error in Go, so the sample is dropped; one that underflows rounds to zero or a subnormal.
bool readOtherValue(std::string_view text, double &out)
{
    const auto [negative, body] = splitSign(text);
    if (equalsIgnoreCase(body, "inf") || equalsIgnoreCase(body, "infinity")) {
        out = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        return true;
    }
    if (equalsIgnoreCase(body, "nan")) {
        out = std::numeric_limits<double>::quiet_NaN();
        return body.size() == text.size();
    }
    // from_chars also takes "nan(...)", "inf" and "infinity" prefixes and a second sign; Go
    // takes none of them, and its decimals always begin with a digit or a '.'.
    if (body.empty() || !((body.front() >= '0' && body.front() <= '9') || body.front() == '.'))
        return false;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
    if (ptr != body.data() + body.size())
        return false; // hexadecimal, '_', an exponent without digits, trailing text
    if (ec == std::errc::result_out_of_range) {
        // from_chars reports underflow too, but yields no value: strtod rounds as Go does.
        v = std::strtod(std::string(body).c_str(), nullptr);
        if (std::isinf(v))
            return false;
    } else if (ec != std::errc()) {
        return false;
    }
    out = negative ? -v : v;
    return true;
}

namespace {

/// Why read() turned `text` away, as a clause for the error message, or empty when
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

} // namespace

std::string invalidValueMessage(std::string_view text)
{
    std::string message = "invalid sample value \"" + std::string(text) + "\"";
    if (const std::string_view reason = rejectionReason(text); !reason.empty())
        message.append(": ").append(reason);
    return message;
}

} // namespace PromText::Value

namespace PromText {

std::optional<double> parseValue(std::string_view text)
{
    double value = 0;
    if (!Value::read(text, value))
        return std::nullopt;
    return value;
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

} // namespace PromText

#pragma once

#include "common/Result.h"

#include <QString>

/// The times and steps the metrics and alerts commands take, as operators write them.
namespace TimeSpec {

/// RFC 3339 (2026-12-06T10:00:00Z), unix seconds (1733479200 or 1733479200.5), `now`, or a
/// duration relative to now (`-30s`, `-2h`, `+5m`, `now-1h`). Milliseconds since the epoch.
Result<qint64> parseTime(const QString &text, qint64 nowMs);
/// A duration (`15s`, `1m30s`, `500ms`) or a number of seconds (`15`, `0.5`). Milliseconds,
/// above zero.
Result<qint64> parseStep(const QString &text);
/// Milliseconds since the epoch as Prometheus' API takes a time: seconds with up to three
/// decimals.
QString apiTime(qint64 ms);

} // namespace TimeSpec

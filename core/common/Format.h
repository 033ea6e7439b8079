#pragma once

#include <QString>

/// Human-readable sizes and durations, shared by the CLI tables and the window.
namespace Format {

/// "0 B", "512 B", "1.5 KiB", "20 MiB", "2.0 GiB".
QString bytes(qint64 value);
/// "0.42 ms", "12 ms", "1.2 s".
QString millis(double ms);
/// "1 member", "3 members": a count with its noun in the right number.
QString count(qint64 n, const QString &one, const QString &many);
/// Parses "16MiB", "16MB", "2GiB", "1048576"; -1 when unreadable.
qint64 parseBytes(const QString &text);

} // namespace Format

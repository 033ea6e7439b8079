#pragma once

#include <QByteArray>
#include <QString>

/// How the keyspace view shows a value: as text, as indented JSON, or as a hex dump. Pure
/// functions; nothing here changes a value.
namespace ValueFormat {

enum class Kind { Text, Json, Hex };

/// The way a value reads best: JSON when it parses as an object or array, text when it is
/// UTF-8 without control characters (other than tab and line breaks), else hex.
Kind guess(const QByteArray &value);
/// value as kind; JSON that does not parse, or text that is not UTF-8, comes back as a sentence
/// saying so.
QString render(const QByteArray &value, Kind kind);
/// 16 bytes a line: offset, the bytes in hex, and the printable ones.
QString hexDump(const QByteArray &value, qsizetype maxBytes = 64 * 1024);

} // namespace ValueFormat

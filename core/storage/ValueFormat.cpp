#include "storage/ValueFormat.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>
#include <optional>

namespace ValueFormat {

namespace {

std::optional<QString> utf8Text(const QByteArray &value)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(value);
    if (utf8.hasError())
        return std::nullopt;
    for (QChar c : text)
        if (c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\r') && c != QLatin1Char('\t'))
            return std::nullopt;
    return text;
}

} // namespace

Kind guess(const QByteArray &value)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(value, &error);
    if (error.error == QJsonParseError::NoError && (doc.isObject() || doc.isArray()))
        return Kind::Json;
    return utf8Text(value) ? Kind::Text : Kind::Hex;
}

QString render(const QByteArray &value, Kind kind)
{
    switch (kind) {
    case Kind::Json: {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(value, &error);
        if (error.error != QJsonParseError::NoError)
            return QStringLiteral("(not JSON: %1 at byte %2)").arg(error.errorString()).arg(error.offset);
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    }
    case Kind::Text:
        if (const auto text = utf8Text(value))
            return *text;
        return QStringLiteral("(not text: the value holds bytes that are not printable UTF-8; see Hex)");
    case Kind::Hex:
        return hexDump(value);
    }
    return {};
}

QString hexDump(const QByteArray &value, qsizetype maxBytes)
{
    QString out;
    const qsizetype shown = qMin(value.size(), maxBytes);
    for (qsizetype line = 0; line < shown; line += 16) {
        out += QStringLiteral("%1  ").arg(line, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (qsizetype i = line; i < line + 16; ++i) {
            if (i < shown) {
                const auto b = uchar(value.at(i));
                out += QStringLiteral("%1 ").arg(b, 2, 16, QLatin1Char('0'));
                ascii += b >= 0x20 && b < 0x7f ? QLatin1Char(char(b)) : QLatin1Char('.');
            } else {
                out += QStringLiteral("   ");
            }
            if (i == line + 7)
                out += QLatin1Char(' ');
        }
        out += QStringLiteral(" %1\n").arg(ascii);
    }
    if (shown < value.size())
        out += QStringLiteral("… %1 more bytes not shown\n").arg(value.size() - shown);
    return out;
}

} // namespace ValueFormat

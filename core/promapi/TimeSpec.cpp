#include "promapi/TimeSpec.h"

#include <QDateTime>
#include <QRegularExpression>

namespace TimeSpec {

namespace {

/// 1h30m, 15s, 500ms, 2d: units from milliseconds to weeks, each at most once, in order.
std::optional<qint64> durationMs(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$"));
    const QRegularExpressionMatch m = re.match(text);
    if (text.isEmpty() || !m.hasMatch())
        return std::nullopt;
    static const qint64 units[] = {7 * 86400000LL, 86400000LL, 3600000LL, 60000LL, 1000LL, 1LL};
    qint64 total = 0;
    for (int i = 0; i < 6; ++i)
        total += m.captured(i + 1).toLongLong() * units[i];
    return total;
}

} // namespace

Result<qint64> parseTime(const QString &raw, qint64 nowMs)
{
    const QString text = raw.trimmed();
    if (text == QLatin1String("now"))
        return nowMs;
    QString relative = text;
    if (relative.startsWith(QLatin1String("now")))
        relative = relative.mid(3);
    if (relative.startsWith(QLatin1Char('-')) || relative.startsWith(QLatin1Char('+'))) {
        if (const auto ms = durationMs(relative.mid(1)))
            return relative.startsWith(QLatin1Char('-')) ? nowMs - *ms : nowMs + *ms;
    }
    bool isNumber = false;
    const double seconds = text.toDouble(&isNumber);
    if (isNumber && seconds >= 0)
        return qint64(seconds * 1000 + 0.5);
    const QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (t.isValid()
        && (text.endsWith(QLatin1Char('Z')) || text.contains(QLatin1Char('+')) || text.count(QLatin1Char('-')) > 2))
        return t.toMSecsSinceEpoch();
    return Error::invalid(QStringLiteral("\"%1\" is not a time: write RFC 3339 (2026-12-06T10:00:00Z), unix "
                                         "seconds, now, or a time relative to now such as -30s or -2h")
                              .arg(raw));
}

Result<qint64> parseStep(const QString &raw)
{
    const QString text = raw.trimmed();
    bool isNumber = false;
    const double seconds = text.toDouble(&isNumber);
    if (isNumber && seconds > 0)
        return qint64(seconds * 1000 + 0.5);
    if (const auto ms = durationMs(text); ms && *ms > 0)
        return *ms;
    return Error::invalid(
        QStringLiteral("\"%1\" is not a step: write a duration such as 15s or 1m, or a number of seconds").arg(raw));
}

QString apiTime(qint64 ms)
{
    if (ms % 1000 == 0)
        return QString::number(ms / 1000);
    return QString::number(double(ms) / 1000.0, 'f', 3);
}

} // namespace TimeSpec

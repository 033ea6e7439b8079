#include "common/Format.h"

#include <QRegularExpression>

namespace Format {

QString count(qint64 n, const QString &one, const QString &many)
{
    return QString::number(n) + QLatin1Char(' ') + (n == 1 ? one : many);
}

QString bytes(qint64 value)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(value);
    int unit = 0;
    while (std::abs(v) >= 1024 && unit < 4) {
        v /= 1024;
        ++unit;
    }
    if (unit == 0)
        return QStringLiteral("%1 B").arg(value);
    return QStringLiteral("%1 %2").arg(v, 0, 'f', v < 10 ? 1 : 0).arg(QLatin1String(units[unit]));
}

QString millis(double ms)
{
    if (ms < 10)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', 2);
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', 0);
    return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 1);
}

qint64 parseBytes(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([KMGT]?i?B?)\\s*$"), QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    const double n = m.captured(1).toDouble();
    const QString unit = m.captured(2).toUpper();
    const bool binary = unit.contains(QLatin1Char('I')) || unit.size() == 1;
    const double base = binary ? 1024.0 : 1000.0;
    double factor = 1;
    if (unit.startsWith(QLatin1Char('K')))
        factor = base;
    else if (unit.startsWith(QLatin1Char('M')))
        factor = base * base;
    else if (unit.startsWith(QLatin1Char('G')))
        factor = base * base * base;
    else if (unit.startsWith(QLatin1Char('T')))
        factor = base * base * base * base;
    return qint64(n * factor);
}

} // namespace Format

#include "demo/NetworkFault.h"

#include <QStringList>

QString NetworkFault::describe() const
{
    if (isolated)
        return QStringLiteral("isolated");
    QStringList parts;
    if (delayMs > 0 || jitterMs > 0)
        parts << (jitterMs > 0 ? QStringLiteral("delay %1±%2 ms").arg(delayMs).arg(jitterMs)
                               : QStringLiteral("delay %1 ms").arg(delayMs));
    if (dropPercent > 0)
        parts << QStringLiteral("drop %1 %").arg(dropPercent);
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

QJsonObject NetworkFault::toJson() const
{
    return {{QStringLiteral("isolated"), isolated}, {QStringLiteral("delayMs"), delayMs},
        {QStringLiteral("jitterMs"), jitterMs}, {QStringLiteral("dropPercent"), dropPercent},
        {QStringLiteral("description"), describe()}};
}

NetworkFault NetworkFault::fromJson(const QJsonObject &o)
{
    NetworkFault f;
    f.isolated = o.value(QStringLiteral("isolated")).toBool();
    f.delayMs = o.value(QStringLiteral("delayMs")).toInt();
    f.jitterMs = o.value(QStringLiteral("jitterMs")).toInt();
    f.dropPercent = o.value(QStringLiteral("dropPercent")).toInt();
    return f;
}

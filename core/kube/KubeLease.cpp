#include "kube/KubeLease.h"

namespace {

/// MicroTime: RFC 3339 with microseconds ("2024-05-01T10:00:00.123456Z"); Qt keeps milliseconds.
QDateTime microTime(const QJsonValue &v)
{
    QString text = v.toString();
    if (text.isEmpty())
        return {};
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        qsizetype end = dot + 1;
        while (end < text.size() && text[end].isDigit())
            ++end;
        text = text.left(dot) + text.mid(dot, std::min<qsizetype>(end - dot, 4)) + text.mid(end);
    }
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : t;
}

} // namespace

KubeLease KubeLease::fromJson(const QJsonObject &lease)
{
    KubeLease l;
    l.name = lease[QStringLiteral("metadata")][QStringLiteral("name")].toString();
    const QJsonObject spec = lease[QStringLiteral("spec")].toObject();
    l.holder = spec[QStringLiteral("holderIdentity")].toString();
    l.acquireTime = microTime(spec[QStringLiteral("acquireTime")]);
    l.renewTime = microTime(spec[QStringLiteral("renewTime")]);
    l.leaseDurationSeconds = spec[QStringLiteral("leaseDurationSeconds")].toInt();
    l.transitions = spec[QStringLiteral("leaseTransitions")].toInt();
    return l;
}

QString KubeLease::holderNode() const
{
    const qsizetype underscore = holder.lastIndexOf(QLatin1Char('_'));
    return underscore > 0 ? holder.left(underscore) : holder;
}

bool KubeLease::isStale(const QDateTime &now) const
{
    if (holder.isEmpty() || !renewTime.isValid())
        return true;
    return renewTime.addSecs(leaseDurationSeconds) < now;
}

QJsonObject KubeLease::toJson(const QDateTime &now) const
{
    auto time
        = [](const QDateTime &t) { return t.isValid() ? QJsonValue(t.toString(Qt::ISODateWithMs)) : QJsonValue(); };
    return {{QStringLiteral("name"), name},
        {QStringLiteral("holder"), holder.isEmpty() ? QJsonValue() : QJsonValue(holder)},
        {QStringLiteral("acquireTime"), time(acquireTime)}, {QStringLiteral("renewTime"), time(renewTime)},
        {QStringLiteral("leaseDurationSeconds"), leaseDurationSeconds}, {QStringLiteral("transitions"), transitions},
        {QStringLiteral("stale"), isStale(now)}};
}

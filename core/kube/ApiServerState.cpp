#include "kube/ApiServerState.h"

#include <QJsonArray>

QJsonObject ApiServerState::toJson() const
{
    QStringList failed = ready.failedChecks;
    for (const QString &check : live.failedChecks) {
        if (!failed.contains(check))
            failed << check;
    }
    auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    QJsonObject o {{QStringLiteral("address"), address}, {QStringLiteral("live"), error.isEmpty() && live.ok},
        {QStringLiteral("ready"), error.isEmpty() && ready.ok},
        {QStringLiteral("failedChecks"), QJsonArray::fromStringList(failed)},
        {QStringLiteral("version"), orNull(version)},
        {QStringLiteral("certExpiry"),
            certExpiry.isValid() ? QJsonValue(certExpiry.toString(Qt::ISODate)) : QJsonValue()},
        {QStringLiteral("viaLoadBalancer"), viaLoadBalancer},
        {QStringLiteral("responseMs"), responseMs >= 0 ? QJsonValue(responseMs) : QJsonValue()},
        {QStringLiteral("error"), orNull(error)}};
    if (!lbStatus.isEmpty()) {
        o.insert(QStringLiteral("lbServer"), orNull(lbServer));
        o.insert(QStringLiteral("lbStatus"), lbStatus);
        o.insert(QStringLiteral("drift"), orNull(drift));
    }
    return o;
}

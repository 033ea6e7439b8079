#include "kube/ApiServerEndpoints.h"

#include <QJsonArray>

QStringList ApiServerEndpoints::addresses(const QList<QJsonObject> &slices, bool readyOnly)
{
    QStringList out;
    for (const QJsonObject &slice : slices) {
        const bool v6 = slice[QStringLiteral("addressType")].toString() == QLatin1String("IPv6");
        QList<int> ports;
        for (const QJsonValue &p : slice[QStringLiteral("ports")].toArray()) {
            if (p[QStringLiteral("port")].isDouble())
                ports << p[QStringLiteral("port")].toInt();
        }
        for (const QJsonValue &e : slice[QStringLiteral("endpoints")].toArray()) {
            // A missing ready condition means ready, as the API reference says.
            const QJsonValue ready = e[QStringLiteral("conditions")][QStringLiteral("ready")];
            if (readyOnly && ready.isBool() && !ready.toBool())
                continue;
            for (const QJsonValue &a : e[QStringLiteral("addresses")].toArray()) {
                const QString host = v6 ? QStringLiteral("[%1]").arg(a.toString()) : a.toString();
                for (int port : std::as_const(ports)) {
                    const QString address = QStringLiteral("%1:%2").arg(host).arg(port);
                    if (!out.contains(address))
                        out << address;
                }
            }
        }
    }
    out.sort();
    return out;
}

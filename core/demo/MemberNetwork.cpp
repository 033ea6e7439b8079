#include "demo/MemberNetwork.h"

QString MemberNetwork::state() const
{
    if (fault.isolated)
        return QStringLiteral("isolated");
    return fault.any() ? QStringLiteral("impaired") : QStringLiteral("ok");
}

QJsonObject MemberNetwork::toJson() const
{
    QJsonObject o = fault.toJson();
    o.insert(QStringLiteral("name"), member);
    o.insert(QStringLiteral("state"), state());
    o.insert(QStringLiteral("proxy"), QStringLiteral("127.0.0.1:%1").arg(proxyPort));
    o.insert(QStringLiteral("target"), QStringLiteral("127.0.0.1:%1").arg(targetPort));
    o.insert(QStringLiteral("connections"), connections);
    o.insert(QStringLiteral("bytesForwarded"), bytesForwarded);
    o.insert(QStringLiteral("chunksDropped"), chunksDropped);
    return o;
}

MemberNetwork MemberNetwork::fromJson(const QJsonObject &o)
{
    MemberNetwork m;
    m.member = o.value(QStringLiteral("name")).toString();
    m.fault = NetworkFault::fromJson(o);
    m.proxyPort = quint16(o.value(QStringLiteral("proxy")).toString().section(QLatin1Char(':'), -1).toUInt());
    m.targetPort = quint16(o.value(QStringLiteral("target")).toString().section(QLatin1Char(':'), -1).toUInt());
    m.connections = o.value(QStringLiteral("connections")).toInt();
    m.bytesForwarded = qint64(o.value(QStringLiteral("bytesForwarded")).toDouble());
    m.chunksDropped = qint64(o.value(QStringLiteral("chunksDropped")).toDouble());
    return m;
}

QList<MemberNetwork> MemberNetwork::listFromJson(const QJsonArray &members)
{
    QList<MemberNetwork> out;
    for (const QJsonValue &v : members)
        out << fromJson(v.toObject());
    return out;
}

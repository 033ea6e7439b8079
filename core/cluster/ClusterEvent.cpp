#include "cluster/ClusterEvent.h"

#include "common/MemberId.h"

#include <QDateTime>

namespace {

constexpr std::pair<ClusterEvent::Type, const char *> kNames[] = {
    {ClusterEvent::Type::LeaderChanged, "LeaderChanged"},
    {ClusterEvent::Type::LeaderLost, "LeaderLost"},
    {ClusterEvent::Type::QuorumLost, "QuorumLost"},
    {ClusterEvent::Type::QuorumRestored, "QuorumRestored"},
    {ClusterEvent::Type::MemberUnreachable, "MemberUnreachable"},
    {ClusterEvent::Type::MemberRecovered, "MemberRecovered"},
    {ClusterEvent::Type::MemberAdded, "MemberAdded"},
    {ClusterEvent::Type::MemberRemoved, "MemberRemoved"},
    {ClusterEvent::Type::MemberPromoted, "MemberPromoted"},
    {ClusterEvent::Type::TermChanged, "TermChanged"},
    {ClusterEvent::Type::AlarmRaised, "AlarmRaised"},
    {ClusterEvent::Type::AlarmCleared, "AlarmCleared"},
    {ClusterEvent::Type::LbDriftStarted, "LbDriftStarted"},
    {ClusterEvent::Type::LbDriftEnded, "LbDriftEnded"},
    {ClusterEvent::Type::ElectionsUnseen, "ElectionsUnseen"},
    {ClusterEvent::Type::BackupOverdue, "BackupOverdue"},
    {ClusterEvent::Type::BackupCurrent, "BackupCurrent"},
    {ClusterEvent::Type::AlertPending, "AlertPending"},
    {ClusterEvent::Type::AlertFiring, "AlertFiring"},
    {ClusterEvent::Type::AlertResolved, "AlertResolved"},
    {ClusterEvent::Type::ComponentLeaderChanged, "ComponentLeaderChanged"},
    {ClusterEvent::Type::ComponentLeaseStale, "ComponentLeaseStale"},
};

QString idText(uint64_t id)
{
    return id ? MemberId::toHex(id) : QString();
}

uint64_t idFrom(const QJsonValue &v)
{
    return MemberId::fromHex(v.toString()).value_or(0);
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

QString ClusterEvent::typeName(Type type)
{
    for (const auto &[t, name] : kNames) {
        if (t == type)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<ClusterEvent::Type> ClusterEvent::typeFromName(const QString &name)
{
    for (const auto &[t, n] : kNames) {
        if (name == QLatin1String(n))
            return t;
    }
    return std::nullopt;
}

QJsonObject ClusterEvent::toJson() const
{
    QJsonObject o {
        {QStringLiteral("time"), isoTime(timeMs)},
        {QStringLiteral("type"), typeName(type)},
        {QStringLiteral("member"), idText(member)},
        {QStringLiteral("from"), idText(from)},
        {QStringLiteral("to"), idText(to)},
        {QStringLiteral("term"), qint64(term)},
        {QStringLiteral("detail"), detail},
        {QStringLiteral("requested"), requested},
    };
    if (unseenElections > 0) {
        o.insert(QStringLiteral("since"), isoTime(sinceMs));
        o.insert(QStringLiteral("unseenElections"), unseenElections);
    }
    return o;
}

std::optional<ClusterEvent> ClusterEvent::fromJson(const QJsonObject &o)
{
    const auto type = typeFromName(o.value(QStringLiteral("type")).toString());
    const QDateTime time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    if (!type || !time.isValid())
        return std::nullopt;
    ClusterEvent e;
    e.type = *type;
    e.timeMs = time.toMSecsSinceEpoch();
    e.member = idFrom(o.value(QStringLiteral("member")));
    e.from = idFrom(o.value(QStringLiteral("from")));
    e.to = idFrom(o.value(QStringLiteral("to")));
    e.term = uint64_t(o.value(QStringLiteral("term")).toInteger());
    e.detail = o.value(QStringLiteral("detail")).toString();
    e.requested = o.value(QStringLiteral("requested")).toBool();
    e.unseenElections = std::max(0, o.value(QStringLiteral("unseenElections")).toInt());
    const QDateTime since = QDateTime::fromString(o.value(QStringLiteral("since")).toString(), Qt::ISODateWithMs);
    if (e.unseenElections > 0 && since.isValid())
        e.sinceMs = since.toMSecsSinceEpoch();
    return e;
}

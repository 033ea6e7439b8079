#include "storage/MemberStorage.h"

#include "common/Format.h"
#include "common/MemberId.h"

#include <QJsonArray>
#include <algorithm>

double MemberStorage::fragmentation() const
{
    if (dbSize <= 0)
        return 0.0;
    // In use can briefly exceed the size between etcd's two readings; never report < 0.
    return std::clamp(1.0 - double(dbSizeInUse) / double(dbSize), 0.0, 1.0);
}

int64_t MemberStorage::headroom() const
{
    return quota > 0 ? quota - dbSize : 0;
}

double MemberStorage::quotaUsedFraction() const
{
    return quota > 0 ? double(dbSize) / double(quota) : 0.0;
}

QJsonObject MemberStorage::toJson() const
{
    QJsonObject o {
        {QStringLiteral("id"), MemberId::toHex(id)},
        {QStringLiteral("name"), name},
        {QStringLiteral("leader"), isLeader},
        {QStringLiteral("reachable"), reachable},
        {QStringLiteral("dbSize"), qint64(dbSize)},
        {QStringLiteral("dbSizeInUse"), qint64(dbSizeInUse)},
        {QStringLiteral("quota"), quota > 0 ? QJsonValue(qint64(quota)) : QJsonValue()},
        {QStringLiteral("headroom"), quota > 0 ? QJsonValue(qint64(headroom())) : QJsonValue()},
        {QStringLiteral("fragmentation"), fragmentation()},
        {QStringLiteral("alarms"), QJsonArray::fromStringList(alarms)},
    };
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    if (!quotaError.isEmpty())
        o.insert(QStringLiteral("quotaError"), quotaError);
    if (volume.known) {
        o.insert(QStringLiteral("fsCapacity"), volume.fsCapacity);
        o.insert(QStringLiteral("fsFree"), volume.fsFree);
        o.insert(QStringLiteral("walBytes"), volume.walBytes);
        o.insert(QStringLiteral("snapBytes"), volume.snapBytes);
    } else if (!volume.error.isEmpty()) {
        // A demo member whose data directory could not be read: the keys are there, unknown.
        for (const char *key : {"fsCapacity", "fsFree", "walBytes", "snapBytes"})
            o.insert(QLatin1String(key), QJsonValue());
        o.insert(QStringLiteral("volumeError"), volume.error);
    }
    return o;
}

QString describeStorage(const MemberStorage &m)
{
    QString s = QStringLiteral("%1 % fragmented").arg(qRound(m.fragmentation() * 100));
    if (m.quota > 0)
        s += QStringLiteral(" · %1 of %2 quota (%3 %)")
                 .arg(Format::bytes(m.dbSize), Format::bytes(m.quota))
                 .arg(qRound(m.quotaUsedFraction() * 100));
    else
        s += QStringLiteral(" · %1").arg(Format::bytes(m.dbSize));
    return s;
}

#pragma once

#include "storage/LocalVolume.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <cstdint>

/// One member's storage as the console reads it: its database (bbolt) size and how much of
/// it is in use, the backend quota, the alarms it raised, and for a local demo member the
/// disk under its data directory.
struct MemberStorage {
    uint64_t id = 0;
    QString name;
    bool isLeader = false;
    bool reachable = false;
    QString error; ///< why the member did not answer
    int64_t dbSize = 0; ///< bytes allocated on disk
    int64_t dbSizeInUse = 0; ///< bytes holding live pages
    int64_t quota = 0; ///< etcd_server_quota_backend_bytes; 0 while unknown
    QString quotaError; ///< why the quota is unknown
    QStringList alarms; ///< "NOSPACE", "CORRUPT"
    LocalVolume volume; ///< known only for members of a local demo cluster

    /// 1 − in use / size: the share of the file a defragmentation would give back.
    double fragmentation() const;
    /// Bytes left before etcd raises NOSPACE (negative past the quota); 0 while the quota
    /// is unknown.
    int64_t headroom() const;
    /// dbSize / quota, 0 while the quota is unknown.
    double quotaUsedFraction() const;
    bool hasAlarm(const QString &type) const { return alarms.contains(type); }

    QJsonObject toJson() const;
};

/// "9 % fragmented · 12.0 MiB of 16.0 MiB quota (75 %)"
QString describeStorage(const MemberStorage &m);

Q_DECLARE_METATYPE(MemberStorage)

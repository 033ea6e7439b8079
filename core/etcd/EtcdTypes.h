#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <cstdint>

/// Plain value types for what etcd answers, so that no generated protobuf type leaves
/// core/etcd. Field meanings follow etcd's rpc.proto.

struct ResponseHeaderInfo {
    uint64_t clusterId = 0;
    uint64_t memberId = 0;
    int64_t revision = 0;
    uint64_t raftTerm = 0;
};

/// The end of a Snapshot stream.
struct SnapshotInfo {
    ResponseHeaderInfo header; ///< from the first message (etcd 3.4 leaves it empty)
    qint64 bytes = 0; ///< all of them, etcd's trailing hash included
};

struct MemberInfo {
    uint64_t id = 0;
    QString name; ///< empty while an added member has not started
    QStringList peerUrls;
    QStringList clientUrls;
    bool isLearner = false;

    bool operator==(const MemberInfo &) const = default;
};

struct MemberListInfo {
    ResponseHeaderInfo header;
    QList<MemberInfo> members;
};

struct MemberAddInfo {
    ResponseHeaderInfo header;
    MemberInfo added;
    QList<MemberInfo> members;
};

struct StatusInfo {
    ResponseHeaderInfo header;
    QString version;
    int64_t dbSize = 0;
    uint64_t leader = 0;
    uint64_t raftIndex = 0; ///< committed index
    uint64_t raftTerm = 0;
    uint64_t raftAppliedIndex = 0;
    QStringList errors;
    int64_t dbSizeInUse = 0;
    bool isLearner = false;
};

enum class AlarmType { None = 0, NoSpace = 1, Corrupt = 2 };
QString alarmTypeName(AlarmType type);

struct AlarmInfo {
    uint64_t memberId = 0;
    AlarmType type = AlarmType::None;

    bool operator==(const AlarmInfo &) const = default;
};

struct HashKVInfo {
    ResponseHeaderInfo header;
    uint32_t hash = 0;
    int64_t compactRevision = 0;
    int64_t hashRevision = 0; ///< the revision hashed up to; 0 from etcd 3.4, which does not say
};

struct KeyValueInfo {
    QByteArray key;
    QByteArray value;
    int64_t createRevision = 0;
    int64_t modRevision = 0;
    int64_t version = 0;
};

struct RangeInfo {
    ResponseHeaderInfo header;
    QList<KeyValueInfo> kvs;
    bool more = false;
    int64_t count = 0;
};

Q_DECLARE_METATYPE(MemberInfo)

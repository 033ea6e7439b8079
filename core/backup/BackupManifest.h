#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

/// What the console last learnt by verifying a backup.
struct BackupVerification {
    enum class State {
        None, ///< never verified
        HashChecked, ///< its hashes hold; no etcd was at hand to restore it
        Verified, ///< restored into a throw-away etcd, which answered with its revision
        Failed,
    };
    State state = State::None;
    QDateTime time;
    QString sentence; ///< what failed, or what was found
    qint64 revision = 0; ///< the restored member's
    /// The keys it holds and its HashKV at the backup's revision; absent where they could
    /// not be read (authentication on, no credentials given).
    std::optional<qint64> keys;
    std::optional<quint32> hashKV;

    static QString stateName(State state);
    QJsonObject toJson() const;
    static BackupVerification fromJson(const QJsonObject &o);
};

/// The description written beside each backup, under the same name ending in .json: which
/// cluster it comes from, what it holds, and how to check the file.
struct BackupManifest {
    struct Member {
        QString id; ///< 16 hex digits, as etcdctl's tables print it
        QString name;
        QStringList peerUrls;
        QStringList clientUrls;
    };

    QString clusterId; ///< 16 hex digits
    QList<Member> members;
    qint64 revision = 0; ///< the newest revision in the file
    qint64 totalKey = 0; ///< entries in all buckets, as `etcdctl snapshot status` counts them
    quint32 hash = 0; ///< `etcdctl snapshot status`'s hash
    QString etcdVersion;
    qint64 size = 0; ///< bytes of the file
    QString sha256; ///< of the whole file, hex
    QString sourceId; ///< the member it was streamed from
    QString sourceName;
    QDateTime time; ///< UTC, when the stream began
    /// The source's HashKV at revision, when it could be read: a restored copy must match.
    std::optional<quint32> hashKV;
    qint64 hashKVCompactRevision = 0; ///< the source's compact revision when hashKV was read
    BackupVerification verification;

    /// <cluster-id>-<UTC yyyymmddThhmmssZ>-rev<revision>.db
    QString fileName() const;
    /// Whether name is one this console gives its backups (of any cluster).
    static bool isBackupName(const QString &name);
    /// The manifest's path for a backup's path: the same name ending in .json.
    static QString manifestPathFor(const QString &backupPath);

    QJsonObject toJson() const;
    static Result<BackupManifest> fromJson(const QJsonObject &o);
    static Result<BackupManifest> load(const QString &path);
    /// Writes it atomically: no half-written manifest is ever seen.
    Result<void> save(const QString &path) const;
};

#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

/// What `etcdctl snapshot status` reports of a snapshot, read from the file the same way:
/// a CRC-32C over every bucket's name and entries, the newest revision in the "key" bucket,
/// the number of entries in all buckets (etcd's own included) and the database's size.
struct SnapshotStatus {
    quint32 hash = 0;
    qint64 revision = 0;
    qint64 totalKey = 0;
    qint64 totalSize = 0;

    /// The keys etcdctl prints with -w json.
    QJsonObject toJson() const;
};

/// The revision a member restored from a snapshot answers at: the snapshot's, or 1 (where
/// every etcd keyspace starts) for a snapshot of an empty keyspace, whose "key" bucket
/// holds no revision.
inline qint64 restoredRevision(const SnapshotStatus &s)
{
    return qMax<qint64>(s.revision, 1);
}

/// The file's SHA-256 and etcd's trailing one.
struct SnapshotDigest {
    qint64 size = 0;
    QByteArray sha256; ///< of the whole file, hex
    /// A snapshot from the Snapshot RPC ends in the SHA-256 of what precedes it; a bbolt
    /// file is whole pages, so the 32 extra bytes show (size % 512 == 32).
    bool hasTrailingHash = false;
    bool trailingHashMatches = false;
};

/// Reading etcd snapshot files. Both functions read the whole file: call them off the GUI
/// thread.
namespace SnapshotFile {

/// The sentence for a file whose trailing hash does not match.
QString hashMismatch();

/// Whether a status() error says the file is no etcd database at all (rather than a
/// damaged one).
bool isForeign(const Error &error);

Result<SnapshotDigest> digest(const QString &path);
Result<SnapshotStatus> status(const QString &path);

} // namespace SnapshotFile

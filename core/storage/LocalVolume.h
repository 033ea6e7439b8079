#pragma once

#include <QJsonObject>
#include <QString>

/// The disk under a local member's data directory: its filesystem's capacity and free space
/// (statvfs) and the bytes in the member's write-ahead log and snapshot directories. Reading
/// it walks directories: call read() off the GUI thread.
struct LocalVolume {
    bool known = false; ///< read() succeeded
    qint64 fsCapacity = 0;
    qint64 fsFree = 0; ///< available to an unprivileged process, as df shows it
    qint64 walBytes = 0; ///< DIR/member/wal
    qint64 snapBytes = 0; ///< DIR/member/snap (the bbolt database lives here too)
    QString error; ///< why read() failed

    static LocalVolume read(const QString &dataDir);
    /// Fraction of the filesystem in use, 0 to 1.
    double fsUsedFraction() const;
};

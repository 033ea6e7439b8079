#pragma once

#include "common/Result.h"

#include <QString>

/// A file written in a directory without a name until it is complete: on Linux an
/// O_TMPFILE inode that publish() links under its final name, so a crash or a kill leaves
/// nothing behind. Where the file system has no O_TMPFILE, a hidden ".part" file stands in,
/// removed on discard. Meant for one thread at a time (not necessarily the same one).
class StagingFile {
    Q_DISABLE_COPY_MOVE(StagingFile)

public:
    StagingFile() = default;
    /// Discards the file unless it was published.
    ~StagingFile();

    Result<void> open(const QString &directory);
    Result<void> write(const char *data, qint64 size);
    /// fsync: the bytes are on disk before the file gets its name.
    Result<void> sync();
    /// A path that reads the file while it is still unnamed.
    QString readablePath() const;
    /// Gives the file its final name (which must not exist yet) in the directory it was
    /// opened in, and syncs the directory so that the name survives a crash.
    Result<void> publish(const QString &fileName);
    void discard();

private:
    QString m_directory;
    QString m_partPath; ///< only without O_TMPFILE
    int m_fd = -1;
};

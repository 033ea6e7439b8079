#pragma once

#include "common/Result.h"

#include <QByteArrayView>
#include <QFile>
#include <functional>

/// Reads a bbolt database file, the format etcd keeps its keyspace in, without writing to
/// it: the newest valid meta page, the top-level buckets and their entries in key order.
/// Every page reference is checked against the file's bounds first, so a truncated or
/// corrupt file gives an error, never a read past the end.
///
/// It reads what `etcdctl snapshot status` reads, so that a backup can be described from the
/// file alone, on a machine without etcd.
class BoltReader {
    Q_DISABLE_COPY_MOVE(BoltReader)

public:
    BoltReader() = default;

    /// The words of the error for a file that is no bbolt database at all.
    static QString notADatabase() { return QStringLiteral("is not an etcd database"); }

    /// Maps the file and picks its meta page.
    Result<void> open(const QString &path);

    /// Bytes the database spans (the meta page's high-water page times the page size): what
    /// bbolt calls the size of a transaction, without etcd's trailing hash.
    qint64 databaseSize() const { return qint64(m_highWater) * m_pageSize; }
    quint32 pageSize() const { return m_pageSize; }

    /// Called for each entry in key order; returns false to stop.
    using Visit = std::function<bool(QByteArrayView key, QByteArrayView value)>;
    /// Each top-level bucket's name, in order; for each, onEntry for its entries.
    Result<void> forEachBucket(const std::function<void(QByteArrayView name)> &onBucket, const Visit &onEntry) const;

private:
    /// The page at id and the end of its last overflow page, or nullptr when it leaves
    /// the file.
    const uchar *page(quint64 id, const uchar **end) const;
    /// Visits the entries under a page in key order; end bounds what the page may use.
    using Entry = std::function<bool(QByteArrayView key, QByteArrayView value, bool isBucket)>;
    Result<void> walk(const uchar *page, const uchar *end, int depth, const Entry &visit) const;
    Result<void> walkBucket(QByteArrayView bucketValue, const Visit &visit) const;

    QFile m_file;
    const uchar *m_data = nullptr;
    qint64 m_size = 0;
    quint32 m_pageSize = 0;
    quint64 m_root = 0;
    quint64 m_highWater = 0;
};

#include "backup/BoltReader.h"

#include <QtEndian>

namespace {

// bbolt's on-disk layout (little-endian on the machines etcd runs on).
constexpr int kPageHeader = 16; // id u64, flags u16, count u16, overflow u32
constexpr int kElement = 16; // branch: pos, ksize, pgid; leaf: flags, pos, ksize, vsize
constexpr int kBucketHeader = 16; // root pgid u64, sequence u64
constexpr quint16 kBranchPage = 0x01;
constexpr quint16 kLeafPage = 0x02;
constexpr quint32 kBucketEntry = 0x01;
constexpr quint32 kMagic = 0xED0CDAED;
constexpr quint32 kVersion = 2;
constexpr int kMetaChecksummed = 56; // the meta's bytes before its checksum
// A B+tree of a few levels holds any database; more means a loop in a corrupt file.
constexpr int kMaxDepth = 64;

template <typename T> T readAt(const uchar *p, int offset)
{
    return qFromLittleEndian<T>(p + offset);
}

quint64 fnv1a64(const uchar *data, int size)
{
    quint64 h = 14695981039346656037ull;
    for (int i = 0; i < size; ++i) {
        h ^= data[i];
        h *= 1099511628211ull;
    }
    return h;
}

Error corrupt(const QString &what)
{
    return Error::invalid(QStringLiteral("the database is corrupt or truncated: %1").arg(what));
}

} // namespace

Result<void> BoltReader::open(const QString &path)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, m_file.errorString()));
    m_size = m_file.size();
    if (m_size < 2 * 1024)
        return Error::invalid(QStringLiteral("%1 %2: it holds only %3 bytes").arg(path, notADatabase()).arg(m_size));
    m_data = m_file.map(0, m_size);
    if (!m_data)
        return Error::io(QStringLiteral("cannot map %1: %2").arg(path, m_file.errorString()));

    // Two meta pages, at the first two page slots; bbolt uses the valid one written last.
    // The first is at offset 0 whatever the page size; it says where the second is.
    const uchar *chosen = nullptr;
    quint64 chosenTx = 0;
    quint32 firstPageSize = 0;
    for (int slot = 0; slot < 2; ++slot) {
        const qint64 offset = slot == 0 ? 0 : firstPageSize;
        if (slot == 1 && (firstPageSize == 0 || offset + kPageHeader + 64 > m_size))
            break;
        const uchar *meta = m_data + offset + kPageHeader;
        const bool valid = readAt<quint32>(meta, 0) == kMagic && readAt<quint32>(meta, 4) == kVersion
            && readAt<quint64>(meta, kMetaChecksummed) == fnv1a64(meta, kMetaChecksummed);
        if (slot == 0)
            firstPageSize = readAt<quint32>(meta, 8);
        if (valid && (!chosen || readAt<quint64>(meta, 48) > chosenTx)) {
            chosen = meta;
            chosenTx = readAt<quint64>(meta, 48);
        }
    }
    if (!chosen)
        return Error::invalid(QStringLiteral("%1 %2: no valid bbolt meta page").arg(path, notADatabase()));
    m_pageSize = readAt<quint32>(chosen, 8);
    m_root = readAt<quint64>(chosen, 16);
    m_highWater = readAt<quint64>(chosen, 40);
    if (m_pageSize < 512 || m_pageSize > 65536 || (m_pageSize & (m_pageSize - 1)) != 0)
        return corrupt(QStringLiteral("page size %1").arg(m_pageSize));
    if (qint64(m_highWater) * m_pageSize > m_size)
        return corrupt(QStringLiteral("it spans %1 bytes but the file holds %2")
                           .arg(qint64(m_highWater) * m_pageSize)
                           .arg(m_size));
    return {};
}

const uchar *BoltReader::page(quint64 id, const uchar **end) const
{
    if (id < 2 || id >= m_highWater)
        return nullptr;
    const uchar *p = m_data + qint64(id) * m_pageSize;
    const qint64 pages = 1 + qint64(readAt<quint32>(p, 12));
    if (qint64(id) + pages > qint64(m_highWater))
        return nullptr;
    *end = p + pages * m_pageSize;
    return p;
}

Result<void> BoltReader::walk(const uchar *p, const uchar *end, int depth, const Entry &visit) const
{
    if (depth > kMaxDepth)
        return corrupt(QStringLiteral("the tree is deeper than %1 levels").arg(kMaxDepth));
    const quint16 flags = readAt<quint16>(p, 8);
    const int count = readAt<quint16>(p, 10);
    const uchar *elements = p + kPageHeader;
    if (elements + qint64(count) * kElement > end)
        return corrupt(QStringLiteral("page %1 holds more elements than fit").arg(readAt<quint64>(p, 0)));
    for (int i = 0; i < count; ++i) {
        const uchar *e = elements + i * kElement;
        if (flags & kBranchPage) {
            const uchar *childEnd = nullptr;
            const uchar *child = page(readAt<quint64>(e, 8), &childEnd);
            if (!child)
                return corrupt(QStringLiteral("a branch points outside the file"));
            if (Result<void> r = walk(child, childEnd, depth + 1, visit); !r)
                return r;
        } else if (flags & kLeafPage) {
            const uchar *key = e + readAt<quint32>(e, 4);
            const quint32 keySize = readAt<quint32>(e, 8);
            const quint32 valueSize = readAt<quint32>(e, 12);
            if (key < e || key + qint64(keySize) + valueSize > end)
                return corrupt(QStringLiteral("an entry runs past its page"));
            const QByteArrayView k(reinterpret_cast<const char *>(key), keySize);
            const QByteArrayView v(reinterpret_cast<const char *>(key + keySize), valueSize);
            if (!visit(k, v, readAt<quint32>(e, 0) & kBucketEntry))
                return {};
        } else {
            return corrupt(QStringLiteral("page %1 is neither a branch nor a leaf").arg(readAt<quint64>(p, 0)));
        }
    }
    return {};
}

Result<void> BoltReader::walkBucket(QByteArrayView header, const Visit &visit) const
{
    if (header.size() < kBucketHeader)
        return corrupt(QStringLiteral("a bucket header is cut short"));
    const auto *h = reinterpret_cast<const uchar *>(header.data());
    // A nested bucket is visited as an entry too (its value is the bucket header), as
    // bbolt's ForEach does; etcd nests none.
    const Entry entries = [&visit](QByteArrayView k, QByteArrayView v, bool) { return visit(k, v); };
    const quint64 root = readAt<quint64>(h, 0);
    if (root == 0) {
        // A small bucket lives inline: its one leaf page follows the header in the value.
        if (header.size() < kBucketHeader + kPageHeader)
            return corrupt(QStringLiteral("an inline bucket is cut short"));
        return walk(h + kBucketHeader, h + header.size(), 0, entries);
    }
    const uchar *end = nullptr;
    const uchar *p = page(root, &end);
    if (!p)
        return corrupt(QStringLiteral("a bucket's root lies outside the file"));
    return walk(p, end, 0, entries);
}

Result<void> BoltReader::forEachBucket(
    const std::function<void(QByteArrayView name)> &onBucket, const Visit &onEntry) const
{
    const uchar *end = nullptr;
    const uchar *root = page(m_root, &end);
    if (!root)
        return corrupt(QStringLiteral("the root bucket lies outside the file"));
    Result<void> inner;
    const Result<void> outer = walk(root, end, 0, [&](QByteArrayView name, QByteArrayView header, bool isBucket) {
        if (!isBucket) {
            inner = corrupt(QStringLiteral("the top level holds %1, which is not a bucket")
                                .arg(QString::fromUtf8(name.toByteArray().toHex())));
            return false;
        }
        onBucket(name);
        inner = walkBucket(header, onEntry);
        return inner.ok();
    });
    if (!outer)
        return outer;
    return inner;
}

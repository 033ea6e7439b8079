#include "backup/SnapshotFile.h"

#include "backup/BoltReader.h"

#include <QCryptographicHash>
#include <QFile>
#include <QtEndian>
#include <array>

namespace {

constexpr int kShaSize = 32;

/// CRC-32C (Castagnoli, reflected), the checksum etcdctl's snapshot status prints.
class Crc32c {
public:
    Crc32c()
    {
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int bit = 0; bit < 8; ++bit)
                c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            m_table[i] = c;
        }
    }
    void add(QByteArrayView bytes)
    {
        quint32 c = ~m_crc;
        for (char b : bytes)
            c = m_table[(c ^ quint8(b)) & 0xFF] ^ (c >> 8);
        m_crc = ~c;
    }
    quint32 value() const { return m_crc; }

private:
    std::array<quint32, 256> m_table {};
    quint32 m_crc = 0;
};

} // namespace

QJsonObject SnapshotStatus::toJson() const
{
    return {{QStringLiteral("hash"), qint64(hash)}, {QStringLiteral("revision"), revision},
        {QStringLiteral("totalKey"), totalKey}, {QStringLiteral("totalSize"), totalSize}};
}

namespace SnapshotFile {

QString hashMismatch()
{
    return QStringLiteral("hash mismatch: the file is corrupt or truncated");
}

bool isForeign(const Error &error)
{
    return error.sentence().contains(BoltReader::notADatabase());
}

Result<SnapshotDigest> digest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    SnapshotDigest d;
    d.size = file.size();
    d.hasTrailingHash = d.size % 512 == kShaSize;
    const qint64 body = d.hasTrailingHash ? d.size - kShaSize : d.size;
    QCryptographicHash whole(QCryptographicHash::Sha256);
    QCryptographicHash content(QCryptographicHash::Sha256);
    QByteArray block;
    qint64 read = 0;
    while (read < body) {
        block = file.read(qMin<qint64>(1 << 20, body - read));
        if (block.isEmpty())
            return Error::io(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        whole.addData(block);
        content.addData(block);
        read += block.size();
    }
    if (d.hasTrailingHash) {
        const QByteArray trailer = file.read(kShaSize);
        if (trailer.size() != kShaSize)
            return Error::io(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        whole.addData(trailer);
        d.trailingHashMatches = content.result() == trailer;
    }
    d.sha256 = whole.result().toHex();
    return d;
}

Result<SnapshotStatus> status(const QString &path)
{
    BoltReader reader;
    if (Result<void> opened = reader.open(path); !opened)
        return opened.error();
    SnapshotStatus s;
    s.totalSize = reader.databaseSize();
    Crc32c crc;
    bool inKeyBucket = false;
    const Result<void> walked = reader.forEachBucket(
        [&](QByteArrayView name) {
            crc.add(name);
            inKeyBucket = name == QByteArrayView("key");
        },
        [&](QByteArrayView key, QByteArrayView value) {
            crc.add(key);
            crc.add(value);
            // An MVCC key is its revision: the main revision, big-endian, comes first.
            if (inKeyBucket && key.size() >= 8)
                s.revision = qFromBigEndian<qint64>(key.data());
            ++s.totalKey;
            return true;
        });
    if (!walked)
        return walked.error();
    s.hash = crc.value();
    return s;
}

} // namespace SnapshotFile

#include "storage/LocalVolume.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <sys/statvfs.h>

namespace {

qint64 bytesUnder(const QString &path)
{
    qint64 total = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

} // namespace

LocalVolume LocalVolume::read(const QString &dataDir)
{
    LocalVolume v;
    if (!QFileInfo(dataDir).isDir()) {
        v.error = QStringLiteral("the data directory %1 does not exist").arg(dataDir);
        return v;
    }
    struct statvfs fs { };
    if (::statvfs(QFile::encodeName(dataDir).constData(), &fs) != 0) {
        v.error = QStringLiteral("cannot read the filesystem of %1: %2")
                      .arg(dataDir, QString::fromLocal8Bit(strerror(errno)));
        return v;
    }
    v.fsCapacity = qint64(fs.f_blocks) * qint64(fs.f_frsize);
    v.fsFree = qint64(fs.f_bavail) * qint64(fs.f_frsize);
    v.walBytes = bytesUnder(dataDir + QStringLiteral("/member/wal"));
    v.snapBytes = bytesUnder(dataDir + QStringLiteral("/member/snap"));
    v.known = true;
    return v;
}

double LocalVolume::fsUsedFraction() const
{
    return fsCapacity > 0 ? double(fsCapacity - fsFree) / double(fsCapacity) : 0.0;
}

#include "backup/BackupCatalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <algorithm>

namespace {

/// Newest first, by the time in the name (after the cluster id and its dash).
void sortNewestFirst(QList<BackupEntry> &entries)
{
    std::stable_sort(entries.begin(), entries.end(), [](const BackupEntry &a, const BackupEntry &b) {
        return QFileInfo(a.path).fileName().mid(17) > QFileInfo(b.path).fileName().mid(17);
    });
}

} // namespace

namespace BackupCatalog {

QString defaultRoot()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/quorumdeck");
    return QDir(dir).filePath(QStringLiteral("backups"));
}

QString defaultDirectory(const QString &clusterId)
{
    return QDir(defaultRoot()).filePath(clusterId);
}

QList<BackupEntry> list(const QString &dir)
{
    QList<BackupEntry> out;
    const QDir d(dir);
    const QStringList names = d.entryList({QStringLiteral("*.db")}, QDir::Files);
    for (const QString &name : names) {
        if (!BackupManifest::isBackupName(name))
            continue;
        BackupEntry e;
        e.path = d.filePath(name);
        const QString manifestPath = BackupManifest::manifestPathFor(e.path);
        if (QFile::exists(manifestPath)) {
            Result<BackupManifest> m = BackupManifest::load(manifestPath);
            if (m)
                e.manifest = std::move(m).value();
            else
                e.problem = m.problem();
        } else {
            e.problem = QStringLiteral("no manifest beside it");
        }
        out << e;
    }
    sortNewestFirst(out);
    return out;
}

QList<BackupEntry> listAll()
{
    QList<BackupEntry> out;
    const QDir root(defaultRoot());
    for (const QString &cluster : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        out << list(root.filePath(cluster));
    sortNewestFirst(out);
    return out;
}

Result<QStringList> prune(const QString &dir, const QString &clusterId, int keep)
{
    QList<BackupEntry> own;
    for (const BackupEntry &e : list(dir))
        if (e.manifest && e.manifest->clusterId == clusterId
            && QFileInfo(e.path).fileName().startsWith(clusterId + QLatin1Char('-')))
            own << e;
    std::sort(own.begin(), own.end(),
        [](const BackupEntry &a, const BackupEntry &b) { return a.manifest->time > b.manifest->time; });
    QStringList removed;
    for (qsizetype i = keep; i < own.size(); ++i) {
        const QString &path = own.at(i).path;
        const QString manifest = BackupManifest::manifestPathFor(path);
        // The backup first: a manifest without its backup is never listed.
        if (!QFile::remove(path) || !QFile::remove(manifest))
            return Error::io(QStringLiteral("cannot remove the old backup %1").arg(path));
        removed << path;
    }
    return removed;
}

} // namespace BackupCatalog

#pragma once

#include "backup/BackupManifest.h"

#include <QList>
#include <QString>

/// One backup file found in a directory.
struct BackupEntry {
    QString path;
    std::optional<BackupManifest> manifest; ///< when one lies beside it and reads
    QString problem; ///< why the manifest does not read, if it does not
};

/// Where backups live and what a directory holds. Reads the disk: call off the GUI thread.
namespace BackupCatalog {

/// The per-user data directory's backups/.
QString defaultRoot();
/// defaultRoot()/<cluster-id>/
QString defaultDirectory(const QString &clusterId);

/// The backups in dir (files named as this console names them), newest first.
QList<BackupEntry> list(const QString &dir);
/// Every cluster's directory under defaultRoot(), newest first.
QList<BackupEntry> listAll();

/// Removes the oldest of clusterId's own backups in dir beyond the newest keep, each with
/// its manifest, and nothing else: only files with this console's names whose manifest
/// names that cluster. Returns the paths removed, or the first removal that failed.
Result<QStringList> prune(const QString &dir, const QString &clusterId, int keep);

} // namespace BackupCatalog

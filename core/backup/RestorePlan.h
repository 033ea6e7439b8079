#pragma once

#include "backup/BackupManifest.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// One command an operator runs on a member's host.
struct RestoreStep {
    QString what; ///< "stop etcd", "move the data directory aside", ...
    QStringList argv; ///< empty for a step done the host's own way (stopping a service)
    QString shell; ///< the line to type
};

/// What one host does to restore its member.
struct RestoreHost {
    QString name;
    QString peerUrl;
    QList<RestoreStep> commands;
};

/// The exact, per-host commands that restore a real cluster from one backup, in order, and
/// the checks to run once the members are back. A pure value: nothing is run.
struct RestorePlan {
    QString file;
    qint64 revision = 0;
    QString token; ///< the new cluster token, the same on every host
    QString initialCluster; ///< name=peer-url,...
    QString tool; ///< etcdutl, or etcdctl for etcd before 3.5
    QList<RestoreHost> hosts;
    QStringList notes; ///< members left out, and why
    QStringList checks;

    /// members: the live member list when it could be read, else the manifest's; now names
    /// the old data directories kept aside.
    static Result<RestorePlan> make(const QString &file, const BackupManifest &manifest,
        const QList<BackupManifest::Member> &members, const QString &dataDir, const QDateTime &now);

    QJsonObject toJson() const;
    QString toText() const;
};

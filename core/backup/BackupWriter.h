#pragma once

#include "backup/BackupManifest.h"
#include "cluster/ClusterSnapshot.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

class EtcdClient;

struct BackupOptions {
    QString directory; ///< empty: BackupCatalog::defaultDirectory(the cluster's id)
    QString from; ///< a member id or name; empty: the most up-to-date follower
    int keep = 0; ///< > 0: afterwards keep only this many of the cluster's own backups
};

/// Where a backup will come from, decided from a snapshot before anything is sent.
struct BackupPlan {
    bool allowed = false;
    QString sentence; ///< the refusal, or what will be done
    uint64_t memberId = 0;
    QString memberName;
    QString endpoint;
    QString directory;
};

/// A backup on disk.
struct SavedBackup {
    QString path;
    BackupManifest manifest;
    QStringList pruned; ///< older backups removed by --keep
    QString warning; ///< saved, but pruning failed
};

/// Takes a backup: streams a snapshot from one member (a follower that is up to date, to
/// spare the leader) into an unnamed file in the backup directory, checks etcd's trailing
/// SHA-256, reads the revision from the file, syncs it and only then gives it its name,
/// beside its manifest. A failure at any point leaves nothing in the directory.
class BackupWriter : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupWriter)

public:
    using Done = std::function<void(const Result<SavedBackup> &)>;

    explicit BackupWriter(EtcdClient *client, QObject *parent = nullptr);
    ~BackupWriter() override;

    static BackupPlan plan(const ClusterSnapshot &snapshot, const BackupOptions &options);
    /// One save at a time; done is called once, on this object's thread.
    void save(const ClusterSnapshot &snapshot, const BackupOptions &options, Done done);
    bool isRunning() const { return m_job != nullptr; }

signals:
    /// Bytes received so far and the whole size (0 until etcd has said), a few times a second.
    void progress(qint64 received, qint64 total);

private:
    struct Job;
    void streamed(const QString &error);
    void described(Result<BackupManifest> manifest);
    void finish(const Result<SavedBackup> &result);

    EtcdClient *m_client;
    std::shared_ptr<Job> m_job;
    QTimer m_progressTimer;
};

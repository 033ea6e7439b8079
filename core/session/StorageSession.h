#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/OperationResult.h"
#include "etcd/ConnectionSettings.h"
#include "kube/KubeVolumes.h"
#include "storage/MemberStorage.h"
#include "storage/ReclaimRunbook.h"

#include <QHash>
#include <QObject>
#include <QTimer>

class DatabaseFiller;
class EtcdClient;
class KubeClient;
class StorageReader;

/// The storage side of a console session: members' storage read every few seconds, the
/// alarms disarmed, the reclaim runbook, "fill the database" on a demo cluster, and the
/// Kubernetes volumes from the kubeconfig. Operations are announced through
/// operationStarted() and operationFinished(), which the session journals.
///
/// Lives on the GUI thread; files are read on worker threads and the rest is asynchronous.
class StorageSession : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StorageSession)

public:
    static constexpr int kRefreshMs = 5000;

    StorageSession(EtcdClient *client, const TlsSettings &tls, QObject *parent = nullptr);
    ~StorageSession() override;

    /// Member name → data directory, when the cluster is a local demo.
    void setLocalDataDirs(const QHash<QString, QString> &dirs);
    /// The kubeconfig files to read (default: KUBECONFIG, else ~/.kube/config).
    void setKubeconfigPaths(const QStringList &paths) { m_kubeconfigPaths = paths; }

    void setSnapshot(const ClusterSnapshot &snapshot);
    const QList<MemberStorage> &storage() const { return m_storage; }
    /// Reads the members' storage now (one read at a time; a request during a read is
    /// served by the next one).
    void refresh();
    void stop();

    void reclaim(const ReclaimOptions &options);
    void cancelReclaim();
    bool isReclaiming() const;
    const QList<ReclaimStep> &reclaimSteps() const;

    void disarm(uint64_t memberId, AlarmType type);

    /// Demo clusters only (the caller checks): writes until etcd raises NOSPACE.
    void fillDatabase();
    void cancelFill();
    bool isFilling() const;

    void refreshKube();

signals:
    void storageReady(const QList<MemberStorage> &storage);
    void reclaimStepChanged(int index, const ReclaimStep &step);
    /// The runbook is about to move leadership off a leader before defragmenting it.
    void leaderTransferRequested(uint64_t target);
    void fillProgress(qint64 writtenBytes);
    void kubeVolumesReady(const KubeVolumes &volumes);
    /// No kubeconfig, or one that cannot be used: the sentence says why.
    void kubeUnavailable(const QString &why);
    void operationStarted();
    void operationFinished(const QString &action, const QString &target, const OperationResult &result);

private:
    void finishOperation(const QString &action, const QString &target, const OperationResult &result);

    EtcdClient *m_client;
    StorageReader *m_reader;
    ReclaimRunbook *m_runbook;
    DatabaseFiller *m_filler = nullptr;
    KubeClient *m_kube = nullptr;
    QTimer m_timer;
    ClusterSnapshot m_snapshot;
    QList<MemberStorage> m_storage;
    QStringList m_kubeconfigPaths;
    bool m_stopped = false;
    bool m_reading = false;
    bool m_readAgain = false;
    bool m_kubeReading = false;
    QString m_reclaimAction;
    QString m_reclaimTarget;
};

#pragma once

#include "cluster/ClusterSnapshot.h"
#include "etcd/ConnectionSettings.h"
#include "storage/MemberStorage.h"

#include <QHash>
#include <QObject>
#include <QSslConfiguration>
#include <functional>
#include <memory>
#include <optional>

class MetricsFetcher;

/// Reads every member's storage: sizes and alarms from a cluster snapshot, the backend
/// quota from each member's /metrics (etcd_server_quota_backend_bytes), and for local demo
/// members the disk under their data directories. Files are read on a worker thread and
/// the network is asynchronous, so read() returns at once.
class StorageReader : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StorageReader)

public:
    explicit StorageReader(const TlsSettings &tls, QObject *parent = nullptr);
    ~StorageReader() override;

    /// Member name → data directory, for the members of a local demo cluster.
    void setLocalDataDirs(const QHash<QString, QString> &dirs) { m_dataDirs = dirs; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    using Callback = std::function<void(const QList<MemberStorage> &)>;
    /// Calls done once, on this object's thread, with one entry per member of the snapshot
    /// in its order.
    void read(const ClusterSnapshot &snapshot, Callback done);

    /// The value of etcd_server_quota_backend_bytes in a /metrics payload, if present.
    static std::optional<double> quotaFromMetrics(const QByteArray &payload);

private:
    struct Pending;
    void fetchQuotas(const std::shared_ptr<Pending> &pending);

    TlsSettings m_tls;
    std::optional<QSslConfiguration> m_sslConfig;
    QString m_tlsError;
    QHash<QString, QString> m_dataDirs;
    int m_timeoutMs = 3000;
    MetricsFetcher *m_fetcher;
};

#pragma once

#include "cluster/ClusterEvent.h"
#include "kube/ControlPlaneReport.h"
#include "kube/PkiInventory.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <optional>

class ControlPlaneReader;

/// The Kubernetes control plane above this etcd cluster, read every 15 s while a
/// kubeconfig can be used: the report for the window, and events when a component's
/// leader-election Lease changes hands or stops being renewed, for the journal and the
/// elections timeline beside etcd's own.
class ControlPlaneSession : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlPlaneSession)

public:
    static constexpr int kRefreshMs = 15000;

    explicit ControlPlaneSession(QObject *parent = nullptr);
    ~ControlPlaneSession() override;

    /// The kubeconfig files to read (default: KUBECONFIG, else ~/.kube/config).
    void setKubeconfigPaths(const QStringList &paths) { m_paths = paths; }
    QStringList kubeconfigPaths() const { return m_paths; }
    /// The API servers to probe instead of the kubernetes Service's EndpointSlices.
    void setApiServers(const QStringList &addresses) { m_apiServers = addresses; }
    /// The HAProxy in front of the API servers (ControlPlaneReader::setLoadBalancer).
    void setLoadBalancer(const QString &statsSource, const QString &backend)
    {
        m_lbSource = statsSource;
        m_lbBackend = backend;
    }
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }
    /// A kubeadm PKI directory to watch the certificates of (e.g. /etc/kubernetes/pki, or a
    /// copy of it); "" for the kubeconfigs' client certificates alone.
    void setPkiDirectory(const QString &dir) { m_pkiDir = dir; }
    QString pkiDirectory() const { return m_pkiDir; }
    void start();
    void stop();
    /// Reads now (unless a read is under way).
    void refresh();
    /// Reads the certificates now: the PKI directory's and the kubeconfigs' client
    /// certificates (also at start, and every kCertificatesMs).
    void readCertificates();
    static constexpr int kCertificatesMs = 60 * 60 * 1000;
    /// The last reading of the certificates, soonest expiry first.
    const PkiInventory::Reading &certificates() const { return m_certificates; }

    /// The last report (none read yet: no servers, no leases, no masters).
    const ControlPlaneReport &last() const { return m_last; }
    bool hasReport() const { return m_reports > 0; }
    /// Why nothing can be read ("" while the kubeconfig is usable).
    QString unavailable() const { return m_unavailable; }

    /// What changed between two readings of the leases, as events at timeMs: a lease that
    /// changed hands (the number of transitions in between said when it is more than one),
    /// and one that went stale.
    static QList<ClusterEvent> leaseEvents(
        const QList<KubeLease> &before, const QList<KubeLease> &after, const QDateTime &now);
    /// What a ComponentLeaderChanged or ComponentLeaseStale event (from leaseEvents, or the
    /// journal) says: the lease, and the holders before and after ("" for nobody; `to` is
    /// "" for a stale lease).
    struct LeaseChange {
        QString lease;
        QString from;
        QString to;
    };
    static std::optional<LeaseChange> leaseChange(const ClusterEvent &e);

signals:
    void reportReady(const ControlPlaneReport &report);
    void unavailableChanged(const QString &why);
    void eventsOccurred(const QList<ClusterEvent> &events);
    void certificatesRead(const PkiInventory::Reading &reading);

private:
    void onReport(const ControlPlaneReport &report);

    QStringList m_paths;
    QStringList m_apiServers;
    QString m_lbSource;
    QString m_lbBackend;
    QTimer m_timer;
    QTimer m_certificateTimer;
    QString m_pkiDir;
    PkiInventory::Reading m_certificates;
    bool m_readingCertificates = false;
    ControlPlaneReader *m_reader = nullptr;
    bool m_reading = false;
    int m_generation = 0; ///< a read started before stop() is dropped
    ControlPlaneReport m_last;
    int m_reports = 0;
    QString m_unavailable;
};

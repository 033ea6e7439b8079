#pragma once

#include "kube/ControlPlaneReport.h"
#include "kube/KubeConfig.h"

#include <QObject>
#include <functional>
#include <memory>

class KubeClient;
class QNetworkAccessManager;

/// Reads a Kubernetes control plane once: the API servers behind the kubernetes Service
/// (or the list it is given), each probed directly (/livez, /readyz and /version, with the
/// certificate of the TLS handshake) and once more through the kubeconfig's server; the
/// kube-scheduler and kube-controller-manager Leases; the masters and their static pods.
/// Everything runs at once, every request with a deadline; the report holds what could be
/// read and a sentence for what could not.
class ControlPlaneReader : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlPlaneReader)

public:
    /// The leases the control plane's components elect their leaders with.
    static const QStringList &componentLeases();

    explicit ControlPlaneReader(const KubeCredentials &credentials, QObject *parent = nullptr);
    ~ControlPlaneReader() override;

    void setTimeoutMs(int ms);
    /// Probe these host:port addresses instead of the EndpointSlices' ("" list: those).
    void setApiServers(const QStringList &addresses) { m_apiServers = addresses; }
    /// The HAProxy in front of the API servers: its stats page (http://lb:8404/stats;csv)
    /// or admin socket (a path), and the backend's name ("": the one holding the API
    /// servers). Its servers are matched to the API servers, and drift reported.
    void setLoadBalancer(const QString &statsSource, const QString &backend = {});

    using Callback = std::function<void(const ControlPlaneReport &)>;
    void read(Callback done);

private:
    struct Run;
    void probe(const std::shared_ptr<Run> &run, const QString &address, bool viaLoadBalancer);
    void probeAll(const std::shared_ptr<Run> &run, const QStringList &addresses);

    void readBalancer(const std::shared_ptr<Run> &run);

    KubeClient *m_client;
    QStringList m_apiServers;
    QString m_lbSource;
    QString m_lbBackend;
    int m_timeoutMs = 10000;
    QNetworkAccessManager *m_http = nullptr; ///< for a HAProxy stats page, made when first needed
};

#pragma once

#include "kube/HealthReport.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

/// One API server as a probe found it: live and ready (with the checks that failed), its
/// version, how long it took to answer, and when its serving certificate expires (from the
/// TLS handshake). The kubeconfig's server, usually the load balancer in front, is probed
/// as one more entry with viaLoadBalancer set.
struct ApiServerState {
    QString address; ///< host:port
    bool viaLoadBalancer = false;
    HealthReport live;
    HealthReport ready;
    QString version; ///< /version's gitVersion, e.g. "v1.29.4"
    QDateTime certExpiry; ///< invalid when no TLS handshake completed
    qint64 responseMs = -1; ///< of /readyz
    QString error; ///< no answer at all: why ("" when it answered)
    /// The HAProxy in front, when known: its server for this API server ("backend/server"),
    /// what it says of it ("UP", "DOWN", "ABSENT" when not behind it), and the drift
    /// between the two as a sentence ("" when they agree).
    QString lbServer;
    QString lbStatus;
    QString drift;

    bool isReady() const { return error.isEmpty() && live.ok && ready.ok; }
    /// address, live, ready, failedChecks, version, certExpiry (RFC 3339), viaLoadBalancer,
    /// responseMs, error, and with a known HAProxy lbServer, lbStatus, drift.
    QJsonObject toJson() const;
};

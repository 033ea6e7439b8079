#pragma once

#include "common/TlsSettings.h"

#include <QList>
#include <QString>

/// Where a load balancer's view comes from, and how the console checks each backend for
/// itself. HAProxy: its stats CSV from a stats URL or its admin socket. Generic: a
/// frontend address and a list of backends, with no view of the LB's own but the probes.
struct LbDefinition {
    enum class Kind { None, Haproxy, Generic };
    enum class ProbeKind { Http, Https, Tcp };

    struct Backend {
        QString name;
        QString address; ///< host:port
    };

    Kind kind = Kind::None;
    QString statsUrl; ///< HAProxy: ".../stats;csv"
    QString socketPath; ///< HAProxy: admin socket (also used to drain, disable, enable)
    QString backendProxy = QStringLiteral("etcd_members"); ///< HAProxy backend; empty: every server row
    QString frontend; ///< host:port clients use
    QList<Backend> backends; ///< Generic; HAProxy servers are found in its stats
    ProbeKind probe = ProbeKind::Http;
    TlsSettings probeTls; ///< for Https probes: the CA, and the client certificate and key if the backends ask
    QString probePeerName; ///< the name Https probes check the certificate against; empty: the host
    QString probePath = QStringLiteral("/health");
    int expectStatus = 200;
    int timeoutMs = 500;

    bool isSet() const { return kind != Kind::None; }
};

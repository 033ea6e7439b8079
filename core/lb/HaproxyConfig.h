#pragma once

#include <QList>
#include <QString>

/// The configuration of the demo cluster's load balancer: HAProxy in TCP mode in front of
/// the members' client ports (gRPC and HTTP share them), checking each member's /health
/// over HTTP every 500 ms (two failures take it out, two successes bring it back, so a
/// dead member leaves the rotation within about a second), with a stats page that serves
/// CSV and an admin socket. Everything listens on 127.0.0.1 only.
struct HaproxyConfig {
    struct Server {
        QString name; ///< the member's name: the LB's rows join members by it
        QString address; ///< host:port of its client URL
    };

    quint16 frontendPort = 0;
    quint16 statsPort = 0;
    QString socketPath;
    QList<Server> servers;
    int checkIntervalMs = 500;
    int fall = 2;
    int rise = 2;
    /// Members serving TLS with client-certificate auth: checks go over TLS, verified
    /// against this CA, presenting this client certificate and key (one PEM file).
    QString checkCaFile;
    QString checkCertBundle;

    static constexpr const char *kFrontend = "etcd_clients";
    static constexpr const char *kBackend = "etcd_members";

    QString text() const;
    /// The options every server line (and a server added at runtime) carries for its check.
    /// The configuration file quotes paths; the admin socket takes backslash escapes only.
    QString checkOptions(bool forAdminSocket = false) const;
    QString statsUrl() const;
    QString frontendAddress() const;
};

#pragma once

#include "etcd/ConnectionSettings.h"
#include "profile/LbDefinition.h"

#include <QHash>
#include <QString>
#include <QStringList>

/// A named way to reach one control plane: its etcd endpoints and TLS files, the user,
/// the load balancer in front of it, extra metric targets and the kubeconfig of the
/// Kubernetes cluster it serves. Never a password: that is asked for at connect and kept in
/// memory, or kept in the system keychain when the operator opts in (passwordInKeychain).
struct ConnectionProfile {
    QString name;
    QStringList endpoints;
    TlsSettings tls;
    QString user;
    bool passwordInKeychain = false;

    /// The load balancer: none, an HAProxy (stats URL or admin socket) or a generic one
    /// (a frontend and backends probed directly).
    LbDefinition::Kind lbKind = LbDefinition::Kind::None;
    QString lbStatsUrl;
    QString lbSocket;
    QString lbBackendProxy;
    QString lbFrontend;
    QStringList lbBackends; ///< "name=host:port" for a generic LB
    LbDefinition::ProbeKind lbProbe = LbDefinition::ProbeKind::Http;
    QString lbProbePath = QStringLiteral("/health");

    QStringList metricTargets;
    QString kubeconfig; ///< empty: KUBECONFIG, else ~/.kube/config
    /// The Kubernetes API servers (host:port) to probe, when the kubernetes Service's
    /// EndpointSlices do not name the addresses reachable from here (empty: those).
    QStringList apiServers;
    /// The HAProxy in front of the API servers: its stats page (http://lb:8404/stats;csv) or
    /// admin socket path ("" for none), and the backend's name ("": the one holding the API
    /// servers' addresses).
    QString apiLbStats;
    QString apiLbBackend;
    /// A kubeadm PKI directory whose certificates the window watches ("" for none).
    QString pkiDir;
    /// A server with Prometheus' HTTP API and an Alertmanager that watch this cluster too
    /// ("" for none), the value of their `cluster` label for it ("": every alert), and a
    /// file whose bearer token both are sent (its TLS is the profile's).
    QString prometheusUrl;
    QString alertmanagerUrl;
    QString clusterLabel;
    QString apiBearerTokenFile;
    /// Corrections where Prometheus' `instance` label is not a member's first client URL
    /// (e.g. a --listen-metrics-urls port): "instance=member name", e.g. 10.0.0.1:2381=etcd1.
    QStringList memberInstances;

    /// Backups the window takes while it is open: every N hours (0: none), keeping K.
    int backupEveryHours = 0;
    int backupKeep = 14;

    /// Settings to connect with (no password); deadlines are the defaults.
    ConnectionSettings connectionSettings() const;
    /// The load balancer's definition, probes over TLS configured by the caller.
    LbDefinition lbDefinition() const;
    /// The same, its backends probed as the console connects: over HTTPS with the
    /// connection's TLS files when the cluster speaks TLS or the profile asks for HTTPS.
    LbDefinition lbDefinition(const TlsSettings &connectionTls) const;
    /// memberInstances as instance → member name (entries without both halves left out).
    QHash<QString, QString> memberInstanceMap() const;
    /// Checks what can be checked without the network; returns a sentence or "".
    QString validate() const;

    static QString lbKindName(LbDefinition::Kind kind);
    static LbDefinition::Kind lbKindFromName(const QString &name);
};

#pragma once

#include "common/Result.h"

#include "etcd/ConnectionSettings.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// One member process of a local demo cluster, as recorded in cluster.json.
struct LocalMember {
    QString name;
    QString clientUrl; ///< where clients reach it
    QString peerUrl; ///< what it advertises to its peers
    QString listenPeerUrl; ///< where it listens for peers (equal to peerUrl unless proxied)
    qint64 pid = 0;
    QString dataDir;
    QString logFile;

    QJsonObject toJson() const;
    static LocalMember fromJson(const QJsonObject &o);
    /// "name=peerUrl", one entry of --initial-cluster.
    QString initialClusterEntry() const { return name + QLatin1Char('=') + peerUrl; }
    /// True when its peers reach it through a peer proxy (the demo's network faults).
    bool proxied() const { return !listenPeerUrl.isEmpty() && listenPeerUrl != peerUrl; }
};

/// Where the demo cluster's peer proxies run and how to reach them.
struct LocalNetwork {
    QString socketPath; ///< the control socket (see PeerProxyHost)
    QString host; ///< "helper" (a `demo net serve` process) or "window"
    qint64 pid = 0; ///< the helper's pid, or the window's
    QString logFile; ///< the helper's output

    bool enabled() const { return !socketPath.isEmpty(); }
    QJsonObject toJson() const;
    static LocalNetwork fromJson(const QJsonObject &o);
};

/// The demo cluster's load balancer (HAProxy), when one runs.
struct LocalLoadBalancer {
    QString frontend; ///< host:port clients use instead of a member
    QString statsUrl; ///< HAProxy's stats page, CSV
    QString socketPath; ///< HAProxy's admin socket
    QString configFile;
    qint64 pid = 0;
    QString unavailable; ///< why there is none (haproxy missing, failed to start)

    bool running() const { return pid > 0; }
    QJsonObject toJson() const;
    static LocalLoadBalancer fromJson(const QJsonObject &o);
};

/// The demo cluster's certificates, when it was started with --tls: a CA of its own, the
/// members' server and peer certificates, and a client certificate (CN root) for the
/// console, etcdctl and the load balancer's checks. Keys are mode 0600.
struct LocalTls {
    QString caFile;
    QString certFile; ///< the client certificate
    QString keyFile;
    QString serverCertFile;
    QString serverKeyFile;
    QString peerCertFile;
    QString peerKeyFile;
    QString checkBundleFile; ///< client certificate and key in one file, as HAProxy takes them

    bool enabled() const { return !caFile.isEmpty(); }
    QJsonObject toJson() const;
    static LocalTls fromJson(const QJsonObject &o);
};

/// DIR/cluster.json: what `demo up` started, so that any later command (or the window)
/// can find, drive and stop the same cluster.
struct ClusterManifest {
    QString dir;
    QString etcdPath;
    QString token; ///< --initial-cluster-token
    qint64 quotaBytes = 0;
    int authTokenTtlSeconds = 0;
    QList<LocalMember> members;
    LocalLoadBalancer lb;
    LocalTls tls;
    LocalNetwork network;
    QString authUser; ///< "root" when etcd authentication is on; its password is kept nowhere

    QStringList endpoints() const;
    /// How to connect: the endpoints, and with TLS the CA and client certificate, with
    /// authentication the user (the password is the operator's to give).
    ConnectionSettings connectionSettings() const;
    const LocalMember *member(const QString &name) const;
    LocalMember *member(const QString &name);

    QString path() const { return manifestPath(dir); }
    static QString manifestPath(const QString &dir);
    /// The per-user default directory of the demo cluster: $XDG_DATA_HOME/quorumdeck/demo
    /// (usually ~/.local/share/...).
    static QString defaultDirectory();

    QJsonObject toJson() const;
    /// Writes atomically (QSaveFile); Io when it cannot.
    Result<void> save() const;
    /// Reads DIR/cluster.json: the manifest, or NotFound without one, Invalid when damaged.
    static Result<ClusterManifest> read(const QString &dir);
};

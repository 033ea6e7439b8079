#pragma once

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

/// DIR/cluster.json: what `demo up` started, so that any later command (or the window)
/// can find, drive and stop the same cluster.
struct ClusterManifest {
    QString dir;
    QString etcdPath;
    QString token; ///< --initial-cluster-token
    qint64 quotaBytes = 0;
    QList<LocalMember> members;
    LocalLoadBalancer lb;

    QStringList endpoints() const;
    const LocalMember *member(const QString &name) const;
    LocalMember *member(const QString &name);

    QString path() const { return manifestPath(dir); }
    static QString manifestPath(const QString &dir);

    QJsonObject toJson() const;
    /// Writes atomically (QSaveFile); returns an error sentence or an empty string.
    QString save() const;
    /// Reads DIR/cluster.json; returns an error sentence or an empty string.
    static QString load(const QString &dir, ClusterManifest *out);
};

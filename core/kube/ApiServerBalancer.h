#pragma once

#include "lb/HaproxyStats.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

struct ControlPlaneReport;

/// The HAProxy in front of the API servers, as its stats say, matched to the API servers by
/// address. Its backend is the one named, else the one whose servers stand at the API
/// servers' addresses. Drift, as for etcd's backends: an API server that is not ready while
/// HAProxy still sends it traffic, one that is ready while HAProxy has it out, one that is
/// not behind the backend at all, and a server of the backend that is no API server.
struct ApiServerBalancer {
    struct Server {
        QString name;
        QString address;
        HaproxyStats::ServerState state = HaproxyStats::ServerState::Unknown;
        QString status; ///< as HAProxy writes it, e.g. "UP", "DOWN 1/2"
        bool isApiServer = false;
    };

    QString source; ///< the stats URL or admin socket
    QString backend; ///< the proxy matched ("" when none was)
    QList<Server> servers;
    QString error; ///< stats unreadable, or no backend holds the API servers

    /// Matches stats rows to report's API servers (those probed directly), sets each one's
    /// load-balancer server, status and drift, and adds an error to its problems.
    static ApiServerBalancer match(const QString &source, const QList<HaproxyStats::Row> &rows, const QString &backend,
        ControlPlaneReport &report);
    /// source, backend, servers [{name, address, status, apiServer}], error.
    QJsonObject toJson() const;
};

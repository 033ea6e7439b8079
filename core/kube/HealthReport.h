#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

/// What an API server's /livez?verbose or /readyz?verbose says: one line per check,
/// "[+]etcd ok" or "[-]etcd failed: reason withheld", then "readyz check passed" (HTTP 200)
/// or "readyz check failed" (HTTP 500).
struct HealthReport {
    bool ok = false; ///< HTTP 200 and no failed check
    QStringList checks; ///< every check named, in the server's order
    QStringList failedChecks; ///< "etcd", "poststarthook/start-apiextensions-controllers"
    int httpStatus = 0;

    static HealthReport parse(int httpStatus, const QByteArray &body);
    /// "ready", or "not ready: etcd, informer-sync failed" (`what` names the endpoint's sense).
    QString describe(const QString &what) const;
};

#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QUrl>

/// Where a Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics) or an
/// Alertmanager answers, and how to authenticate to it. The token travels only in the
/// Authorization header; nothing here is ever printed.
struct ApiEndpoint {
    QUrl url; ///< its base, e.g. http://prometheus:9090 or https://host/prometheus
    QSslConfiguration tls; ///< for https: the CA and client certificate; default otherwise
    QByteArray bearerToken;
    int timeoutMs = 10000;

    /// The base URL with `path` appended to its own path.
    QUrl resolve(const QString &path) const;
};

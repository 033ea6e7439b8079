#pragma once

#include "common/Result.h"
#include "common/TlsSettings.h"

#include <QByteArray>
#include <QSslConfiguration>
#include <QUrl>
#include <optional>

/// Where a Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics) or an
/// Alertmanager answers, and how to authenticate to it. The token travels only in the
/// Authorization header; nothing here is ever printed.
struct ApiEndpoint {
    QUrl url; ///< its base, e.g. http://prometheus:9090 or https://host/prometheus
    /// For https: the CA and client certificate. Empty for http, which then never loads the
    /// TLS backend (OpenSSL's first initialisation is left to a thread that needs it).
    std::optional<QSslConfiguration> tls;
    QByteArray bearerToken;
    int timeoutMs = 10000;

    /// The base URL with `path` appended to its own path.
    QUrl resolve(const QString &path) const;

    /// The endpoint at `url`, with the token read from `bearerTokenFile` ("" for none) and,
    /// for https, the TLS files of `tls`; or a sentence naming what is wrong (`what` names
    /// the setting, e.g. "--prometheus"). Reads files: call it off the GUI thread.
    static Result<ApiEndpoint> configure(
        const QString &what, const QString &url, const QString &bearerTokenFile, const TlsSettings &tls);
};

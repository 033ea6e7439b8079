#pragma once

#include <QString>

/// The files and checks of one TLS client: etcd's gRPC channel, the metrics scraper, the load
/// balancer's probes and the certificate diagnostics all take it. A plain value in `common`
/// rather than in `tls`, because the etcd client (in the cluster bundle, which must not load
/// QtNetwork) needs it too; turning it into a QSslConfiguration is `tls/HttpTls.h`'s work.
struct TlsSettings {
    QString caFile;
    QString certFile;
    QString keyFile;
    QString serverName; ///< overrides the name checked against the server certificate
    bool insecureSkipVerify = false;

    bool enabled() const { return !caFile.isEmpty() || !certFile.isEmpty() || insecureSkipVerify; }
};

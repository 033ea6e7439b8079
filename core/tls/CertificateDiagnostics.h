#pragma once

#include "common/TlsSettings.h"
#include "tls/CertificateInfo.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <functional>

/// The connection's own files: the CA bundle, the client certificate and whether its key
/// belongs to it, with a sentence for each problem and a warning for each certificate
/// that expires within CertificateDiagnostics::kWarnDays.
struct TlsFilesCheck {
    QList<CertificateInfo> trusted; ///< the CA bundle
    bool hasClientCertificate = false;
    CertificateInfo client;
    QStringList problems;
    QStringList warnings;

    bool ok() const { return problems.isEmpty(); }
    QJsonObject toJson() const;
};

/// One endpoint's TLS as the console meets it: the chain the server presented, and one
/// plain sentence for each failure (unknown CA, expired or not yet valid, name mismatch, a
/// client certificate required but missing or refused, not TLS at all).
struct TlsDiagnosis {
    QString endpoint;
    bool reached = false; ///< a TCP connection was made
    bool handshake = false; ///< the TLS handshake completed
    bool answered = false; ///< the server answered a request over it (it accepted us)
    QList<CertificateInfo> chain; ///< as the server presented it, its own first
    QStringList problems;
    QStringList warnings;

    bool ok() const { return answered && problems.isEmpty(); }
    QJsonObject toJson() const;
};

/// Certificate diagnostics for a connection: checks the local files, then meets each
/// endpoint with a TLS socket that records, rather than stops at, every verification error,
/// so that everything wrong is said at once, each in words an operator acts on.
class CertificateDiagnostics : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateDiagnostics)

public:
    static constexpr int kWarnDays = 30;

    explicit CertificateDiagnostics(const TlsSettings &tls, QObject *parent = nullptr);

    /// Reads the files (call it off the GUI thread).
    static TlsFilesCheck checkFiles(const TlsSettings &tls);
    /// Whether a PEM private key belongs to a PEM certificate (OpenSSL's own check).
    static bool keyMatchesCertificate(const QByteArray &certificatePem, const QByteArray &keyPem);

    /// Meets one endpoint ("host:port" or a URL) and calls done once. The TLS configuration
    /// is built from the files on first use; pass what checkFiles() read to avoid reading
    /// them on this thread.
    void diagnose(const QString &endpoint, int timeoutMs, std::function<void(const TlsDiagnosis &)> done);
    /// The configuration built from the files elsewhere, and why it could not be ("" if fine).
    void setConfiguration(const QSslConfiguration &configuration, const QString &error)
    {
        m_config = configuration;
        m_configError = error;
        m_configured = true;
    }

private:
    TlsSettings m_tls;
    QSslConfiguration m_config;
    QString m_configError;
    bool m_configured = false;
};

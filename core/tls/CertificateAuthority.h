#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <memory>

/// What a certificate is for, as its extended key usage says.
enum class CertificateUse { Server, Client, Peer /* both: etcd peers dial each other */ };

/// One certificate to issue: its subject, names, use, key type and validity.
struct CertificateRequest {
    QString commonName;
    QStringList dnsNames;
    QStringList ipAddresses;
    CertificateUse use = CertificateUse::Server;
    bool ecKey = true; ///< P-256; false: RSA 2048
    QDateTime notBefore; ///< invalid: now minus a minute
    QDateTime notAfter; ///< invalid: notBefore plus validDays
    int validDays = 365;
};

/// A small certificate authority made with the OpenSSL library, for demo clusters (and
/// tests): a self-signed CA, and certificates it signs, written as PEM files. Private keys
/// are created with mode 0600 before a byte is written to them.
class CertificateAuthority {
public:
    CertificateAuthority();
    ~CertificateAuthority();
    CertificateAuthority(CertificateAuthority &&) noexcept;
    CertificateAuthority &operator=(CertificateAuthority &&) noexcept;

    /// Creates a CA and writes it to certFile and keyFile.
    Result<void> create(
        const QString &commonName, const QString &certFile, const QString &keyFile, int validDays = 3650);
    /// Loads an existing CA (PEM certificate and key).
    Result<void> load(const QString &certFile, const QString &keyFile);
    /// Issues a certificate signed by this CA.
    Result<void> issue(const CertificateRequest &request, const QString &certFile, const QString &keyFile) const;

    /// Writes a private key (PEM) to a new file of mode 0600.
    static Result<void> writePrivateFile(const QString &path, const QByteArray &contents);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

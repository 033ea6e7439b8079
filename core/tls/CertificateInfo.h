#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

/// What an operator needs to know about one certificate: who it names, who issued it, the
/// names it is valid for, when, and its key.
struct CertificateInfo {
    QString subject; ///< "CN=etcd demo member, O=QuorumDeck demo"
    QString issuer;
    QStringList subjectAltNames; ///< "DNS:localhost", "IP:127.0.0.1"
    QDateTime notBefore;
    QDateTime notAfter;
    QString keyType; ///< "EC 256-bit", "RSA 2048-bit"
    bool isCa = false; ///< self-signed, as a root CA is

    static CertificateInfo of(const QSslCertificate &certificate);
    /// Whole days left until notAfter (negative once expired).
    qint64 daysLeft(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    bool expired(const QDateTime &now = QDateTime::currentDateTimeUtc()) const { return now > notAfter; }
    bool notYetValid(const QDateTime &now = QDateTime::currentDateTimeUtc()) const { return now < notBefore; }
    QJsonObject toJson() const;
};

#pragma once

#include "common/Result.h"
#include "tls/CertificateInfo.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// One certificate of a control plane's PKI: where it was found, what it says, and how
/// close it is to expiring.
struct PkiCertificate {
    enum class Severity { Ok, Warning, Critical };

    QString file; ///< relative to the PKI directory, or the kubeconfig as given
    QString user; ///< the kubeconfig user it authenticates ("" for a file of the directory)
    CertificateInfo info;

    Severity severity(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    static const char *severityName(Severity severity); ///< "ok", "warning", "critical"
    /// file, user (when one), subject, issuer, subjectAltNames, notBefore, notAfter
    /// (RFC 3339), daysLeft, isCa and severity.
    QJsonObject toJson(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
};

/// Every certificate a kubeadm control plane keeps (the `*.crt` files under
/// /etc/kubernetes/pki, whatever their names, and the client certificates its kubeconfigs
/// embed), sorted by expiry as `kubeadm certs check-expiration` lists them. Reads files:
/// call it off the GUI thread.
namespace PkiInventory {

/// Within this many days a certificate is a warning; within kCriticalDays, or expired,
/// critical (the same thresholds as the CertificateExpiresSoon alert).
constexpr int kWarningDays = 30;
constexpr int kCriticalDays = 7;

PkiCertificate::Severity severityOf(const QDateTime &notAfter, const QDateTime &now);

struct Reading {
    QList<PkiCertificate> certificates; ///< sorted by expiry, soonest first
    QStringList problems; ///< one sentence per file that holds no readable certificate
};

/// Every certificate of every `*.crt` file under dir, however deep; an Error when dir cannot
/// be read or holds none.
Result<Reading> readDirectory(const QString &dir);
/// The client certificate of each user of a kubeconfig that embeds or names one.
Result<Reading> readKubeconfig(const QString &path);
/// Soonest expiry first; ties by file, then user.
void sortByExpiry(QList<PkiCertificate> &certificates);

} // namespace PkiInventory

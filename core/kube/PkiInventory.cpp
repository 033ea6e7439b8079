#include "kube/PkiInventory.h"

#include "kube/KubeConfig.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QSslCertificate>
#include <algorithm>

namespace {

/// The certificates of a file: PEM (a bundle holds several), else one DER.
QList<QSslCertificate> certificatesIn(const QByteArray &bytes)
{
    QList<QSslCertificate> out = QSslCertificate::fromData(bytes, QSsl::Pem);
    if (out.isEmpty())
        out = QSslCertificate::fromData(bytes, QSsl::Der);
    out.removeIf([](const QSslCertificate &c) { return c.isNull(); });
    return out;
}

} // namespace

PkiCertificate::Severity PkiInventory::severityOf(const QDateTime &notAfter, const QDateTime &now)
{
    const qint64 seconds = now.secsTo(notAfter);
    if (seconds < qint64(kCriticalDays) * 86400)
        return PkiCertificate::Severity::Critical;
    if (seconds < qint64(kWarningDays) * 86400)
        return PkiCertificate::Severity::Warning;
    return PkiCertificate::Severity::Ok;
}

PkiCertificate::Severity PkiCertificate::severity(const QDateTime &now) const
{
    return PkiInventory::severityOf(info.notAfter, now);
}

const char *PkiCertificate::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Warning:
        return "warning";
    case Severity::Critical:
        return "critical";
    case Severity::Ok:
        break;
    }
    return "ok";
}

QJsonObject PkiCertificate::toJson(const QDateTime &now) const
{
    QJsonObject o {{QStringLiteral("file"), file}, {QStringLiteral("subject"), info.subject},
        {QStringLiteral("issuer"), info.issuer},
        {QStringLiteral("subjectAltNames"), QJsonArray::fromStringList(info.subjectAltNames)},
        {QStringLiteral("notBefore"), info.notBefore.toString(Qt::ISODate)},
        {QStringLiteral("notAfter"), info.notAfter.toString(Qt::ISODate)},
        {QStringLiteral("daysLeft"), info.daysLeft(now)}, {QStringLiteral("isCa"), info.isCa},
        {QStringLiteral("severity"), QLatin1String(severityName(severity(now)))}};
    if (!user.isEmpty())
        o.insert(QStringLiteral("user"), user);
    return o;
}

Result<PkiInventory::Reading> PkiInventory::readDirectory(const QString &dir)
{
    const QDir root(dir);
    if (!root.exists())
        return Error::notFound(QStringLiteral("%1: no such directory").arg(dir));
    if (!root.isReadable())
        return Error::io(QStringLiteral("%1: cannot be read").arg(dir));
    Reading reading;
    QStringList files;
    QDirIterator it(dir, {QStringLiteral("*.crt")}, QDir::Files | QDir::Readable | QDir::Hidden,
        QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
    while (it.hasNext())
        files << it.next();
    QDirIterator unreadable(dir, {QStringLiteral("*.crt")}, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (unreadable.hasNext()) {
        const QString path = unreadable.next();
        if (!files.contains(path))
            reading.problems
                << QStringLiteral("%1: cannot be read (permission denied)").arg(root.relativeFilePath(path));
    }
    if (files.isEmpty() && reading.problems.isEmpty())
        return Error::notFound(QStringLiteral("%1 holds no certificate (*.crt) — is it a kubeadm PKI directory such as "
                                              "/etc/kubernetes/pki?")
                                   .arg(dir));
    for (const QString &path : std::as_const(files)) {
        const QString name = root.relativeFilePath(path);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            reading.problems << QStringLiteral("%1: %2").arg(name, f.errorString());
            continue;
        }
        const QList<QSslCertificate> certificates = certificatesIn(f.readAll());
        if (certificates.isEmpty())
            reading.problems << QStringLiteral("%1: holds no certificate in PEM or DER").arg(name);
        for (const QSslCertificate &c : certificates)
            reading.certificates << PkiCertificate {name, {}, CertificateInfo::of(c)};
    }
    sortByExpiry(reading.certificates);
    return reading;
}

Result<PkiInventory::Reading> PkiInventory::readKubeconfig(const QString &path)
{
    KubeConfig config;
    if (const Result<void> loaded = config.load({path}); !loaded)
        return loaded.error();
    const Result<QList<KubeConfig::UserCertificate>> users = config.clientCertificates();
    if (!users)
        return users.error();
    Reading reading;
    for (const KubeConfig::UserCertificate &u : users.value()) {
        const QList<QSslCertificate> certificates = certificatesIn(u.pem);
        if (certificates.isEmpty())
            reading.problems << QStringLiteral("%1: user %2's client certificate cannot be read").arg(path, u.user);
        // The first is the user's own; the rest of a bundle are its issuers.
        if (!certificates.isEmpty())
            reading.certificates << PkiCertificate {path, u.user, CertificateInfo::of(certificates.front())};
    }
    sortByExpiry(reading.certificates);
    return reading;
}

void PkiInventory::sortByExpiry(QList<PkiCertificate> &certificates)
{
    std::stable_sort(certificates.begin(), certificates.end(), [](const PkiCertificate &a, const PkiCertificate &b) {
        return std::tie(a.info.notAfter, a.file, a.user) < std::tie(b.info.notAfter, b.file, b.user);
    });
}

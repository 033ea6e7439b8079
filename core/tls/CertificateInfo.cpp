#include "tls/CertificateInfo.h"

#include <QJsonArray>
#include <QSslKey>

namespace {

QString distinguishedName(const QSslCertificate &c, bool issuer)
{
    QStringList parts;
    const auto attributes = {QSslCertificate::CommonName, QSslCertificate::Organization,
        QSslCertificate::OrganizationalUnitName, QSslCertificate::CountryName};
    static const char *const labels[] = {"CN", "O", "OU", "C"};
    int i = 0;
    for (QSslCertificate::SubjectInfo attribute : attributes) {
        const QStringList values = issuer ? c.issuerInfo(attribute) : c.subjectInfo(attribute);
        for (const QString &v : values)
            parts << QStringLiteral("%1=%2").arg(QLatin1String(labels[i]), v);
        ++i;
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

CertificateInfo CertificateInfo::of(const QSslCertificate &c)
{
    CertificateInfo info;
    info.subject = distinguishedName(c, false);
    info.issuer = distinguishedName(c, true);
    const auto names = c.subjectAlternativeNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        const char *kind = it.key() == QSsl::DnsEntry ? "DNS" : it.key() == QSsl::IpAddressEntry ? "IP" : "email";
        info.subjectAltNames << QStringLiteral("%1:%2").arg(QLatin1String(kind), it.value());
    }
    info.notBefore = c.effectiveDate().toUTC();
    info.notAfter = c.expiryDate().toUTC();
    const QSslKey key = c.publicKey();
    const char *algorithm = key.algorithm() == QSsl::Rsa ? "RSA"
        : key.algorithm() == QSsl::Ec                    ? "EC"
        : key.algorithm() == QSsl::Dsa                   ? "DSA"
                                                         : "unknown";
    info.keyType = QStringLiteral("%1 %2-bit").arg(QLatin1String(algorithm)).arg(key.length());
    info.isCa = c.isSelfSigned();
    return info;
}

qint64 CertificateInfo::daysLeft(const QDateTime &now) const
{
    return now.secsTo(notAfter) / 86400;
}

QJsonObject CertificateInfo::toJson() const
{
    return {{QStringLiteral("subject"), subject}, {QStringLiteral("issuer"), issuer},
        {QStringLiteral("subjectAltNames"), QJsonArray::fromStringList(subjectAltNames)},
        {QStringLiteral("notBefore"), notBefore.toString(Qt::ISODate)},
        {QStringLiteral("notAfter"), notAfter.toString(Qt::ISODate)}, {QStringLiteral("keyType"), keyType},
        {QStringLiteral("daysLeft"), daysLeft()}};
}

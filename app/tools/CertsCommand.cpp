#include "tools/CertsCommand.h"

#include "cli/TextTable.h"
#include "kube/PkiInventory.h"
#include "tls/CertificateDiagnostics.h"

#include <QJsonArray>
#include <QJsonObject>
#include <memory>

namespace {

QString describe(const CertificateInfo &c, const QString &indent)
{
    QString out = QStringLiteral("%1subject  %2\n%1issuer   %3\n").arg(indent, c.subject, c.issuer);
    if (!c.subjectAltNames.isEmpty())
        out += QStringLiteral("%1names    %2\n").arg(indent, c.subjectAltNames.join(QStringLiteral(", ")));
    out += QStringLiteral("%1valid    %2 to %3 (%4 days left)\n%1key      %5\n")
               .arg(indent, c.notBefore.toString(Qt::ISODate), c.notAfter.toString(Qt::ISODate))
               .arg(c.daysLeft())
               .arg(c.keyType);
    return out;
}

} // namespace

void CertsCommand::start()
{
    if (!m_options.positional.isEmpty()) {
        fail(QStringLiteral("certs takes no arguments"));
        return;
    }
    if (m_options.isSet(QStringLiteral("pki"))) {
        listPki();
        return;
    }
    if (m_options.isSet(QStringLiteral("kubeconfig"))) {
        fail(QStringLiteral("--kubeconfig applies to certs --pki DIR"));
        return;
    }
    if (const QString e = m_options.resolveEndpoints(); !e.isEmpty()) {
        fail(e);
        return;
    }
    const TlsSettings tls = m_options.settings.tls;
    const TlsFilesCheck files = CertificateDiagnostics::checkFiles(tls);
    auto *diagnostics = new CertificateDiagnostics(tls, this);
    const QStringList endpoints = m_options.settings.endpoints;
    auto results = std::make_shared<QList<TlsDiagnosis>>();
    auto remaining = std::make_shared<int>(int(endpoints.size()));
    auto report = [this, files, results] {
        bool trouble = !files.ok();
        for (const TlsDiagnosis &d : std::as_const(*results))
            trouble |= !d.ok();
        if (m_options.json()) {
            QJsonArray list;
            for (const TlsDiagnosis &d : std::as_const(*results))
                list << d.toJson();
            printJson({{QStringLiteral("files"), files.toJson()}, {QStringLiteral("endpoints"), list}});
            finish(trouble ? 2 : 0);
            return;
        }
        QString out;
        if (files.hasClientCertificate)
            out += QStringLiteral("client certificate\n") + describe(files.client, QStringLiteral("  "));
        for (const CertificateInfo &ca : files.trusted)
            out += QStringLiteral("trusted CA\n") + describe(ca, QStringLiteral("  "));
        for (const QString &p : files.problems)
            out += QStringLiteral("PROBLEM: %1\n").arg(p);
        for (const QString &w : files.warnings)
            out += QStringLiteral("warning: %1\n").arg(w);
        for (const TlsDiagnosis &d : std::as_const(*results)) {
            out += QStringLiteral("\n%1: %2\n")
                       .arg(d.endpoint, d.ok() ? QStringLiteral("OK") : QStringLiteral("FAILED"));
            for (int i = 0; i < d.chain.size(); ++i)
                out += QStringLiteral("  presented certificate %1\n").arg(i + 1)
                    + describe(d.chain.at(i), QStringLiteral("    "));
            for (const QString &p : d.problems)
                out += QStringLiteral("  PROBLEM: %1\n").arg(p);
            for (const QString &w : d.warnings)
                out += QStringLiteral("  warning: %1\n").arg(w);
        }
        printOut(out);
        finish(trouble ? 2 : 0);
    };
    for (const QString &endpoint : endpoints) {
        diagnostics->diagnose(
            endpoint, m_options.settings.deadlines.readMs, [results, remaining, report](const TlsDiagnosis &d) {
                results->append(d);
                if (--*remaining == 0)
                    report();
            });
    }
}

void CertsCommand::listPki()
{
    const QString dir = m_options.value(QStringLiteral("pki"));
    const Result<PkiInventory::Reading> read = PkiInventory::readDirectory(dir);
    if (!read) {
        fail(read.error().describe());
        return;
    }
    PkiInventory::Reading all = read.value();
    for (const QString &kubeconfig : m_options.values(QStringLiteral("kubeconfig"))) {
        const Result<PkiInventory::Reading> users = PkiInventory::readKubeconfig(kubeconfig);
        if (!users) {
            fail(users.error().describe());
            return;
        }
        all.certificates << users.value().certificates;
        all.problems << users.value().problems;
    }
    PkiInventory::sortByExpiry(all.certificates);
    for (const QString &p : std::as_const(all.problems))
        printErr(QStringLiteral("problem: %1\n").arg(p));

    const QDateTime now = QDateTime::currentDateTimeUtc();
    int critical = 0;
    int warning = 0;
    for (const PkiCertificate &c : std::as_const(all.certificates)) {
        critical += c.severity(now) == PkiCertificate::Severity::Critical;
        warning += c.severity(now) == PkiCertificate::Severity::Warning;
    }
    if (m_options.json()) {
        QJsonArray list;
        for (const PkiCertificate &c : std::as_const(all.certificates))
            list << c.toJson(now);
        printJson(QJsonObject {{QStringLiteral("certificates"), list}});
    } else {
        TextTable t({QStringLiteral("EXPIRES"), QStringLiteral("LEFT"), QStringLiteral("SEVERITY"),
            QStringLiteral("CERTIFICATE"), QStringLiteral("SUBJECT"), QStringLiteral("ISSUER"),
            QStringLiteral("NAMES")});
        for (const PkiCertificate &c : std::as_const(all.certificates)) {
            const qint64 days = c.info.daysLeft(now);
            t.addRow({c.info.notAfter.toString(Qt::ISODate),
                c.info.notAfter < now ? QStringLiteral("expired") : QStringLiteral("%1 d").arg(days),
                QString::fromLatin1(PkiCertificate::severityName(c.severity(now))),
                c.user.isEmpty() ? c.file : QStringLiteral("%1 (%2)").arg(c.file, c.user), c.info.subject,
                c.info.issuer,
                c.info.subjectAltNames.isEmpty() ? QStringLiteral("-")
                                                 : c.info.subjectAltNames.join(QLatin1Char(','))});
        }
        printOut(t.toString());
        printOut(QStringLiteral("%1 certificate(s): %2 critical (within %3 days or expired), %4 warning (within %5 "
                                "days)\n")
                     .arg(all.certificates.size())
                     .arg(critical)
                     .arg(PkiInventory::kCriticalDays)
                     .arg(warning)
                     .arg(PkiInventory::kWarningDays));
    }
    finish(critical > 0 ? 2 : all.problems.isEmpty() ? 0 : 1);
}

#include "tools/CertsCommand.h"

#include "tls/CertificateDiagnostics.h"

#include <QJsonArray>
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

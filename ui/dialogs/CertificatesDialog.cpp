#include "dialogs/CertificatesDialog.h"

#include "tls/CertificateDiagnostics.h"
#include "tls/HttpTls.h"

#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

QString certificateHtml(const CertificateInfo &c)
{
    QString html = QStringLiteral("<table cellspacing=2>");
    auto row = [&](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td><i>%1</i></td><td>%2</td></tr>").arg(k, v.toHtmlEscaped());
    };
    row(QObject::tr("subject"), c.subject);
    row(QObject::tr("issuer"), c.issuer);
    if (!c.subjectAltNames.isEmpty())
        row(QObject::tr("names"), c.subjectAltNames.join(QStringLiteral(", ")));
    row(QObject::tr("valid"),
        QObject::tr("%1 to %2 (%3 days left)")
            .arg(c.notBefore.toString(Qt::ISODate), c.notAfter.toString(Qt::ISODate))
            .arg(c.daysLeft()));
    row(QObject::tr("key"), c.keyType);
    return html + QStringLiteral("</table>");
}

QString listHtml(const QStringList &items, const char *color, const QString &label)
{
    QString html;
    for (const QString &i : items)
        html += QStringLiteral("<p style='color:%1'><b>%2</b> %3</p>")
                    .arg(QLatin1String(color), label, i.toHtmlEscaped());
    return html;
}

} // namespace

CertificatesDialog::CertificatesDialog(const ConnectionSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_view(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("certificatesDialog"));
    setWindowTitle(tr("Certificates"));
    resize(720, 560);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    m_filesHtml = tr("<p>Reading the certificate files…</p>");
    m_endpointHtml.resize(settings.endpoints.size());
    render();

    struct Read {
        TlsFilesCheck files;
        QSslConfiguration ssl;
        QString sslError;
    };
    auto *watcher = new QFutureWatcher<Read>(this);
    connect(watcher, &QFutureWatcher<Read>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Read read = watcher->result();
        const TlsFilesCheck &files = read.files;
        QString html;
        if (files.hasClientCertificate)
            html += tr("<h3>Your client certificate</h3>") + certificateHtml(files.client);
        else
            html += tr("<p>No client certificate is configured.</p>");
        for (const CertificateInfo &ca : files.trusted)
            html += tr("<h3>Trusted CA</h3>") + certificateHtml(ca);
        html += listHtml(files.problems, "#c62828", tr("Problem:"));
        html += listHtml(files.warnings, "#e65100", tr("Warning:"));
        m_filesHtml = html;
        render();
        auto *diagnostics = new CertificateDiagnostics(m_settings.tls, this);
        diagnostics->setConfiguration(read.ssl, read.sslError);
        m_pending = int(m_settings.endpoints.size());
        for (int i = 0; i < m_settings.endpoints.size(); ++i) {
            m_endpointHtml[i] = tr("<h3>%1</h3><p>Connecting…</p>").arg(m_settings.endpoints.at(i).toHtmlEscaped());
            diagnostics->diagnose(
                m_settings.endpoints.at(i), m_settings.deadlines.readMs, [this, i](const TlsDiagnosis &d) {
                    QString html = QStringLiteral("<h3>%1 — %2</h3>")
                                       .arg(d.endpoint.toHtmlEscaped(),
                                           d.ok() ? tr("<span style='color:#2e7d32'>OK</span>")
                                                  : tr("<span style='color:#c62828'>failed</span>"));
                    for (int c = 0; c < d.chain.size(); ++c)
                        html += tr("<p>Presented certificate %1</p>").arg(c + 1) + certificateHtml(d.chain.at(c));
                    html += listHtml(d.problems, "#c62828", tr("Problem:"));
                    html += listHtml(d.warnings, "#e65100", tr("Warning:"));
                    m_endpointHtml[i] = html;
                    render();
                    if (--m_pending == 0 && !m_finished) {
                        m_finished = true;
                        emit finished_();
                    }
                });
        }
        if (m_pending == 0 && !m_finished) {
            m_finished = true;
            emit finished_();
        }
    });
    // The files are read on a worker thread, never here.
    watcher->setFuture(QtConcurrent::run([tls = settings.tls] {
        Read read;
        read.files = CertificateDiagnostics::checkFiles(tls);
        const Result<QSslConfiguration> ssl = HttpTls::configuration(tls);
        read.ssl = ssl.valueOr(QSslConfiguration());
        read.sslError = ssl.problem();
        return read;
    }));
}

void CertificatesDialog::render()
{
    m_view->setHtml(m_filesHtml + m_endpointHtml.join(QString()));
}

QString CertificatesDialog::text() const
{
    return m_view->toPlainText();
}

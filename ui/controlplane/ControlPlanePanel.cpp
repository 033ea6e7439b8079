#include "controlplane/ControlPlanePanel.h"

#include "kube/ControlPlaneReport.h"
#include "session/ConsoleSession.h"
#include "session/ControlPlaneSession.h"
#include "widgets/StateColors.h"
#include "widgets/TableColumns.h"

#include <QAction>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QTableWidget *table(const QStringList &headers, const QString &name, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setWordWrap(false);
    TableColumns::fit(t, int(headers.size()) - 1);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8); // compact rows
    return t;
}

QGroupBox *boxed(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(content);
    return box;
}

/// One row of cells; `bad` marks the row's state cell red, `badColumn` which one it is.
void addRow(QTableWidget *t, const QStringList &cells, int badColumn = -1, bool bad = false)
{
    const int row = t->rowCount();
    t->insertRow(row);
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells[c]);
        item->setToolTip(cells[c]);
        if (c == badColumn && bad)
            item->setForeground(StateColors::bad());
        t->setItem(row, c, item);
    }
}

constexpr int kHaproxyColumn = 7;

} // namespace

ControlPlanePanel::ControlPlanePanel(QWidget *parent)
    : QWidget(parent)
    , m_headline(new QLabel(this))
    , m_problems(new QLabel(this))
    , m_servers(table({tr("API server"), tr("Via"), tr("Live"), tr("Ready"), tr("Version"), tr("Response"),
                          tr("Certificate expires"), tr("HAProxy")},
          QStringLiteral("apiServersTable"), this))
    , m_leases(table({tr("Component"), tr("Leader"), tr("Renewed"), tr("Lease"), tr("Transitions"), tr("State")},
          QStringLiteral("leasesTable"), this))
    , m_masters(table({tr("Master"), tr("Node ready"), tr("Kubelet"), tr("Component"), tr("Phase"), tr("Ready"),
                          tr("Restarts"), tr("Last termination")},
          QStringLiteral("mastersTable"), this))
    , m_certificates(
          table({tr("Certificate"), tr("Subject"), tr("Issuer"), tr("Expires"), tr("Days left"), tr("State")},
              QStringLiteral("certificatesTable"), this))
    , m_certificatesBox(nullptr)
{
    setObjectName(QStringLiteral("controlPlanePanel"));
    m_headline->setObjectName(QStringLiteral("controlPlaneHeadline"));
    m_headline->setWordWrap(true);
    m_problems->setWordWrap(true);
    m_problems->setVisible(false);
    QPalette warn = m_problems->palette();
    warn.setColor(QPalette::WindowText, StateColors::bad());
    m_problems->setPalette(warn);

    auto *refresh = new QPushButton(tr("&Refresh"), this);
    refresh->setToolTip(tr("Read the control plane now (F5); it is read every 15 s"));
    // F5 is the window's Refresh, which reads the tab in view too (MainWindow).
    connect(refresh, &QPushButton::clicked, this, &ControlPlanePanel::refresh);

    auto *top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(refresh, 0, Qt::AlignTop);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(boxed(tr("API servers"), m_servers, split));
    split->addWidget(boxed(tr("Leader elections"), m_leases, split));
    split->addWidget(boxed(tr("Masters and their static pods"), m_masters, split));
    m_certificatesBox = boxed(tr("Certificates"), m_certificates, split);
    split->addWidget(m_certificatesBox);
    // A few API servers and two leases above; the masters' pods, the longest list, get the
    // most, the certificates what is left.
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setStretchFactor(2, 3);
    split->setStretchFactor(3, 2);
    split->setSizes({150, 110, 300, 200});
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_problems);
    layout->addWidget(split, 1);
    showUnavailable(tr("Connect to a cluster to see the Kubernetes control plane above it."));
}

void ControlPlanePanel::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session->controlPlane(), nullptr, this, nullptr);
    m_session = session;
    if (!session) {
        showUnavailable(tr("Connect to a cluster to see the Kubernetes control plane above it."));
        return;
    }
    ControlPlaneSession *plane = session->controlPlane();
    connect(plane, &ControlPlaneSession::reportReady, this, &ControlPlanePanel::show);
    connect(plane, &ControlPlaneSession::certificatesRead, this, &ControlPlanePanel::showCertificates);
    showCertificates(plane->certificates());
    connect(plane, &ControlPlaneSession::unavailableChanged, this, [this](const QString &why) {
        if (!why.isEmpty())
            showUnavailable(why);
    });
    if (plane->hasReport())
        show(plane->last());
    else
        showUnavailable(plane->unavailable().isEmpty() ? tr("Reading the control plane from the kubeconfig…")
                                                       : plane->unavailable());
}

QString ControlPlanePanel::headline() const
{
    return m_headline->text();
}

void ControlPlanePanel::showUnavailable(const QString &why)
{
    for (QTableWidget *t : {m_servers, m_leases, m_masters})
        t->setRowCount(0);
    m_problems->setVisible(false);
    m_headline->setText(why.endsWith(QChar(0x2026)) || why.endsWith(QLatin1Char('.'))
            ? why
            : tr("No Kubernetes control plane to show: %1.").arg(why));
}

void ControlPlanePanel::refresh()
{
    if (m_session) {
        m_session->controlPlane()->refresh();
        m_session->controlPlane()->readCertificates();
    }
}

void ControlPlanePanel::show(const ControlPlaneReport &r)
{
    for (QTableWidget *t : {m_servers, m_leases, m_masters})
        t->setRowCount(0);
    int readyServers = 0;
    // The HAProxy column only when the profile names the HAProxy in front.
    m_servers->setColumnHidden(kHaproxyColumn, !r.balancer);
    if (r.balancer)
        m_servers->horizontalHeaderItem(kHaproxyColumn)
            ->setText(r.balancer->backend.isEmpty() ? tr("HAProxy") : tr("HAProxy (%1)").arg(r.balancer->backend));
    for (const ApiServerState &a : r.apiServers) {
        readyServers += a.isReady() ? 1 : 0;
        const QString ready = !a.error.isEmpty() ? tr("No answer: %1").arg(a.error)
            : a.ready.ok                         ? tr("Ready")
                                                 : a.ready.describe(tr("ready"));
        addRow(m_servers,
            {a.address, a.viaLoadBalancer ? tr("kubeconfig (load balancer)") : tr("direct"),
                a.error.isEmpty() && a.live.ok ? tr("Live") : tr("No"), ready,
                a.version.isEmpty() ? QStringLiteral("—") : a.version,
                a.responseMs >= 0 ? tr("%1 ms").arg(a.responseMs) : QStringLiteral("—"),
                a.certExpiry.isValid() ? QLocale().toString(a.certExpiry.toLocalTime(), QLocale::ShortFormat)
                                       : QStringLiteral("—"),
                a.viaLoadBalancer || a.lbStatus.isEmpty() ? QStringLiteral("—")
                    : a.drift.isEmpty()                   ? a.lbStatus
                                                          : tr("%1 — drift").arg(a.lbStatus)},
            3, !a.isReady());
        if (!a.drift.isEmpty()) {
            QTableWidgetItem *lb = m_servers->item(m_servers->rowCount() - 1, kHaproxyColumn);
            lb->setForeground(StateColors::bad());
            lb->setToolTip(a.drift);
        }
    }
    QStringList leaders;
    for (const KubeLease &l : r.leases) {
        const bool stale = l.isStale(r.readAt);
        addRow(m_leases,
            {l.name, l.holder.isEmpty() ? tr("nobody") : l.holderNode(),
                l.renewTime.isValid() ? tr("%1 s ago").arg(l.renewTime.secsTo(r.readAt)) : QStringLiteral("—"),
                tr("%1 s").arg(l.leaseDurationSeconds), QString::number(l.transitions),
                stale ? tr("Stale: no leader") : tr("Held")},
            5, stale);
        leaders << (stale ? tr("%1 has no leader").arg(l.name) : tr("%1 led by %2").arg(l.name, l.holderNode()));
    }
    int readyMasters = 0;
    for (const ControlPlaneNode &m : r.masters) {
        readyMasters += m.isHealthy() ? 1 : 0;
        const QString nodeReady = m.ready ? tr("Ready") : tr("Not ready (%1)").arg(m.readyReason);
        if (m.pods.isEmpty())
            addRow(m_masters, {m.name, nodeReady, m.kubeletVersion, QStringLiteral("—")}, 1, !m.ready);
        for (qsizetype i = 0; i < m.pods.size(); ++i) {
            const StaticPod &p = m.pods[i];
            const bool podBad = !p.ready || p.phase != QLatin1String("Running");
            addRow(m_masters,
                {i == 0 ? m.name : QString(), i == 0 ? nodeReady : QString(), i == 0 ? m.kubeletVersion : QString(),
                    p.component, p.waiting.isEmpty() ? p.phase : QStringLiteral("%1 (%2)").arg(p.phase, p.waiting),
                    p.ready ? tr("Yes") : tr("No"), QString::number(p.restarts),
                    p.lastTermination.isEmpty() ? QStringLiteral("—") : p.lastTermination},
                5, podBad);
            if (i == 0 && !m.ready)
                m_masters->item(m_masters->rowCount() - 1, 1)->setForeground(StateColors::bad());
        }
    }
    m_headline->setText(tr("%1 · %2/%3 API servers ready · %4 · %5/%6 masters healthy · read %7")
                            .arg(r.server)
                            .arg(readyServers)
                            .arg(r.apiServers.size())
                            .arg(leaders.isEmpty() ? tr("no component leases") : leaders.join(QStringLiteral(", ")))
                            .arg(readyMasters)
                            .arg(r.masters.size())
                            .arg(QLocale().toString(r.readAt.toLocalTime().time(), QLocale::LongFormat)));
    const QStringList drift = r.drift();
    QStringList lines = r.problems;
    for (const QString &d : drift)
        lines << tr("Drift: %1.").arg(d);
    m_problems->setVisible(!lines.isEmpty());
    m_problems->setText(lines.join(QLatin1Char('\n')));
}

void ControlPlanePanel::showCertificates(const PkiInventory::Reading &reading)
{
    m_certificates->setRowCount(0);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    int warnings = 0, critical = 0;
    for (const PkiCertificate &c : reading.certificates) {
        const PkiCertificate::Severity severity = c.severity(now);
        const qint64 days = c.info.daysLeft(now);
        const QString state = severity == PkiCertificate::Severity::Critical
            ? (c.info.expired(now) ? tr("Expired") : tr("Renew now"))
            : severity == PkiCertificate::Severity::Warning ? tr("Renew soon")
                                                            : tr("OK");
        addRow(m_certificates,
            {c.user.isEmpty() ? c.file : tr("%1 (user %2)").arg(c.file, c.user), c.info.subject, c.info.issuer,
                QLocale().toString(c.info.notAfter.toLocalTime(), QLocale::ShortFormat), QString::number(days), state});
        if (severity != PkiCertificate::Severity::Ok) {
            const QColor colour
                = severity == PkiCertificate::Severity::Critical ? StateColors::bad() : StateColors::warning();
            for (int column : {4, 5})
                m_certificates->item(m_certificates->rowCount() - 1, column)->setForeground(colour);
        }
        warnings += severity == PkiCertificate::Severity::Warning;
        critical += severity == PkiCertificate::Severity::Critical;
    }
    for (const QString &problem : reading.problems) {
        addRow(m_certificates, {problem}, 0, true);
        m_certificates->setSpan(m_certificates->rowCount() - 1, 0, 1, m_certificates->columnCount());
    }
    const QString dir = m_session ? m_session->controlPlane()->pkiDirectory() : QString();
    QString title = dir.isEmpty() ? tr("Certificates (the kubeconfig's; name a PKI directory in the profile for the "
                                       "control plane's)")
                                  : tr("Certificates in %1 and the kubeconfig's").arg(dir);
    if (critical)
        title += tr(" · %n to renew now", nullptr, critical);
    if (warnings)
        title += tr(" · %n within %1 days", nullptr, warnings).arg(PkiInventory::kWarningDays);
    m_certificatesBox->setTitle(title);
}

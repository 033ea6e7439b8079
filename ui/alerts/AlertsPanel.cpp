#include "alerts/AlertsPanel.h"

#include "alerts/AlertNotifier.h"
#include "session/AlertsSession.h"
#include "session/ConsoleSession.h"
#include "widgets/StateColors.h"
#include "widgets/TableColumns.h"

#include <QCheckBox>
#include <QDateTime>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

AlertsPanel::AlertsPanel(AlertNotifier *notifier, QWidget *parent)
    : QWidget(parent)
    , m_notifier(notifier)
    , m_headline(new QLabel(this))
    , m_errors(new QLabel(this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_remote(new QGroupBox(this))
    , m_remoteHeadline(new QLabel(this))
    , m_remoteTable(new QTableWidget(0, ColumnCount, this))
    , m_critical(new QCheckBox(tr("Notify when a critical alert fires or resolves"), this))
    , m_warning(new QCheckBox(tr("Notify for warnings too"), this))
    , m_mute(new QPushButton(this))
{
    setObjectName(QStringLiteral("alertsPanel"));
    m_headline->setObjectName(QStringLiteral("alertsHeadline"));
    m_headline->setWordWrap(true);
    m_errors->setWordWrap(true);
    m_errors->setVisible(false);
    m_table->setObjectName(QStringLiteral("alertsTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("State"), tr("Severity"), tr("Alert"), tr("Member"), tr("Since"), tr("Summary"), tr("What to do")});
    m_remoteTable->setObjectName(QStringLiteral("alertmanagerTable"));
    m_remoteTable->setHorizontalHeaderLabels(
        {tr("State"), tr("Severity"), tr("Alert"), tr("Member"), tr("Since"), tr("Summary"), tr("Silenced by")});
    for (QTableWidget *table : {m_table, m_remoteTable}) {
        table->verticalHeader()->hide();
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setWordWrap(false);
        TableColumns::fit(table, Summary);
    }
    m_remote->setObjectName(QStringLiteral("alertmanagerBox"));
    m_remoteHeadline->setWordWrap(true);
    auto *remoteLayout = new QVBoxLayout(m_remote);
    remoteLayout->addWidget(m_remoteHeadline);
    remoteLayout->addWidget(m_remoteTable, 1);
    m_remote->setVisible(false);

    m_critical->setChecked(notifier->notifies(AlertSeverity::Critical));
    m_warning->setChecked(notifier->notifies(AlertSeverity::Warning));
    m_mute->setObjectName(QStringLiteral("muteAlerts"));
    m_critical->setObjectName(QStringLiteral("notifyCritical"));
    m_warning->setObjectName(QStringLiteral("notifyWarning"));
    connect(m_critical, &QCheckBox::toggled, this,
        [this](bool on) { m_notifier->setNotifies(AlertSeverity::Critical, on); });
    connect(
        m_warning, &QCheckBox::toggled, this, [this](bool on) { m_notifier->setNotifies(AlertSeverity::Warning, on); });
    connect(m_mute, &QPushButton::clicked, this, [this] {
        m_notifier->muteUntil(m_notifier->isMuted() ? QDateTime() : QDateTime::currentDateTime().addSecs(3600));
    });
    connect(m_notifier, &AlertNotifier::settingsChanged, this, &AlertsPanel::updateMute);
    updateMute();

    auto *notifications = new QHBoxLayout;
    notifications->addWidget(m_critical);
    notifications->addWidget(m_warning);
    notifications->addStretch(1);
    notifications->addWidget(m_mute);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_headline);
    layout->addWidget(m_errors);
    layout->addWidget(m_table, 2);
    layout->addWidget(m_remote, 1);
    layout->addLayout(notifications);
    reload();
}

void AlertsPanel::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session->alerts(), nullptr, this, nullptr);
    m_session = session;
    if (session)
        connect(session->alerts(), &AlertsSession::updated, this, &AlertsPanel::reload);
    reload();
}

QString AlertsPanel::headline() const
{
    return m_headline->text();
}

QString AlertsPanel::remoteHeadline() const
{
    return m_remoteHeadline->text();
}

void AlertsPanel::updateMute()
{
    if (m_notifier->isMuted())
        m_mute->setText(tr("Unmute (muted until %1)")
                            .arg(QLocale().toString(m_notifier->mutedUntil().time(), QLocale::ShortFormat)));
    else
        m_mute->setText(tr("Mute notifications for 1 hour"));
}

void AlertsPanel::reload()
{
    m_table->setRowCount(0);
    reloadRemote();
    if (!m_session) {
        m_headline->setText(tr("Connect to a cluster to evaluate its alert rules."));
        return;
    }
    const AlertsSession *alerts = m_session->alerts();
    const QList<::Alert> active = alerts->active();
    if (alerts->evaluations() == 0)
        m_headline->setText(
            tr("Evaluating %1 alert rules (the etcd project's and the console's own) every 5 s once the "
               "first scrape is in.")
                .arg(alerts->ruleCount()));
    else if (active.isEmpty())
        m_headline->setText(tr("No alert is pending or firing. %1 alert rules (the etcd project's and the console's "
                               "own) are evaluated every 5 s.")
                                .arg(alerts->ruleCount()));
    else
        m_headline->setText(tr("%1 firing · %2 pending. An alert is pending while its condition holds, and fires once "
                               "it has held for the rule's period.")
                                .arg(alerts->firingCount())
                                .arg(alerts->pendingCount()));
    const QStringList errors = alerts->errors();
    m_errors->setVisible(!errors.isEmpty());
    m_errors->setText(tr("Rules not evaluated: %1").arg(errors.join(QStringLiteral("; "))));

    m_table->setRowCount(int(active.size()));
    for (int row = 0; row < active.size(); ++row) {
        const ::Alert &a = active[row];
        const bool firing = a.phase == AlertPhase::Firing;
        const QString member = alerts->memberName(a);
        const QString since = QDateTime::fromMSecsSinceEpoch(a.sinceMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        const QStringList cells {firing ? tr("Firing") : tr("Pending"),
            a.severity == AlertSeverity::Critical ? tr("Critical") : tr("Warning"), QString::fromStdString(a.name),
            member.isEmpty() ? tr("Cluster") : member, since, QString::fromStdString(a.description),
            QString::fromStdString(a.runbook)};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            if (c == State)
                item->setForeground(firing ? StateColors::bad() : StateColors::warning());
            m_table->setItem(row, c, item);
        }
    }
}

void AlertsPanel::reloadRemote()
{
    m_remoteTable->setRowCount(0);
    const AlertsSession *alerts = m_session ? m_session->alerts() : nullptr;
    m_remote->setVisible(alerts && !alerts->alertmanagerUrl().isEmpty());
    if (!m_remote->isVisible())
        return;
    m_remote->setTitle(tr("Alertmanager — %1").arg(alerts->alertmanagerUrl()));
    const QList<RemoteAlert> &remote = alerts->remoteAlerts();
    int silenced = 0;
    for (const RemoteAlert &a : remote)
        silenced += a.silencedBy.isEmpty() && a.inhibitedBy.isEmpty() ? 0 : 1;
    QString line = alerts->remoteReads() == 0 ? tr("Reading the Alertmanager…")
        : remote.isEmpty()                    ? tr("The Alertmanager holds no alert for this cluster.")
        : remote.size() == 1                  ? tr("1 alert held, %1 silenced or inhibited.").arg(silenced)
                             : tr("%1 alerts held, %2 silenced or inhibited.").arg(remote.size()).arg(silenced);
    if (!alerts->remoteError().isEmpty())
        line = remote.isEmpty()
            ? tr("The Alertmanager could not be read: %1").arg(alerts->remoteError())
            : tr("The Alertmanager could not be read (%1); its last list is shown.").arg(alerts->remoteError());
    m_remoteHeadline->setText(line);

    m_remoteTable->setRowCount(int(remote.size()));
    for (int row = 0; row < remote.size(); ++row) {
        const RemoteAlert &a = remote[row];
        const bool quiet = !a.silencedBy.isEmpty() || !a.inhibitedBy.isEmpty();
        const QString state = !a.silencedBy.isEmpty() ? tr("Silenced")
            : !a.inhibitedBy.isEmpty()                ? tr("Inhibited")
                                                      : tr("Active");
        const QString severity = a.labels.value(QStringLiteral("severity"));
        const QString instance = a.labels.value(QStringLiteral("instance"));
        QString summary = a.annotations.value(QStringLiteral("description"));
        if (summary.isEmpty())
            summary = a.annotations.value(QStringLiteral("summary"));
        QStringList why;
        if (!a.silencedBy.isEmpty())
            why << tr("silence %1").arg(a.silencedBy.join(QStringLiteral(", ")));
        if (!a.inhibitedBy.isEmpty())
            why << tr("inhibited by %1").arg(a.inhibitedBy.join(QStringLiteral(", ")));
        const QStringList cells {state, severity.isEmpty() ? QString() : severity.at(0).toUpper() + severity.mid(1),
            a.name(), instance.isEmpty() ? tr("Cluster") : alerts->memberAt(instance),
            a.startsAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), summary,
            why.join(QStringLiteral("; "))};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            if (c == State && !quiet)
                item->setForeground(
                    severity == QLatin1String("critical") ? StateColors::bad() : StateColors::warning());
            m_remoteTable->setItem(row, c, item);
        }
    }
}

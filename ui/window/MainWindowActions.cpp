// What the window's actions do: each operation an operator starts from the menus and the
// toolbar (MainWindowMenus.cpp), confirmed first, carried out and journalled by the session.

#include "window/MainWindow.h"

#include "backups/BackupsPanel.h"
#include "cluster/ClusterMonitor.h"
#include "cluster/Preflight.h"
#include "common/MemberId.h"
#include "controlplane/ControlPlanePanel.h"
#include "dialogs/AddMemberDialog.h"
#include "dialogs/CertificatesDialog.h"
#include "dialogs/Confirm.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"
#include "keyspace/KeyspacePanel.h"
#include "members/MembersModel.h"
#include "session/ConsoleSession.h"
#include "session/DemoController.h"
#include "storage/StoragePanel.h"
#include "widgets/NotificationBar.h"
#include "window/StartPage.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>

QAction *MainWindow::action(const QString &name) const
{
    return m_actions.value(name);
}

void MainWindow::buildActions()
{
    auto add = [this](const char *name, const QString &text, const QKeySequence &key, const QString &tip,
                   const QString &icon, std::function<void()> slot) {
        auto *a = new QAction(QIcon::fromTheme(icon), text, this);
        a->setObjectName(QString::fromLatin1(name));
        a->setShortcut(key);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        a->setStatusTip(tip);
        connect(a, &QAction::triggered, this, slot);
        m_actions.insert(a->objectName(), a);
        return a;
    };
    add("transferLeader", tr("&Transfer leadership…"), QKeySequence(Qt::CTRL | Qt::Key_T),
        tr("Move leadership to the selected follower, or to the most up-to-date one"), QStringLiteral("go-jump"),
        [this] { transferLeader(); });
    add("addMember", tr("&Add member…"), QKeySequence(Qt::CTRL | Qt::Key_N), tr("Add a voter or a learner"),
        QStringLiteral("list-add"), [this] { this->addMember(); });
    add("removeMember", tr("&Remove member…"), QKeySequence::Delete,
        tr("Remove the selected member, if the cluster keeps its quorum"), QStringLiteral("list-remove"),
        [this] { removeMember(); });
    add("promoteLearner", tr("&Promote learner…"), QKeySequence(Qt::CTRL | Qt::Key_P),
        tr("Make the selected learner a voter once it has caught up"), QStringLiteral("go-up"),
        [this] { promoteLearner(); });
    add("killLeader", tr("&Kill the leader"), QKeySequence(Qt::CTRL | Qt::Key_K),
        tr("Demo cluster: SIGKILL the leader's process and watch an election"), QStringLiteral("process-stop"), [this] {
            if (m_session)
                m_session->killLeader();
        });
    add("refresh", tr("Re&fresh"), QKeySequence::Refresh,
        tr("Take a snapshot now, and read again what the tab in view shows (keyspace, control plane)"),
        QStringLiteral("view-refresh"), [this] {
            if (!m_session)
                return;
            m_session->monitor()->refresh();
            QWidget *shown = findChild<QTabWidget *>(QStringLiteral("tabs"))->currentWidget();
            if (shown == m_keyspacePanel)
                m_keyspacePanel->walk();
            else if (shown == m_controlPlanePanel)
                m_controlPlanePanel->refresh();
        });
    add("certificates", tr("C&ertificates…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
        tr("The certificates of this connection: the chain each endpoint presents, your client certificate, and "
           "what is wrong with them"),
        QStringLiteral("security-high"), [this] { showCertificates(); });
    add("exportJournal", tr("&Export journal…"), QKeySequence(Qt::CTRL | Qt::Key_E),
        tr("Save this cluster's events and operator actions as JSON Lines or CSV"), QStringLiteral("document-save"),
        [this] { this->exportJournal(); });
    add("copyRows", tr("&Copy rows"), QKeySequence::Copy, tr("Copy the selected members as text"),
        QStringLiteral("edit-copy"), [this] { copySelectedRows(); });
    add("quit", tr("&Quit"), QKeySequence::Quit, tr("Close the console (stops a demo cluster it started)"),
        QStringLiteral("application-exit"), [this] { close(); });

    static const std::pair<const char *, const char *> demoActions[] = {{"demoStop", "S&top member"},
        {"demoKill", "&Kill member (SIGKILL)"}, {"demoPause", "&Pause member (SIGSTOP)"},
        {"demoResume", "Res&ume member (SIGCONT)"}, {"demoRestart", "R&estart member"}};
    add("stopDemo", tr("Stop the demo cluster…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q),
        tr("Stop every member of the demo cluster this window started"), QStringLiteral("media-playback-stop"),
        [this] { this->stopDemo(); });
    add("healNetwork", tr("&Heal the network"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
        tr("Demo cluster: lift every fault on the members' peer links"), QStringLiteral("network-wired"), [this] {
            if (m_session)
                m_session->clearNetworkFaults();
        });
    add("showInLogs", tr("Show event in member &logs"), QKeySequence(Qt::CTRL | Qt::Key_L),
        tr("Demo cluster: open the logs of the members the selected event names, at its moment"),
        QStringLiteral("text-x-generic"), [this] { showEventInLogs(); });
    add("connect", tr("&Connect…"), QKeySequence::Open,
        tr("Connect to another cluster: a saved profile or the connection form"), QStringLiteral("network-connect"),
        [this] { showStartPage(); });
    add("openDemo", tr("Open &demo"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
        tr("Launch the local demo cluster (real etcd members behind HAProxy) and open it"),
        QStringLiteral("media-playback-start"), [this] { start(true); });
    add("defragment", tr("&Defragment…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
        tr("Defragment every member, followers first and the leader last, after asking"), QStringLiteral("edit-clear"),
        [this] {
            showPanel(m_storagePanel);
            m_storagePanel->askReclaim(false);
        });
    add("backUpNow", tr("&Back up now…"), QKeySequence(Qt::CTRL | Qt::Key_B),
        tr("Stream a snapshot from the most up-to-date follower and verify it"), QStringLiteral("document-save-as"),
        [this] {
            showPanel(m_backupsPanel);
            m_backupsPanel->backUpNow();
        });
    for (int i = 0; i < 5; ++i) {
        auto *a = new QAction(tr(demoActions[i].second), this);
        a->setObjectName(QString::fromLatin1(demoActions[i].first));
        a->setStatusTip(tr("Demo cluster: act on the selected member's process"));
        connect(a, &QAction::triggered, this, [this, i] { demoMember(i); });
        m_actions.insert(a->objectName(), a);
    }
}

void MainWindow::showCertificates()
{
    if (!m_session)
        return;
    auto *dialog = new CertificatesDialog(m_session->client()->settings(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::onOperationFinished(const QString &action, const OperationResult &result)
{
    if (action == QLatin1String("reclaim") || action == QLatin1String("defragment"))
        m_storagePanel->setRunbookFinished(result);
    else if (action == QLatin1String("demo-fill"))
        m_storagePanel->setFillFinished(result);
    m_notice->show(result.ok() ? NotificationBar::Kind::Success : NotificationBar::Kind::Failure, result.sentence);
}

QString MainWindow::selectedMember() const
{
    const QModelIndexList rows = m_membersView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const QModelIndex source = m_membersSorted->mapToSource(rows.first());
    return m_members->data(source, MembersModel::MemberIdRole).toString();
}

bool MainWindow::selectMember(const QString &name)
{
    for (int row = 0; row < m_membersSorted->rowCount(); ++row) {
        const QModelIndex source = m_membersSorted->mapToSource(m_membersSorted->index(row, 0));
        if (m_members->data(source, MembersModel::MemberNameRole).toString() == name) {
            m_membersView->selectRow(row);
            return true;
        }
    }
    return false;
}

void MainWindow::updateActions()
{
    const bool connected = m_session && m_session->snapshot().isValid();
    const bool busy = m_session && m_session->isBusy();
    const bool demo = m_session && m_session->demo();
    const MemberState *selected = connected ? m_session->snapshot().findMember(selectedMember()) : nullptr;
    action(QStringLiteral("transferLeader"))->setEnabled(connected && !busy);
    action(QStringLiteral("addMember"))->setEnabled(connected && !busy);
    action(QStringLiteral("removeMember"))->setEnabled(connected && !busy && selected);
    action(QStringLiteral("promoteLearner"))->setEnabled(connected && !busy && selected && selected->isLearner);
    action(QStringLiteral("killLeader"))->setEnabled(demo && !busy);
    action(QStringLiteral("stopDemo"))->setEnabled(demo && m_ownsDemo && !busy);
    action(QStringLiteral("healNetwork"))->setEnabled(demo && m_session->network());
    action(QStringLiteral("showInLogs"))->setEnabled(demo && m_eventsView->currentIndex().isValid());
    for (const char *name : {"demoStop", "demoKill", "demoPause", "demoResume", "demoRestart"})
        action(QString::fromLatin1(name))->setEnabled(demo && !busy && selected);
    action(QStringLiteral("refresh"))->setEnabled(connected);
    action(QStringLiteral("certificates"))->setEnabled(m_session != nullptr);
    action(QStringLiteral("exportJournal"))->setEnabled(connected && m_journal);
}

void MainWindow::transferLeader()
{
    if (!m_session)
        return;
    const MemberState *selected = m_session->snapshot().findMember(selectedMember());
    // The selected follower if there is one, else the most up-to-date follower.
    const QString target = selected && selected->role == MemberRole::Follower ? selectedMember() : QString();
    const MoveLeaderPlan plan = Preflight::moveLeader(m_session->snapshot(), target);
    if (!plan.allowed) {
        m_notice->show(NotificationBar::Kind::Failure, plan.sentence);
        return;
    }
    Confirm::ask(this, tr("Transfer leadership"), tr("%1?").arg(plan.sentence), [this, plan](bool yes) {
        if (yes && m_session)
            m_session->moveLeader(MemberId::toHex(plan.targetId));
    });
}

void MainWindow::addMember()
{
    if (!m_session)
        return;
    auto *dialog = new AddMemberDialog(m_session->snapshot(), m_session->proposePeerUrl(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_session)
            m_session->addMember(dialog->name(), dialog->peerUrls(), dialog->learner());
    });
    dialog->open();
}

void MainWindow::removeMember()
{
    if (!m_session)
        return;
    const QString member = selectedMember();
    const RemovePlan plan = Preflight::remove(m_session->snapshot(), member, false);
    if (plan.verdict == RemovePlan::Verdict::Refused) {
        m_notice->show(NotificationBar::Kind::Failure, plan.sentence);
        return;
    }
    const bool force = plan.verdict == RemovePlan::Verdict::NeedsForce;
    const QString name = m_session->snapshot().findMember(member)->displayName();
    const QString text = tr("Remove %1?\n\nBefore: %2\nAfter: %3%4")
                             .arg(name, plan.before.describe(), plan.after.describe(),
                                 force ? tr("\n\nThe cluster would then survive no further failure.") : QString());
    Confirm::ask(this, tr("Remove member"), text, [this, member, force](bool yes) {
        if (yes && m_session)
            m_session->removeMember(member, force);
    });
}

void MainWindow::promoteLearner()
{
    if (!m_session)
        return;
    const QString member = selectedMember();
    const PromotePlan plan = Preflight::promote(m_session->snapshot(), member);
    if (!plan.allowed) {
        m_notice->show(NotificationBar::Kind::Failure, plan.sentence);
        return;
    }
    Confirm::ask(this, tr("Promote learner"), tr("%1?").arg(plan.sentence), [this, member](bool yes) {
        if (yes && m_session)
            m_session->promoteMember(member);
    });
}

void MainWindow::demoMember(int action)
{
    if (!m_session)
        return;
    const MemberState *m = m_session->snapshot().findMember(selectedMember());
    if (!m)
        return;
    const auto a = DemoController::MemberAction(action);
    const QString name = m->name;
    if (a == DemoController::MemberAction::Kill || a == DemoController::MemberAction::Stop) {
        Confirm::ask(this, tr("Demo cluster"), tr("Stop the process of %1?").arg(name), [this, name, a](bool yes) {
            if (yes && m_session)
                m_session->demoAction(name, a);
        });
        return;
    }
    m_session->demoAction(name, a);
}

void MainWindow::stopDemo()
{
    if (!m_session || !m_session->demo() || !m_ownsDemo)
        return;
    Confirm::ask(this, tr("Stop the demo cluster"), tr("Stop every member of the demo cluster?"), [this](bool yes) {
        if (!yes || !m_session || !m_session->demo())
            return;
        ConsoleSession *session = m_session;
        session->stop();
        // Its last answers must not reach the views once it is detached.
        disconnect(session, nullptr, this, nullptr);
        m_notice->show(NotificationBar::Kind::Info, tr("Stopping the demo cluster…"));
        session->demo()->stop([this, session](const OperationResult &r) {
            if (m_session == session) {
                m_session = nullptr;
                m_ownsDemo = false;
                m_members->setSnapshot(ClusterSnapshot());
                m_stack->setCurrentWidget(m_start);
                m_start->setMessage(r.sentence);
                m_connectionLabel->setText(tr("Not connected"));
                updateActions();
            }
            session->deleteLater();
        });
    });
}

void MainWindow::exportJournal()
{
    if (!m_session || !m_journal)
        return;
    auto *dialog = new QFileDialog(this, tr("Export journal"), QStringLiteral("quorumdeck-journal.jsonl"),
        tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        if (!m_session)
            return;
        m_journal->exportHistory(m_session->snapshot().clusterId(), path,
            path.endsWith(QLatin1String(".csv")) ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    });
    dialog->open();
}

void MainWindow::copySelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &i : m_membersView->selectionModel()->selectedRows())
        rows << m_membersSorted->mapToSource(i).row();
    if (!rows.isEmpty())
        QApplication::clipboard()->setText(m_members->rowsAsText(rows));
}

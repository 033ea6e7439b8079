#include "window/MainWindow.h"

#include "alerts/AlertNotifier.h"
#include "alerts/AlertsPanel.h"
#include "backups/BackupsPanel.h"
#include "controlplane/ControlPlanePanel.h"

#include "backup/BackupCatalog.h"
#include "common/Format.h"
#include "common/MemberId.h"
#include "elections/ElectionsTimeline.h"
#include "elections/EventsModel.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"
#include "keyspace/KeyspacePanel.h"
#include "lb/LoadBalancerPanel.h"
#include "logs/MemberLogView.h"
#include "members/MembersModel.h"
#include "metrics/MetricsDashboard.h"
#include "network/NetworkPanel.h"
#include "overview/ConsistencyLine.h"
#include "overview/TopologyView.h"
#include "session/AlertsSession.h"
#include "session/BackupSession.h"
#include "session/ConsistencySession.h"
#include "session/ConsoleSession.h"
#include "session/DemoController.h"
#include "session/DemoLauncher.h"
#include "session/StorageSession.h"
#include "storage/KubeVolumesView.h"
#include "storage/StoragePanel.h"
#include "tls/CertificateDiagnostics.h"
#include "widgets/AccessibleNames.h"
#include "widgets/MemberPalette.h"
#include "widgets/NotificationBar.h"
#include "widgets/OperationProgress.h"
#include "widgets/OverlayStrips.h"
#include "widgets/SteadyLabel.h"
#include "widgets/TableColumns.h"
#include "window/AlertTray.h"
#include "window/ConnectFlow.h"
#include "window/FirstFrameTrace.h"
#include "window/PanelTabs.h"
#include "window/QuorumLossBanner.h"
#include "window/StartPage.h"
#include "window/StatusSentence.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace {

QTableView *makeTable(QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    return view;
}

} // namespace

MainWindow::MainWindow(Journal *journal, QWidget *parent)
    : QMainWindow(parent)
    , m_journal(journal)
    , m_stack(new QStackedWidget(this))
    , m_start(new StartPage(this))
    , m_notice(new NotificationBar(this))
    , m_flow(new ConnectFlow(journal, m_start, m_notice, this))
    , m_topology(new TopologyView(this))
    , m_consistency(new ConsistencyLine(this))
    , m_timeline(new ElectionsTimeline(this))
    , m_dashboard(new MetricsDashboard(this))
    , m_lbPanel(new LoadBalancerPanel(this))
    , m_storagePanel(new StoragePanel(this))
    , m_keyspacePanel(new KeyspacePanel(this))
    , m_backupsPanel(new BackupsPanel(this))
    , m_notifier(new AlertNotifier(this))
    , m_alertsPanel(new AlertsPanel(m_notifier, this))
    , m_controlPlanePanel(new ControlPlanePanel(this))
    , m_tray(nullptr)
    , m_quorumBanner(new QuorumLossBanner(this))
    , m_networkPanel(new NetworkPanel(this))
    , m_logView(new MemberLogView(this))
    , m_members(new MembersModel(this))
    , m_events(new EventsModel(this))
    , m_membersSorted(new QSortFilterProxyModel(this))
    , m_membersView(makeTable(this))
    , m_eventsView(makeTable(this))
    , m_overviewSplit(new QSplitter(Qt::Vertical, this))
    , m_electionsSplit(new QSplitter(Qt::Vertical, this))
    , m_connectionLabel(new QLabel(tr("Not connected"), this))
    , m_ageLabel(new SteadyLabel(this))
    , m_tickLabel(new SteadyLabel(this))
    , m_busy(new OperationProgress(this))
{
    setWindowTitle(QStringLiteral("QuorumDeck"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("network-server")));
    m_tray = new AlertTray(QApplication::windowIcon().isNull() ? windowIcon() : QApplication::windowIcon(), this);
    connect(m_notifier, &AlertNotifier::notify, m_tray, &AlertTray::show);
    connect(m_tray, &AlertTray::activated, this, [this] {
        showNormal();
        raise();
        activateWindow();
        findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(m_alertsPanel);
    });
    buildActions();
    buildConsole();
    buildMenus();
    m_stack->addWidget(m_start);
    m_stack->setCurrentWidget(m_start);
    setCentralWidget(m_stack);

    connect(m_busy, &OperationProgress::stopRequested, this, [this] {
        if (m_session)
            m_session->stopOperation();
    });
    m_connectionLabel->setObjectName(QStringLiteral("statusSentence"));
    m_connectionLabel->setToolTip(tr("The endpoints the console talks to"));
    m_ageLabel->setToolTip(tr("How long ago the last snapshot of the cluster was taken"));
    m_tickLabel->setToolTip(tr("How long the last snapshot took (MemberList plus Status from every member)"));
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_ageLabel);
    statusBar()->addPermanentWidget(m_tickLabel);
    // A snapshot updates the status bar as it comes; between two, the timer ages it.
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatusBar);

    connect(m_flow, &ConnectFlow::sessionReady, this, &MainWindow::openSession);
    connect(m_flow, &ConnectFlow::startPageWanted, this, [this] { m_stack->setCurrentWidget(m_start); });
    if (m_journal) {
        connect(m_journal, &Journal::problemChanged, this, [this](const QString &problem) {
            if (!problem.isEmpty())
                m_notice->show(NotificationBar::Kind::Failure, problem);
        });
        connect(m_journal, &Journal::exported, this, [this](bool ok, const QString &sentence) {
            m_notice->show(ok ? NotificationBar::Kind::Success : NotificationBar::Kind::Failure, sentence);
        });
    }
    restoreSettings();
    AccessibleNames::fillIn(this);
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildConsole()
{
    auto *console = new QWidget(this);
    auto *layout = new QVBoxLayout(console);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *tabs = new PanelTabs(console);
    tabs->setObjectName(QStringLiteral("tabs"));
    tabs->setAccessibleName(tr("Panels"));
    layout->addWidget(tabs, 1);
    // Over the bottom of the tabs, not above them: coming and going, they repaint their own
    // area instead of moving every page (OverlayStrips says why). The banner lasts while
    // quorum is lost, so it sits lowest; notifications come and go above it.
    auto *strips = new OverlayStrips(tabs);
    strips->add(m_quorumBanner);
    strips->add(m_notice);

    m_membersSorted->setSourceModel(m_members);
    m_membersSorted->setSortRole(MembersModel::SortRole);
    m_membersView->setModel(m_membersSorted);
    m_membersView->setAccessibleName(tr("Members"));
    m_membersView->setSortingEnabled(true);
    m_membersView->sortByColumn(MembersModel::Name, Qt::AscendingOrder);
    TableColumns::fit(m_membersView, MembersModel::PeerUrls);
    m_membersView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_membersView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    connect(m_membersView, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        for (const char *name : {"transferLeader", "promoteLearner", "removeMember"})
            menu.addAction(action(QString::fromLatin1(name)));
        menu.addSeparator();
        for (const char *name : {"demoStop", "demoKill", "demoPause", "demoResume", "demoRestart"})
            menu.addAction(action(QString::fromLatin1(name)));
        menu.addSeparator();
        menu.addAction(action(QStringLiteral("copyRows")));
        // popup(), not exec(): the menu must not spin an event loop of its own.
        auto *shown = new QMenu(this);
        shown->addActions(menu.actions());
        shown->setAttribute(Qt::WA_DeleteOnClose);
        shown->popup(m_membersView->viewport()->mapToGlobal(pos));
    });
    connect(m_membersView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    // One selection for the whole window: a member's box on Overview and its row here.
    connect(m_membersView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        [this] { m_topology->setSelectedMember(MemberId::fromHex(selectedMember()).value_or(0)); });
    connect(m_topology, &TopologyView::memberClicked, this, [this](uint64_t id) {
        for (int row = 0; row < m_membersSorted->rowCount(); ++row) {
            const QModelIndex index = m_membersSorted->index(row, 0);
            if (index.data(MembersModel::MemberIdRole).toString() == MemberId::toHex(id))
                m_membersView->selectRow(row);
        }
    });

    m_overviewSplit->setObjectName(QStringLiteral("overviewSplit"));
    m_overviewSplit->addWidget(m_topology);
    auto *compactEvents = makeTable(this);
    compactEvents->setModel(m_events);
    m_eventsView->setModel(m_events);
    compactEvents->setAccessibleName(tr("Recent events"));
    m_eventsView->setAccessibleName(tr("Events"));
    for (QTableView *view : {compactEvents, m_eventsView})
        TableColumns::fit(view, EventsModel::Cause);
    m_overviewSplit->addWidget(compactEvents);
    m_overviewSplit->setStretchFactor(0, 3);
    auto *overview = new QWidget(this);
    auto *overviewLayout = new QVBoxLayout(overview);
    overviewLayout->setContentsMargins(0, 0, 0, 0);
    overviewLayout->setSpacing(0);
    overviewLayout->addWidget(m_consistency);
    overviewLayout->addWidget(m_overviewSplit, 1);
    tabs->addTab(overview, tr("&Overview"));
    tabs->addTab(m_membersView, tr("&Members"));
    tabs->addTab(m_alertsPanel, tr("&Alerts"));

    m_electionsSplit->setObjectName(QStringLiteral("electionsSplit"));
    m_electionsSplit->addWidget(m_timeline);
    m_electionsSplit->addWidget(m_eventsView);
    m_electionsSplit->setSizes({320, 380}); // room for the time axis and the legend
    tabs->addTab(m_electionsSplit, tr("&Elections"));
    connect(m_eventsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            if (const ClusterEvent *e = m_events->eventAt(current.row())) {
                m_timeline->markTime(e->timeMs);
                m_dashboard->markTime(e->timeMs);
            }
        });
    tabs->addTab(m_dashboard, tr("Me&trics"));
    tabs->addTab(m_lbPanel, tr("Load &balancer"));
    connect(m_lbPanel, &LoadBalancerPanel::stateRequested, this, [this](const QString &backend, const QString &state) {
        if (m_session)
            m_session->lbServerState(backend, state);
    });
    tabs->addTab(m_controlPlanePanel, tr("Co&ntrol plane"));
    tabs->addTab(m_storagePanel, tr("&Storage"));
    tabs->addTab(m_keyspacePanel, tr("Ke&yspace"));
    tabs->addTab(m_backupsPanel, tr("Bac&kups"));
    tabs->addTab(m_networkPanel, tr("Net&work"));
    tabs->addTab(m_logView, tr("Lo&gs"));
    // Tabs answer to Ctrl+1…9 (View) and Ctrl+Tab, not to Alt: the Alt keys belong to the menus
    // and to the buttons of the tab in view, which would otherwise cancel each other out. The
    // title with its mnemonic stays with the tab for the View menu.
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->tabBar()->setTabData(i, tabs->tabText(i));
        tabs->setTabText(i, tabs->tabText(i).remove(QLatin1Char('&')));
    }
    connect(
        m_networkPanel, &NetworkPanel::faultRequested, this, [this](const QString &member, const NetworkFault &fault) {
            if (m_session)
                m_session->setNetworkFault(member, fault);
        });
    connect(m_networkPanel, &NetworkPanel::healAllRequested, this, [this] {
        if (m_session)
            m_session->clearNetworkFaults();
    });
    connect(m_eventsView, &QAbstractItemView::activated, this, [this] { showEventInLogs(); });
    connect(m_logView, &MemberLogView::electionLineActivated, this, &MainWindow::showElectionAt);
    connect(m_eventsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::updateActions);
    connect(m_storagePanel, &StoragePanel::reclaimRequested, this, [this](const ReclaimOptions &options) {
        if (m_session)
            m_session->storage()->reclaim(options);
    });
    connect(m_storagePanel, &StoragePanel::cancelReclaimRequested, this, [this] {
        if (m_session)
            m_session->storage()->cancelReclaim();
    });
    connect(m_storagePanel, &StoragePanel::disarmRequested, this, [this](uint64_t id, AlarmType type) {
        if (m_session)
            m_session->storage()->disarm(id, type);
    });
    connect(m_storagePanel, &StoragePanel::fillRequested, this, [this] {
        if (m_session)
            m_session->storage()->fillDatabase();
    });
    connect(m_storagePanel, &StoragePanel::cancelFillRequested, this, [this] {
        if (m_session)
            m_session->storage()->cancelFill();
    });
    connect(m_storagePanel->kube(), &KubeVolumesView::refreshRequested, this, [this] {
        if (m_session)
            m_session->storage()->refreshKube();
    });
    connect(m_dashboard, &MetricsDashboard::markerActivated, this, &MainWindow::showElectionAt);
    m_stack->addWidget(console);
    m_console = console;
}

void MainWindow::launchDemo(const QString &dir, int members, qint64 quotaBytes, bool tls, bool auth)
{
    m_flow->launchDemo(dir, members, quotaBytes, tls, auth);
}

void MainWindow::start(bool demo)
{
    m_flow->start(demo);
}

void MainWindow::connectTo(const ConnectionSettings &settings)
{
    m_flow->connectTo(settings);
}

void MainWindow::connectTo(const ConnectionProfile &profile, const QString &password, bool keepPassword)
{
    m_flow->connectTo(profile, password, keepPassword);
}

bool MainWindow::reconnectLast()
{
    return m_flow->reconnectLast();
}

void MainWindow::checkCertificatesQuietly()
{
    const ConnectionSettings settings = m_session->client()->settings();
    if (!settings.tls.enabled() && !settings.endpoints.value(0).startsWith(QLatin1String("https://")))
        return;
    QPointer<ConsoleSession> session = m_session;
    auto *watcher = new QFutureWatcher<TlsFilesCheck>(this);
    connect(watcher, &QFutureWatcher<TlsFilesCheck>::finished, this, [this, watcher, session] {
        watcher->deleteLater();
        const TlsFilesCheck files = watcher->result();
        if (session != m_session)
            return;
        if (!files.problems.isEmpty())
            m_notice->show(NotificationBar::Kind::Failure, files.problems.join(QStringLiteral("; ")));
        else if (!files.warnings.isEmpty())
            m_notice->show(NotificationBar::Kind::Warning, files.warnings.join(QStringLiteral("; ")));
    });
    watcher->setFuture(QtConcurrent::run([tls = settings.tls] { return CertificateDiagnostics::checkFiles(tls); }));
}

void MainWindow::openSession(ConsoleSession *session, bool ownsDemo)
{
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        m_session->stop(); // what it was doing ends, journalled as abandoned
        m_session->deleteLater();
    }
    m_session = session;
    m_session->setParent(this);
    m_ownsDemo = ownsDemo;
    // Members take their colours in the order of their names, before any panel paints one
    // (this connection runs before the panels' own); a later member takes the next free one.
    MemberPalette::shared().clear();
    connect(session, &ConsoleSession::snapshotReady, this, [](const ClusterSnapshot &s) {
        QList<const MemberState *> members;
        for (const MemberState &m : s.members())
            members << &m;
        std::sort(members.begin(), members.end(), [](const MemberState *a, const MemberState *b) {
            return std::make_pair(a->name, a->id) < std::make_pair(b->name, b->id);
        });
        QList<MemberPalette::Member> ordered;
        for (const MemberState *m : members)
            ordered.append({m->id, m->name});
        MemberPalette::shared().assign(ordered);
    });
    // Each panel and model follows the session's signals itself from now on; they are
    // connected before the window, so they are up to date when the window's handlers run.
    m_members->setSession(session);
    m_events->setSession(session);
    m_timeline->setSession(session);
    m_dashboard->setSession(session);
    m_topology->setSession(session);
    m_consistency->setSession(session);
    m_lbPanel->setSession(session);
    m_networkPanel->setSession(session);
    m_logView->setSession(session);
    m_storagePanel->setSession(session);
    m_keyspacePanel->setSession(session);
    m_backupsPanel->setSession(session);
    m_alertsPanel->setSession(session);
    m_controlPlanePanel->setSession(session);
    m_quorumBanner->setSession(session);
    FirstFrameTrace::watch(session, m_topology);
    updateDashboardMarkers();
    m_leaderId = 0;
    m_leaderSinceMs = 0;
    m_connectionLabel->setToolTip(tr("%1 · %2").arg(session->demo() ? tr("demo cluster") : tr("cluster"),
        session->client()->settings().endpoints.join(QStringLiteral(", "))));
    connect(session, &ConsoleSession::snapshotReady, this, [this](const ClusterSnapshot &s) {
        const bool first = !m_sinceSnapshot.isValid();
        m_sinceSnapshot.start();
        // Endpoints of two clusters: said once when it starts, not at every tick.
        if (s.endpointConflict() != m_endpointConflict) {
            m_endpointConflict = s.endpointConflict();
            if (!m_endpointConflict.isEmpty())
                m_notice->show(NotificationBar::Kind::Failure, m_endpointConflict);
        }
        updateActions();
        updateStatusBar();
        if (first)
            emit consoleReady();
    });
    auto eventsChanged = [this] {
        m_eventsView->scrollToBottom();
        updateDashboardMarkers();
    };
    connect(session, &ConsoleSession::eventsAppended, this, eventsChanged);
    connect(session, &ConsoleSession::historyReset, this, eventsChanged);
    connect(session, &ConsoleSession::busyChanged, this, [this](bool busy) {
        m_busy->setBusy(busy);
        updateActions();
    });
    connect(session, &ConsoleSession::operationStep, m_busy, &OperationProgress::setStep);
    connect(session, &ConsoleSession::operationAmount, m_busy, &OperationProgress::setAmount);
    connect(session, &ConsoleSession::progress, this,
        [this](const QString &s) { m_notice->show(NotificationBar::Kind::Info, s); });
    connect(session, &ConsoleSession::operationFinished, this, &MainWindow::onOperationFinished);
    connect(session->alerts(), &AlertsSession::changed, this,
        [this](const QList<Alert> &alerts) { m_notifier->onChanged(alerts, *m_session->alerts()); });
    connect(session->alerts(), &AlertsSession::updated, this, &MainWindow::updateAlertState);
    updateAlertState();
    m_stack->setCurrentWidget(m_console);
    m_statusTimer.start();
    session->start();
    checkCertificatesQuietly();
}

void MainWindow::showEventInLogs()
{
    const ClusterEvent *e = m_events->eventAt(m_eventsView->currentIndex().row());
    if (!e || !m_session || !m_session->demo())
        return;
    // The new leader first: its "became leader" line is the moment itself.
    QStringList members;
    for (uint64_t id : {e->to, e->member, e->from}) {
        const QString name = m_events->names().value(id);
        if (id && !name.isEmpty() && !members.contains(name))
            members << name;
    }
    if (members.isEmpty())
        return;
    findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(m_logView);
    m_logView->showMoment(members, e->timeMs);
}

void MainWindow::showElectionAt(qint64 timeMs)
{
    // From a marker on a metrics chart, or a leadership line in a log, to the election in
    // the elections list: the change of leader (etcd's or a component's) nearest in time,
    // within the seconds between a line and the tick or lease read that saw it.
    constexpr qint64 kWithinMs = 20000;
    int best = -1;
    qint64 bestDistance = kWithinMs + 1;
    const QList<ClusterEvent> &events = m_events->events();
    for (int row = 0; row < events.size(); ++row) {
        const ClusterEvent &e = events.at(row);
        const bool election = e.type == ClusterEvent::Type::LeaderChanged || e.type == ClusterEvent::Type::LeaderLost
            || e.type == ClusterEvent::Type::ComponentLeaderChanged
            || e.type == ClusterEvent::Type::ComponentLeaseStale;
        const qint64 distance = std::abs(e.timeMs - timeMs);
        if (election && distance < bestDistance) {
            best = row;
            bestDistance = distance;
        }
    }
    if (best < 0) {
        m_notice->show(NotificationBar::Kind::Info,
            tr("No election within %1 s of this line is in the console's record.").arg(kWithinMs / 1000));
        return;
    }
    findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(m_electionsSplit);
    m_eventsView->setCurrentIndex(m_events->index(best, EventsModel::Event));
    m_eventsView->scrollTo(m_eventsView->currentIndex(), QAbstractItemView::PositionAtCenter);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_closing) {
        event->ignore();
        return;
    }
    if (m_flow->demoLauncher()->isStarting()) {
        // A demo still starting is stopped as one that runs: nothing it started stays.
        event->ignore();
        m_closing = true;
        m_start->setMessage(tr("Stopping the demo cluster…"));
        m_flow->demoLauncher()->cancelStart([this](const OperationResult &) {
            m_closing = false;
            close();
        });
        return;
    }
    if (m_session && m_ownsDemo && m_session->demo()) {
        // Stop the demo cluster this window started before going; the window stays
        // responsive meanwhile and closes once every member is gone.
        event->ignore();
        m_closing = true;
        m_session->stop();
        m_notice->show(NotificationBar::Kind::Info, tr("Stopping the demo cluster…"));
        m_session->demo()->stop([this](const OperationResult &) {
            m_ownsDemo = false;
            m_closing = false;
            close(); // closes for real now, and announces shutDown()
        });
        return;
    }
    emit shutDown();
    event->accept();
}

void MainWindow::saveSettings() const
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/overviewSplit"), m_overviewSplit->saveState());
    s.setValue(QStringLiteral("window/electionsSplit"), m_electionsSplit->saveState());
    s.setValue(QStringLiteral("window/tab"), findChild<QTabWidget *>(QStringLiteral("tabs"))->currentIndex());
    s.setValue(QStringLiteral("window/theme"), QStringLiteral("system"));
}

void MainWindow::restoreSettings()
{
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1100, 720);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_overviewSplit->restoreState(s.value(QStringLiteral("window/overviewSplit")).toByteArray());
    m_electionsSplit->restoreState(s.value(QStringLiteral("window/electionsSplit")).toByteArray());
    auto *tabs = findChild<QTabWidget *>(QStringLiteral("tabs"));
    const int tab = s.value(QStringLiteral("window/tab"), 0).toInt();
    if (tab >= 0 && tab < tabs->count())
        tabs->setCurrentIndex(tab);
}

#include "MainWindow.h"

#include "AboutDialog.h"
#include "AddMemberDialog.h"
#include "CertificatesDialog.h"
#include "Confirm.h"
#include "DemoLauncher.h"
#include "ElectionsTimeline.h"
#include "EventsModel.h"
#include "KubeVolumesView.h"
#include "LoadBalancerPanel.h"
#include "MemberLogView.h"
#include "MembersModel.h"
#include "MetricsDashboard.h"
#include "NetworkPanel.h"
#include "NotificationBar.h"
#include "StartPage.h"
#include "StoragePanel.h"
#include "TopologyView.h"
#include "cluster/ClusterMonitor.h"
#include "cluster/Preflight.h"
#include "common/Format.h"
#include "common/MemberId.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"
#include "local/LocalCluster.h"
#include "metrics/ScrapeTarget.h"
#include "profile/KeychainPasswords.h"
#include "profile/ProfileStore.h"
#include "session/ConsoleSession.h"
#include "session/StorageSession.h"
#include "tls/CertificateDiagnostics.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

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
    , m_demoLauncher(new DemoLauncher(this))
    , m_stack(new QStackedWidget(this))
    , m_start(new StartPage(this))
    , m_keychain(new KeychainPasswords(this))
    , m_notice(new NotificationBar(this))
    , m_topology(new TopologyView(this))
    , m_timeline(new ElectionsTimeline(this))
    , m_dashboard(new MetricsDashboard(this))
    , m_lbPanel(new LoadBalancerPanel(this))
    , m_storagePanel(new StoragePanel(this))
    , m_networkPanel(new NetworkPanel(this))
    , m_logView(new MemberLogView(this))
    , m_members(new MembersModel(this))
    , m_events(new EventsModel(this))
    , m_membersSorted(new QSortFilterProxyModel(this))
    , m_membersView(makeTable(this))
    , m_eventsView(makeTable(this))
    , m_overviewSplit(new QSplitter(Qt::Vertical, this))
    , m_electionsSplit(new QSplitter(Qt::Vertical, this))
    , m_connectionLabel(new QLabel(tr("not connected"), this))
    , m_ageLabel(new QLabel(this))
    , m_tickLabel(new QLabel(this))
    , m_busy(new QProgressBar(this))
{
    setWindowTitle(QStringLiteral("QuorumDeck"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("network-server")));
    buildActions();
    buildConsole();
    m_stack->addWidget(m_start);
    m_stack->setCurrentWidget(m_start);
    setCentralWidget(m_stack);

    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setToolTip(tr("An operation is running"));
    m_busy->hide();
    m_connectionLabel->setToolTip(tr("The endpoints the console talks to"));
    m_ageLabel->setToolTip(tr("How long ago the last snapshot of the cluster was taken"));
    m_tickLabel->setToolTip(tr("How long the last snapshot took (MemberList plus Status from every member)"));
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_ageLabel);
    statusBar()->addPermanentWidget(m_tickLabel);
    m_statusTimer.setInterval(250);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatusBar);

    connect(m_start, &StartPage::launchDemoRequested, this, [this](const StartPage::DemoOptions &o) {
        launchDemo(ClusterManifest::defaultDirectory(), o.members, 0, o.tls, o.auth);
    });
    connectDemoLauncher();
    connect(m_start, &StartPage::connectRequested, this,
        [this](const ConnectionProfile &p, const QString &password, bool keep) { connectTo(p, password, keep); });
    connect(m_start, &StartPage::profileDeleted, this, [this](const ConnectionProfile &p) {
        if (p.passwordInKeychain)
            m_keychain->remove(p.name, p.user, [](const QString &) {});
    });
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
    updateActions();
}

MainWindow::~MainWindow() = default;

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
    QAction *transfer = add("transferLeader", tr("&Transfer leadership"), QKeySequence(Qt::CTRL | Qt::Key_T),
        tr("Move leadership to the selected follower, or to the most up-to-date one"), QStringLiteral("go-jump"),
        [this] { transferLeader(); });
    QAction *addMember = add("addMember", tr("&Add member…"), QKeySequence(Qt::CTRL | Qt::Key_N),
        tr("Add a voter or a learner"), QStringLiteral("list-add"), [this] { this->addMember(); });
    QAction *remove = add("removeMember", tr("&Remove member"), QKeySequence::Delete,
        tr("Remove the selected member, if the cluster keeps its quorum"), QStringLiteral("list-remove"),
        [this] { removeMember(); });
    QAction *promote = add("promoteLearner", tr("&Promote learner"), QKeySequence(Qt::CTRL | Qt::Key_P),
        tr("Make the selected learner a voter once it has caught up"), QStringLiteral("go-up"),
        [this] { promoteLearner(); });
    QAction *killLeader = add("killLeader", tr("&Kill the leader"), QKeySequence(Qt::CTRL | Qt::Key_K),
        tr("Demo cluster: SIGKILL the leader's process and watch an election"), QStringLiteral("process-stop"), [this] {
            if (m_session)
                m_session->killLeader();
        });
    QAction *refresh = add("refresh", tr("Re&fresh"), QKeySequence::Refresh, tr("Take a snapshot now"),
        QStringLiteral("view-refresh"), [this] {
            if (m_session)
                m_session->monitor()->refresh();
        });
    QAction *certificates = add("certificates", tr("C&ertificates…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
        tr("The certificates of this connection: the chain each endpoint presents, your client certificate, and "
           "what is wrong with them"),
        QStringLiteral("security-high"), [this] { showCertificates(); });
    QAction *exportJournal = add("exportJournal", tr("&Export journal…"), QKeySequence(Qt::CTRL | Qt::Key_E),
        tr("Save this cluster's events and operator actions as JSON Lines or CSV"), QStringLiteral("document-save"),
        [this] { this->exportJournal(); });
    QAction *copy = add("copyRows", tr("&Copy rows"), QKeySequence::Copy, tr("Copy the selected members as text"),
        QStringLiteral("edit-copy"), [this] { copySelectedRows(); });
    QAction *quit
        = add("quit", tr("&Quit"), QKeySequence::Quit, tr("Close the console (stops a demo cluster it started)"),
            QStringLiteral("application-exit"), [this] { close(); });

    static const std::pair<const char *, const char *> demoActions[] = {{"demoStop", "S&top member"},
        {"demoKill", "&Kill member (SIGKILL)"}, {"demoPause", "&Pause member (SIGSTOP)"},
        {"demoResume", "Res&ume member (SIGCONT)"}, {"demoRestart", "R&estart member"}};
    QAction *stopDemo = add("stopDemo", tr("Stop the demo cluster"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q),
        tr("Stop every member of the demo cluster this window started"), QStringLiteral("media-playback-stop"),
        [this] { this->stopDemo(); });
    QAction *healNetwork = add("healNetwork", tr("&Heal the network"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H),
        tr("Demo cluster: lift every fault on the members' peer links"), QStringLiteral("network-wired"), [this] {
            if (m_session)
                m_session->clearNetworkFaults();
        });
    QAction *showInLogs = add("showInLogs", tr("Show event in member &logs"), QKeySequence(Qt::CTRL | Qt::Key_L),
        tr("Demo cluster: open the logs of the members the selected event names, at its moment"),
        QStringLiteral("text-x-generic"), [this] { showEventInLogs(); });
    QMenu *demoMenu = new QMenu(tr("&Demo"), this);
    demoMenu->addAction(stopDemo);
    demoMenu->addAction(killLeader);
    demoMenu->addAction(healNetwork);
    demoMenu->addAction(showInLogs);
    demoMenu->addSeparator();
    for (int i = 0; i < 5; ++i) {
        auto *a = new QAction(tr(demoActions[i].second), this);
        a->setObjectName(QString::fromLatin1(demoActions[i].first));
        a->setStatusTip(tr("Demo cluster: act on the selected member's process"));
        connect(a, &QAction::triggered, this, [this, i] { demoMember(i); });
        m_actions.insert(a->objectName(), a);
        demoMenu->addAction(a);
    }

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(exportJournal);
    file->addSeparator();
    file->addAction(quit);
    QMenu *cluster = menuBar()->addMenu(tr("&Cluster"));
    for (QAction *a : {transfer, addMember, remove, promote})
        cluster->addAction(a);
    cluster->addSeparator();
    cluster->addAction(refresh);
    cluster->addAction(certificates);
    cluster->addAction(copy);
    menuBar()->addMenu(demoMenu);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    auto *about = new QAction(QIcon::fromTheme(QStringLiteral("help-about")), tr("&About QuorumDeck"), this);
    about->setObjectName(QStringLiteral("about"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        auto *dialog = new AboutDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    help->addAction(about);
    m_actions.insert(QStringLiteral("about"), about);

    QToolBar *bar = addToolBar(tr("Actions"));
    bar->setObjectName(QStringLiteral("actionsToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (QAction *a : {transfer, addMember, remove, promote})
        bar->addAction(a);
    bar->addSeparator();
    bar->addAction(killLeader);
    bar->addAction(refresh);
}

void MainWindow::buildConsole()
{
    auto *console = new QWidget(this);
    auto *layout = new QVBoxLayout(console);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_notice);
    auto *tabs = new QTabWidget(console);
    tabs->setObjectName(QStringLiteral("tabs"));
    layout->addWidget(tabs, 1);

    m_membersSorted->setSourceModel(m_members);
    m_membersSorted->setSortRole(MembersModel::SortRole);
    m_membersView->setModel(m_membersSorted);
    m_membersView->setSortingEnabled(true);
    m_membersView->sortByColumn(MembersModel::Name, Qt::AscendingOrder);
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

    m_overviewSplit->setObjectName(QStringLiteral("overviewSplit"));
    m_overviewSplit->addWidget(m_topology);
    auto *compactEvents = makeTable(this);
    compactEvents->setModel(m_events);
    m_eventsView->setModel(m_events);
    for (QTableView *view : {compactEvents, m_eventsView}) {
        view->horizontalHeader()->setSectionResizeMode(EventsModel::Time, QHeaderView::ResizeToContents);
        view->horizontalHeader()->setSectionResizeMode(EventsModel::Event, QHeaderView::ResizeToContents);
        view->horizontalHeader()->setSectionResizeMode(EventsModel::Member, QHeaderView::ResizeToContents);
    }
    m_overviewSplit->addWidget(compactEvents);
    m_overviewSplit->setStretchFactor(0, 3);
    tabs->addTab(m_overviewSplit, tr("&Overview"));
    tabs->addTab(m_membersView, tr("&Members"));

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
    tabs->addTab(m_storagePanel, tr("&Storage"));
    tabs->addTab(m_networkPanel, tr("Net&work"));
    tabs->addTab(m_logView, tr("Lo&gs"));
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
    m_start->setBusy(true, tr("Looking for a demo cluster left running in %1…").arg(dir));
    m_stack->setCurrentWidget(m_start);
    m_demoLauncher->launch({dir, members, quotaBytes, tls, auth});
}

void MainWindow::start(bool demo)
{
    const QString dir = ClusterManifest::defaultDirectory();
    if (demo) {
        launchDemo(dir);
        return;
    }
    // A demo that an earlier console left running is offered before anything else.
    m_demoLauncher->look(dir, [this] { reconnectLast(); });
}

void MainWindow::connectDemoLauncher()
{
    connect(m_demoLauncher, &DemoLauncher::progress, m_start, &StartPage::setMessage);
    connect(m_demoLauncher, &DemoLauncher::failed, this, [this](const QString &sentence) {
        m_start->setBusy(false);
        m_stack->setCurrentWidget(m_start);
        m_start->setMessage(sentence);
    });
    connect(m_demoLauncher, &DemoLauncher::survivorFound, this, [this](const DemoLauncher::Survivor &s) {
        m_survivorDir = s.dir;
        m_start->setBusy(false);
        m_stack->setCurrentWidget(m_start);
        m_start->offerSurvivingDemo(DemoLauncher::describe(s), s.runningMembers > 0);
        m_start->setMessage({});
    });
    connect(m_demoLauncher, &DemoLauncher::cleanedUp, this, [this](const QString &sentence) {
        m_start->setBusy(false);
        m_start->clearSurvivingDemo();
        m_start->setMessage(sentence);
    });
    connect(m_start, &StartPage::reattachDemoRequested, this, [this] {
        m_start->setBusy(true);
        m_demoLauncher->reattach(m_survivorDir);
    });
    connect(m_start, &StartPage::cleanUpDemoRequested, this, [this] {
        m_start->setBusy(true);
        m_demoLauncher->cleanUp(m_survivorDir);
    });
    connect(m_demoLauncher, &DemoLauncher::ready, this,
        [this](LocalCluster *demo, bool ownsDemo, const QString &sentence, const QString &password) {
            m_start->setBusy(false);
            m_start->clearSurvivingDemo();
            ConnectionSettings settings = demo->manifest().connectionSettings();
            if (!settings.user.isEmpty())
                settings.password = password; // kept in this session's memory only
            openSession(new ConsoleSession(settings, m_journal, demo), ownsDemo);
            m_notice->show(NotificationBar::Kind::Success, sentence);
            if (!password.isEmpty())
                showRootPassword(password, demo->manifest().tls.enabled());
        });
}

void MainWindow::showRootPassword(const QString &password, bool tls)
{
    // Shown once, in a box the operator closes; it is written nowhere.
    auto *box = new QMessageBox(QMessageBox::Information, tr("Authentication is on"),
        tr("The root user's password is:\n\n%1\n\nIt is shown only now and kept nowhere; the console "
           "holds it in memory for this session.%2")
            .arg(password, tls ? tr(" The client certificate (CN root) needs no password.") : QString()),
        QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("rootPasswordBox"));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::connectTo(const ConnectionSettings &settings)
{
    openSession(new ConsoleSession(settings, m_journal), false);
    rememberUnnamed(settings);
}

void MainWindow::rememberUnnamed(const ConnectionSettings &settings)
{
    // The next start reconnects here, not to a profile used before.
    ProfileStore::setLastUsed({});
    QSettings s;
    s.setValue(QStringLiteral("profile/last/endpoints"), settings.endpoints);
    s.setValue(QStringLiteral("profile/last/cacert"), settings.tls.caFile);
    s.setValue(QStringLiteral("profile/last/cert"), settings.tls.certFile);
    s.setValue(QStringLiteral("profile/last/key"), settings.tls.keyFile);
    s.setValue(QStringLiteral("profile/last/user"), settings.user); // never the password
}

void MainWindow::connectTo(const ConnectionProfile &profile, const QString &password, bool keepPassword)
{
    ConnectionSettings settings = profile.connectionSettings();
    settings.password = password;
    if (!profile.name.isEmpty()) {
        // Opting out of the keychain takes the kept password out of it.
        const auto before = ProfileStore::load(profile.name);
        if (before && before->passwordInKeychain && (!profile.passwordInKeychain || before->user != profile.user))
            m_keychain->remove(before->name, before->user, [](const QString &) {});
        if (const QString e = ProfileStore::save(profile); !e.isEmpty())
            m_notice->show(NotificationBar::Kind::Failure, tr("The profile was not saved: %1").arg(e));
        ProfileStore::setLastUsed(profile.name);
    } else {
        rememberUnnamed(settings);
    }
    if (!settings.user.isEmpty() && password.isEmpty() && profile.passwordInKeychain && !profile.name.isEmpty()) {
        m_start->setBusy(true, tr("Reading the password for %1 from the keychain…").arg(settings.user));
        m_keychain->read(
            profile.name, settings.user, [this, profile, settings](const QString &stored, const QString &error) {
                m_start->setBusy(false);
                if (!error.isEmpty()) {
                    m_stack->setCurrentWidget(m_start);
                    m_start->setProfile(profile);
                    m_start->setMessage(tr("Enter the password for %1: %2.").arg(settings.user, error));
                    return;
                }
                ConnectionSettings withPassword = settings;
                withPassword.password = stored;
                auto *session = new ConsoleSession(withPassword, m_journal);
                session->useProfile(profile);
                openSession(session, false);
            });
        return;
    }
    if (keepPassword && !password.isEmpty() && !profile.name.isEmpty()) {
        m_keychain->store(profile.name, settings.user, password, [this](const QString &error) {
            if (!error.isEmpty())
                m_notice->show(NotificationBar::Kind::Failure,
                    tr("The password was not kept: %1. It stays in memory for this session only.").arg(error));
        });
    }
    auto *session = new ConsoleSession(settings, m_journal);
    session->useProfile(profile);
    openSession(session, false);
}

void MainWindow::showCertificates()
{
    if (!m_session)
        return;
    auto *dialog = new CertificatesDialog(m_session->client()->settings(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
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

bool MainWindow::reconnectLast()
{
    if (const QString last = ProfileStore::lastUsed(); !last.isEmpty()) {
        if (const auto profile = ProfileStore::load(last)) {
            if (!profile->user.isEmpty() && !profile->passwordInKeychain) {
                // A password is never stored in a file: ask for it on the start page.
                m_start->setProfile(*profile);
                m_start->setMessage(tr("Enter the password for %1 to reconnect to %2.").arg(profile->user, last));
                return true;
            }
            connectTo(*profile, {});
            return true;
        }
    }
    QSettings s;
    const QStringList endpoints = s.value(QStringLiteral("profile/last/endpoints")).toStringList();
    if (endpoints.isEmpty())
        return false;
    ConnectionSettings settings;
    settings.endpoints = endpoints;
    settings.tls.caFile = s.value(QStringLiteral("profile/last/cacert")).toString();
    settings.tls.certFile = s.value(QStringLiteral("profile/last/cert")).toString();
    settings.tls.keyFile = s.value(QStringLiteral("profile/last/key")).toString();
    settings.user = s.value(QStringLiteral("profile/last/user")).toString();
    if (!settings.user.isEmpty()) {
        // A password is never stored: ask for it on the start page.
        m_start->setSettings(settings);
        m_start->setMessage(tr("Enter the password for %1 to reconnect.").arg(settings.user));
        return true;
    }
    connectTo(settings);
    return true;
}

void MainWindow::openSession(ConsoleSession *session, bool ownsDemo)
{
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        disconnect(m_session->storage(), nullptr, this, nullptr);
        disconnect(m_session->storage(), nullptr, m_storagePanel, nullptr);
        disconnect(m_session->storage(), nullptr, m_storagePanel->kube(), nullptr);
        m_session->stop(); // what it was doing ends, journalled as abandoned
        m_session->deleteLater();
    }
    m_session = session;
    m_session->setParent(this);
    m_ownsDemo = ownsDemo;
    m_events->reset({});
    m_instances.clear();
    m_dashboard->setCollector(session->metrics());
    m_topology->setLbSnapshot({});
    if (session->lb())
        m_lbPanel->setWaiting();
    else
        m_lbPanel->setUnavailable(session->lbUnavailable());
    connect(session, &ConsoleSession::lbSnapshotReady, this, [this](const LbSnapshot &lb) {
        m_lbPanel->setSnapshot(lb);
        m_topology->setLbSnapshot(lb);
    });
    if (NetworkWatch *network = session->network()) {
        m_networkPanel->setNetwork({}, false);
        connect(network, &NetworkWatch::changed, this, [this, network] {
            m_networkPanel->setNetwork(network->state(), network->connected());
            m_topology->setNetwork(network->state());
        });
    } else {
        m_networkPanel->setUnavailable(tr("Network faults need a demo cluster started by QuorumDeck: its members' "
                                          "peer links run through proxies the console controls."));
        m_topology->setNetwork({});
    }
    m_logView->setCluster(session->demo() ? session->demo()->manifest() : ClusterManifest());
    if (LocalCluster *demo = session->demo())
        connect(demo, &LocalCluster::changed, this, [this, demo] { m_logView->setCluster(demo->manifest()); });
    StorageSession *storage = session->storage();
    m_storagePanel->reset();
    m_storagePanel->setDemo(session->demo() != nullptr);
    connect(storage, &StorageSession::storageReady, m_storagePanel, &StoragePanel::setStorage);
    connect(storage, &StorageSession::reclaimStepChanged, m_storagePanel, &StoragePanel::setStep);
    connect(storage, &StorageSession::fillProgress, m_storagePanel, &StoragePanel::setFillProgress);
    connect(storage, &StorageSession::kubeVolumesReady, m_storagePanel->kube(), &KubeVolumesView::setVolumes);
    connect(storage, &StorageSession::kubeUnavailable, m_storagePanel->kube(), &KubeVolumesView::setUnavailable);
    storage->refreshKube();
    updateDashboardMarkers();
    m_connectionLabel->setText(tr("%1 · %2").arg(session->demo() ? tr("demo cluster") : tr("cluster"),
        session->client()->settings().endpoints.join(QStringLiteral(", "))));
    connect(session, &ConsoleSession::snapshotReady, this, [this](const ClusterSnapshot &s) {
        const bool first = !m_members->snapshot().isValid();
        m_sinceSnapshot.start();
        m_members->setSnapshot(s);
        m_storagePanel->setSnapshot(s);
        m_events->learnNames(s);
        m_topology->setSnapshot(s);
        m_timeline->setData(m_events->events(), s);
        // Names stay known after a member leaves: its lines remain in the charts' history.
        for (const MemberState &m : s.members()) {
            if (!m.clientUrls.isEmpty() && !m.name.isEmpty())
                m_instances.insert(ScrapeTarget::at(m.clientUrls.front()).instance, {m.id, m.displayName()});
        }
        m_dashboard->setInstances(m_instances);
        // Endpoints of two clusters: said once when it starts, not at every tick.
        if (s.endpointConflict() != m_endpointConflict) {
            m_endpointConflict = s.endpointConflict();
            if (!m_endpointConflict.isEmpty())
                m_notice->show(NotificationBar::Kind::Failure, m_endpointConflict);
        }
        updateActions();
        updateStatusBar();
        if (first) {
            m_membersView->resizeColumnsToContents();
            emit consoleReady();
        }
    });
    connect(session, &ConsoleSession::eventsAppended, this, [this, session](const QList<ClusterEvent> &events) {
        m_events->append(events);
        m_timeline->setData(m_events->events(), session->snapshot());
        m_eventsView->scrollToBottom();
        updateDashboardMarkers();
    });
    connect(session, &ConsoleSession::historyReset, this, [this, session] {
        m_events->reset(session->events());
        m_timeline->setData(m_events->events(), session->snapshot());
        m_eventsView->scrollToBottom();
        updateDashboardMarkers();
    });
    connect(session, &ConsoleSession::busyChanged, this, [this](bool busy) {
        m_busy->setVisible(busy);
        updateActions();
    });
    connect(session, &ConsoleSession::progress, this,
        [this](const QString &s) { m_notice->show(NotificationBar::Kind::Info, s); });
    connect(session, &ConsoleSession::operationFinished, this, &MainWindow::onOperationFinished);
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

void MainWindow::updateDashboardMarkers()
{
    m_dashboard->setElections(m_events->events(), m_events->names());
}

void MainWindow::showElectionAt(qint64 ms)
{
    // From a marker on a metrics chart to the same election in the elections list.
    for (int row = 0; row < m_events->rowCount(); ++row) {
        const ClusterEvent *e = m_events->eventAt(row);
        if (e && e->timeMs == ms) {
            findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(m_electionsSplit);
            m_eventsView->selectRow(row);
            m_eventsView->scrollTo(m_events->index(row, 0));
            return;
        }
    }
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

void MainWindow::updateStatusBar()
{
    if (!m_session || !m_session->snapshot().isValid()) {
        m_ageLabel->clear();
        m_tickLabel->clear();
        return;
    }
    const ClusterSnapshot &s = m_session->snapshot();
    m_ageLabel->setText(tr("snapshot %1 s ago").arg(m_sinceSnapshot.elapsed() / 1000.0, 0, 'f', 1));
    m_tickLabel->setText(tr("tick %1").arg(Format::millis(s.tickMs())));
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
    const auto a = LocalCluster::MemberAction(action);
    const QString name = m->name;
    if (a == LocalCluster::MemberAction::Kill || a == LocalCluster::MemberAction::Stop) {
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
        session->demo()->down([this, session](const OperationResult &r) {
            if (m_session == session) {
                m_session = nullptr;
                m_ownsDemo = false;
                m_members->setSnapshot(ClusterSnapshot());
                m_stack->setCurrentWidget(m_start);
                m_start->setMessage(r.sentence);
                m_connectionLabel->setText(tr("not connected"));
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_closing) {
        event->ignore();
        return;
    }
    if (m_demoLauncher->isStarting()) {
        // A demo still starting is stopped as one that runs: nothing it started stays.
        event->ignore();
        m_closing = true;
        m_start->setMessage(tr("Stopping the demo cluster…"));
        m_demoLauncher->cancelStart([this](const OperationResult &) {
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
        m_session->demo()->down([this](const OperationResult &) {
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
}

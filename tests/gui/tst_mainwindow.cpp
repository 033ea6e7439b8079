#include "AboutDialog.h"
#include "CertificatesDialog.h"
#include "Confirm.h"
#include "DashboardPanel.h"
#include "ElectionsTimeline.h"
#include "EventsModel.h"
#include "KubeVolumesView.h"
#include "LbModel.h"
#include "LoadBalancerPanel.h"
#include "MainWindow.h"
#include "MemberLogModel.h"
#include "MemberLogView.h"
#include "MembersModel.h"
#include "MetricExplorer.h"
#include "MetricsDashboard.h"
#include "NetworkPanel.h"
#include "NotificationBar.h"
#include "StartPage.h"
#include "StorageModel.h"
#include "StoragePanel.h"
#include "TimeSeriesChart.h"
#include "TopologyView.h"
#include "cluster/ClusterMonitor.h"
#include "common/BuildInfo.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"
#include "lb/HaproxySocket.h"
#include "local/ProcessControl.h"
#include "profile/ProfileStore.h"
#include "session/ConsoleSession.h"
#include "support/FakeKubeApiServer.h"
#include "support/TestCertificates.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUrl>

/// The console window against a real demo cluster it launches itself, offscreen. Each test
/// saves a picture of the window among the build's test artifacts.
class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void listsMembersWithExactlyOneLeader();
    void transferLeadershipMovesTheLeader();
    void killingTheLeaderShowsAnElection();
    void learnerAddedPromotedAndRemoved();
    void refusedRemovalShowsItsReason();
    void metricsDashboardShowsEveryMember();
    void loadBalancerPanelShowsAndDrivesBackends();
    void storagePanelFillsAndReclaimsSpace();
    void networkFaultsShowInTopologyAndHealFromThePanel();
    void electionJumpsToTheMembersLogs();
    void reconnectsToTheLastProfile();
    void authDemoShowsItsPasswordOnceAndProfilesKeepNone();
    void certificatesDialogExplainsATlsConnection();
    void aboutShowsTheBuild();

private:
    void savePicture(const QString &name);
    QString leaderName() const;
    /// The leader as the core sees it, through a client of its own.
    QString leaderSeenByCore();

    QTemporaryDir m_home;
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_membersTester;
    std::unique_ptr<QAbstractItemModelTester> m_eventsTester;
    std::unique_ptr<TestCertificates> m_certs;
    std::unique_ptr<FakeKubeApiServer> m_kube;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home.filePath("settings"));
    m_journal = std::make_unique<Journal>(m_home.filePath("journal.sqlite"));
    m_window = std::make_unique<MainWindow>(m_journal.get());
    m_membersTester = std::make_unique<QAbstractItemModelTester>(
        m_window->membersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_eventsTester = std::make_unique<QAbstractItemModelTester>(
        m_window->eventsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    // A kubeconfig naming a local server that answers as a Kubernetes API server does.
    QDir(m_home.path()).mkpath("pki");
    m_certs = std::make_unique<TestCertificates>(m_home.filePath("pki"));
    QVERIFY2(m_certs->ok(), qPrintable(m_certs->error()));
    m_kube = std::make_unique<FakeKubeApiServer>(QFINDTESTDATA("../data/kube"), m_certs->path("server.pem"),
        m_certs->path("server.key"), m_certs->path("ca.pem"));
    QFile kubeconfig(m_home.filePath("kubeconfig"));
    QVERIFY(kubeconfig.open(QIODevice::WriteOnly));
    kubeconfig.write("current-context: t\nclusters:\n- name: c\n  cluster:\n    server: " + m_kube->url().toUtf8()
        + "\n    certificate-authority: " + m_certs->path("ca.pem").toUtf8()
        + "\nusers:\n- name: op\n  user: {token: good-token}\ncontexts:\n- name: t\n  context: {cluster: c, user: "
          "op}\n");
    kubeconfig.close();
    qputenv("KUBECONFIG", QFile::encodeName(kubeconfig.fileName()));

    m_window->resize(1200, 800);
    m_window->show();
    QSignalSpy ready(m_window.get(), &MainWindow::consoleReady);
    // A small quota, so that filling the database to NOSPACE takes a moment.
    m_window->launchDemo(m_home.filePath("demo"), 3, 16 * 1024 * 1024);
    QVERIFY(ready.wait(60000));
}

void TestMainWindow::cleanupTestCase()
{
    if (!m_window)
        return;
    QList<qint64> pids;
    if (m_window->session() && m_window->session()->demo()) {
        for (const LocalMember &m : m_window->session()->demo()->manifest().members)
            pids << m.pid;
    }
    QSignalSpy shut(m_window.get(), &MainWindow::shutDown);
    m_window->close();
    QVERIFY(shut.count() > 0 || shut.wait(20000));
    for (qint64 pid : pids)
        QVERIFY2(!ProcessControl::isAlive(pid_t(pid)), "closing the window leaves no etcd process behind");
    m_window.reset();
}

void TestMainWindow::savePicture(const QString &name)
{
    const QString dir = qEnvironmentVariable("QUORUMDECK_TEST_ARTIFACTS", QDir::tempPath());
    QDir().mkpath(dir);
    QCoreApplication::processEvents(); // let layouts and charts settle before the picture
    QVERIFY(m_window->grab().save(QDir(dir).filePath(QStringLiteral("mainwindow-%1.png").arg(name))));
}

QString TestMainWindow::leaderName() const
{
    const MembersModel *model = m_window->membersModel();
    QStringList leaders;
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->data(model->index(r, 0), MembersModel::RoleRole).toString() == QLatin1String("leader"))
            leaders << model->data(model->index(r, 0), MembersModel::MemberNameRole).toString();
    }
    return leaders.size() == 1 ? leaders.first() : QString();
}

QString TestMainWindow::leaderSeenByCore()
{
    ConnectionSettings settings;
    settings.endpoints = m_window->session()->demo()->manifest().endpoints();
    EtcdClient client(settings);
    ClusterMonitor monitor(&client);
    QSignalSpy spy(&monitor, &ClusterMonitor::snapshotReady);
    monitor.refresh();
    if (!spy.wait(5000))
        return {};
    const ClusterSnapshot s = spy.first().first().value<ClusterSnapshot>();
    return s.leader() ? s.leader()->name : QString();
}

void TestMainWindow::listsMembersWithExactlyOneLeader()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_window->membersModel()->rowCount(), 3, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!leaderName().isEmpty(), 10000);
    QCOMPARE(m_window->topology()->badgeText(), QStringLiteral("3 voters · quorum 2 · survives 1 failure"));
    QVERIFY(m_window->action("killLeader")->isEnabled());
    savePicture("members");
}

void TestMainWindow::transferLeadershipMovesTheLeader()
{
    const QString before = leaderName();
    QString target;
    for (const QString &name : {"etcd1", "etcd2", "etcd3"}) {
        if (name != before)
            target = name;
    }
    QVERIFY(m_window->selectMember(target));
    QVERIFY(m_window->action("transferLeader")->isEnabled());
    Confirm::setNextAnswer(true);
    m_window->action("transferLeader")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(leaderSeenByCore(), target, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(leaderName(), target, 5000);
    QVERIFY(Confirm::lastQuestion().contains(target));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->notifications()->text().contains("leadership moved"), 5000);
    // The election is in the event list, marked as the operator's.
    const EventsModel *events = m_window->eventsModel();
    QTRY_VERIFY_WITH_TIMEOUT(events->rowCount() > 0
            && events->data(events->index(events->rowCount() - 1, EventsModel::Cause)).toString()
                == QLatin1String("operator's transfer"),
        5000);
    savePicture("transfer");
}

void TestMainWindow::killingTheLeaderShowsAnElection()
{
    const QString before = leaderName();
    QVERIFY(!before.isEmpty());
    const int eventsBefore = m_window->eventsModel()->rowCount();
    m_window->action("killLeader")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!leaderName().isEmpty() && leaderName() != before, 15000);
    // The overview shows the new leader and the event list the election.
    const EventsModel *events = m_window->eventsModel();
    bool elected = false;
    for (int r = eventsBefore; r < events->rowCount(); ++r)
        elected |= events->eventAt(r)->type == ClusterEvent::Type::LeaderChanged;
    QVERIFY(elected);
    QVERIFY(m_window->timeline()->bands().size() >= 2);
    // ...and the journal has it.
    QSignalSpy loaded(m_journal.get(), &Journal::historyLoaded);
    m_journal->loadHistory(m_window->session()->snapshot().clusterId());
    QVERIFY(loaded.wait(5000));
    const auto journalled = loaded.first().at(1).value<QList<ClusterEvent>>();
    QVERIFY(std::any_of(journalled.cbegin(), journalled.cend(), [&](const ClusterEvent &e) {
        return e.type == ClusterEvent::Type::LeaderChanged && e.from != 0
            && m_window->session()->snapshot().member(e.from)
            && m_window->session()->snapshot().member(e.from)->name == before;
    }));
    const auto actions = loaded.first().at(2).value<QList<OperatorAction>>();
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == QLatin1String("demo-kill") && a.result == "done"; }));
    savePicture("election");

    // Selecting the election in the Elections tab marks its time on the timeline.
    auto *tabs = m_window->findChild<QTabWidget *>("tabs");
    QVERIFY(tabs);
    tabs->setCurrentIndex(2);
    int electionRow = -1;
    for (int r = 0; r < events->rowCount(); ++r) {
        if (events->eventAt(r)->type == ClusterEvent::Type::LeaderChanged)
            electionRow = r;
    }
    m_window->eventsView()->setCurrentIndex(events->index(electionRow, 0));
    QCOMPARE(m_window->timeline()->markedTime(), events->eventAt(electionRow)->timeMs);
    savePicture("elections-tab");
    tabs->setCurrentIndex(0);

    // Bring it back for the next test.
    QVERIFY(m_window->selectMember(before));
    m_window->action("demoRestart")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().isHealthy(), 20000);
}

void TestMainWindow::learnerAddedPromotedAndRemoved()
{
    ConsoleSession *session = m_window->session();
    QSignalSpy finished(session, &ConsoleSession::operationFinished);
    // On the demo cluster the new member's process is started for the operator.
    session->addMember("etcd4", {session->proposePeerUrl()}, true);
    QVERIFY(finished.wait(30000));
    const auto added = finished.takeFirst().at(1).value<OperationResult>();
    QVERIFY2(added.ok(), qPrintable(added.sentence));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().findMember("etcd4")
            && m_window->session()->snapshot().findMember("etcd4")->reachable,
        15000);
    QCOMPARE(m_window->session()->snapshot().findMember("etcd4")->role, MemberRole::Learner);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->membersModel()->rowCount(), 4, 5000);
    // The demo's load balancer takes the new member in as a backend, out of rotation while
    // it is a learner (it cannot serve clients).
    if (session->lb())
        QTRY_COMPARE_WITH_TIMEOUT(m_window->topology()->edgeState("etcd4"), QStringLiteral("MAINT"), 10000);

    QVERIFY(m_window->selectMember("etcd4"));
    QVERIFY(m_window->action("promoteLearner")->isEnabled());
    Confirm::setNextAnswer(true);
    m_window->action("promoteLearner")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->snapshot().findMember("etcd4")->isLearner, 30000);
    QVERIFY(Confirm::lastQuestion().contains("entries behind"));
    if (session->lb()) // a voter now: in rotation
        QTRY_COMPARE_WITH_TIMEOUT(m_window->topology()->edgeState("etcd4"), QStringLiteral("UP"), 10000);
    savePicture("promoted");

    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().isHealthy(), 10000);
    QVERIFY(m_window->selectMember("etcd4"));
    Confirm::setNextAnswer(true);
    m_window->action("removeMember")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->membersModel()->rowCount(), 3, 15000);
    QVERIFY(Confirm::lastQuestion().contains("Before: 4 voters"));
    // The member leaves the list first; its process stops and its data goes after that.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->demo()->manifest().member("etcd4"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->isBusy(), 15000);
    if (session->lb()) {
        // ...and lets it go with the member.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->loadBalancer()->model()->rowCount(), 3, 5000);
        QVERIFY(!m_window->session()->demo()->manifest().lb.configFile.isEmpty());
    }
}

void TestMainWindow::refusedRemovalShowsItsReason()
{
    // With one follower down, removing a healthy member would leave 1 healthy of 2 voters.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().isHealthy() && !leaderName().isEmpty(), 20000);
    QString down, healthy;
    for (const QString &name : {"etcd1", "etcd2", "etcd3"}) {
        if (name == leaderName())
            continue;
        (down.isEmpty() ? down : healthy) = name;
    }
    QVERIFY(!down.isEmpty() && !healthy.isEmpty());
    // The previous test's last operation may still be finishing, and a snapshot may move the
    // selection: select and kill (at most every 2 s) until the member is seen down.
    QElapsedTimer sinceKill;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const MemberState *m = m_window->session()->snapshot().findMember(down);
            if (m && !m->reachable)
                return true;
            if ((!sinceKill.isValid() || sinceKill.elapsed() > 2000) && m_window->selectMember(down)
                && m_window->action("demoKill")->isEnabled()) {
                Confirm::setNextAnswer(true);
                m_window->action("demoKill")->trigger();
                sinceKill.start();
            }
            return false;
        },
        20000));

    QVERIFY(m_window->selectMember(healthy));
    m_window->action("removeMember")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->notifications()->text().contains("refused"), 5000);
    QVERIFY2(
        m_window->notifications()->text().contains("below the quorum"), qPrintable(m_window->notifications()->text()));
    QCOMPARE(m_window->notifications()->kind(), NotificationBar::Kind::Failure);
    QCOMPARE(m_window->membersModel()->rowCount(), 3);
    savePicture("refused-removal");

    // Bring it back for the next test.
    QVERIFY(m_window->selectMember(down));
    m_window->action("demoRestart")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().isHealthy(), 20000);
}

void TestMainWindow::metricsDashboardShowsEveryMember()
{
    auto *tabs = m_window->findChild<QTabWidget *>("tabs");
    MetricsDashboard *dashboard = m_window->dashboard();
    tabs->setCurrentWidget(dashboard);
    DashboardPanel *hasLeader = dashboard->panel("has-leader");
    QVERIFY(hasLeader);
    QCOMPARE(dashboard->panels().size(), qsizetype(EtcdDashboard::panels().size()));
    // Every member scraped, each with a leader: etcd_server_has_leader = 1.
    auto membersWithLeader = [&] {
        int n = 0;
        for (const ChartLine &line : hasLeader->chart()->lines()) {
            // Lines are labelled with member names; a removed member's line stays, ended.
            n += m_window->session()->snapshot().findMember(line.label)
                && TimeSeriesChart::valueAt(line, hasLeader->chart()->toMs()).value_or(0) == 1;
        }
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(membersWithLeader(), 3, 20000);
    // Every member has a leader now: not red (amber when an election earlier in the range
    // left one without a leader for a scrape or two).
    QVERIFY(hasLeader->alert() != EtcdDashboard::Alert::Red);
    QCOMPARE(dashboard->panel("wal-fsync")->chart()->threshold().value_or(-1), 0.5);
    QTRY_VERIFY_WITH_TIMEOUT(dashboard->panel("db-size")->chart()->threshold().has_value(), 10000);

    // The election of the earlier test is a marker on every chart; double-clicking it
    // leads to the same event in the elections list.
    const QVector<ChartMarker> markers = hasLeader->chart()->markers();
    QVERIFY(!markers.isEmpty());
    for (DashboardPanel *panel : dashboard->panels())
        QCOMPARE(panel->chart()->markers().size(), markers.size());
    emit dashboard->panel("memory")->chart()->markerActivated(markers.last().timeMs);
    QCOMPARE(tabs->currentWidget(), m_window->findChild<QSplitter *>("electionsSplit"));
    QCOMPARE(
        m_window->eventsModel()->eventAt(m_window->eventsView()->currentIndex().row())->timeMs, markers.last().timeMs);
    QCOMPARE(hasLeader->chart()->markers().size(), markers.size());
    tabs->setCurrentWidget(dashboard);

    // Hovering one chart moves the cursor on all of them.
    const qint64 hover = hasLeader->chart()->toMs() - 2000;
    emit hasLeader->chart()->hovered(hover);
    for (DashboardPanel *panel : dashboard->panels())
        QCOMPARE(panel->chart()->hoverTime(), hover);
    emit hasLeader->chart()->hoverLeft();
    QCOMPARE(dashboard->panel("peer-rtt")->chart()->hoverTime(), 0);

    // A panel saved as PNG, and its data as CSV.
    QSignalSpy exported(hasLeader, &DashboardPanel::exportFinished);
    const QString png = m_home.filePath("has-leader.png");
    hasLeader->exportPng(png);
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.first().at(1).toString(), QString());
    const QImage image(png);
    QCOMPARE(image.size(), hasLeader->size());
    const QString csv = m_home.filePath("has-leader.csv");
    hasLeader->exportCsv(csv);
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.last().at(1).toString(), QString());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = file.readAll().split('\n');
    QCOMPARE(rows.first(), QByteArray("time_ms,time,series,value"));
    QVERIFY(rows.size() > 3);
    QVERIFY(rows.at(1).endsWith(",1") || rows.at(1).endsWith(",0"));
    hasLeader->exportPng(m_home.filePath("no-such-dir/x.png"));
    QVERIFY(exported.wait(5000));
    QVERIFY(exported.last().at(1).toString().contains("no-such-dir"));

    // Six hours at 1 s: never more than about two points per pixel column.
    QSignalSpy refreshed(dashboard, &MetricsDashboard::refreshed);
    dashboard->setSpan(6 * 3600 * 1000);
    QVERIFY(refreshed.wait(10000));
    for (DashboardPanel *panel : dashboard->panels()) {
        for (const ChartLine &line : panel->chart()->lines())
            QVERIFY(line.points.size() <= 2 * panel->chart()->plotRect().width() + 8);
    }
    dashboard->setSpan(5 * 60 * 1000);

    // Paused, the window stays where it was while scrapes go on.
    dashboard->setPaused(true);
    const qint64 frozen = dashboard->windowTo();
    QTRY_COMPARE_WITH_TIMEOUT(hasLeader->chart()->toMs(), frozen, 5000);
    refreshed.clear();
    dashboard->refresh();
    QVERIFY(refreshed.wait(5000));
    QCOMPARE(hasLeader->chart()->toMs(), frozen);
    dashboard->setPaused(false);
    QVERIFY(dashboard->windowTo() >= frozen);

    // The explorer finds any series and plots it.
    m_window->findChild<QToolButton *>("explorerToggle")->setChecked(true);
    MetricExplorer *explorer = dashboard->explorer();
    QTRY_VERIFY_WITH_TIMEOUT(explorer->seriesCount() > 100, 10000);
    explorer->setFilter("etcd_server_has_leader");
    QVERIFY(explorer->visibleCount() >= 3); // and members removed earlier, within retention
    const QString first = m_window->session()->snapshot().findMember("etcd1")->clientUrls.first();
    explorer->setFilter("has_leader " + QUrl(first).authority());
    QCOMPARE(explorer->visibleCount(), 1);
    QVERIFY(explorer->select("etcd_server_has_leader"));
    QTRY_COMPARE_WITH_TIMEOUT(explorer->chart()->lines().size(), qsizetype(1), 5000);
    QCOMPARE(explorer->chart()->lines().first().points.isEmpty(), false);
    savePicture("metrics");
    m_window->findChild<QToolButton *>("explorerToggle")->setChecked(false);
    tabs->setCurrentIndex(0);
}

void TestMainWindow::loadBalancerPanelShowsAndDrivesBackends()
{
    if (!m_window->session()->lb())
        QSKIP(qPrintable(m_window->session()->lbUnavailable())); // haproxy not installed
    auto *tabs = m_window->findChild<QTabWidget *>("tabs");
    LoadBalancerPanel *panel = m_window->loadBalancer();
    tabs->setCurrentWidget(panel);
    LbModel *model = panel->model();
    auto lbView = [&](const QString &name) {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(LbModel::NameRole).toString() == name)
                return HaproxyStats::ServerState(model->index(row, 0).data(LbModel::StateRole).toInt());
        }
        return HaproxyStats::ServerState::Unknown;
    };
    // Every member's backend up in the LB's view, and the topology's edges drawn so.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 10000);
    for (const char *name : {"etcd1", "etcd2", "etcd3"})
        QTRY_COMPARE_WITH_TIMEOUT(lbView(name), HaproxyStats::ServerState::Up, 10000);
    QCOMPARE(m_window->topology()->edgeState("etcd2"), QStringLiteral("UP"));
    QVERIFY(panel->headline().contains("reachable"));

    // Disable etcd2 (confirmed), then enable it again; both journalled.
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(LbModel::NameRole).toString() == "etcd2")
            panel->view()->selectRow(row);
    }
    Confirm::setNextAnswer(true);
    const QList<QPushButton *> buttons = panel->findChildren<QPushButton *>();
    auto button = [&](const QString &text) {
        for (QPushButton *b : buttons) {
            if (b->text().remove('&') == text)
                return b;
        }
        return static_cast<QPushButton *>(nullptr);
    };
    QVERIFY(button("Disable") && button("Disable")->isEnabled());
    button("Disable")->click();
    QVERIFY(Confirm::lastQuestion().contains("etcd2"));
    QTRY_COMPARE_WITH_TIMEOUT(lbView("etcd2"), HaproxyStats::ServerState::Maint, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->topology()->edgeState("etcd2"), QStringLiteral("MAINT"), 5000);
    savePicture("load-balancer");
    Confirm::setNextAnswer(true);
    button("Enable")->click();
    QTRY_COMPARE_WITH_TIMEOUT(lbView("etcd2"), HaproxyStats::ServerState::Up, 10000);
    // HAProxy forced to hold a healthy member DOWN (its checks off): drift that outlasts the
    // LB's reaction time becomes an event, and so does its end.
    const QString socket = m_window->session()->demo()->manifest().lb.socketPath;
    auto haproxy = [&](const QString &command) {
        QString result = "pending";
        HaproxySocket::run(
            socket, command, 2000, this, [&](const QByteArray &, const QString &error) { result = error; });
        QTRY_VERIFY_WITH_TIMEOUT(result != "pending", 3000);
        QCOMPARE(result, QString());
    };
    auto eventCount = [&](ClusterEvent::Type type) {
        int n = 0;
        for (int r = 0; r < m_window->eventsModel()->rowCount(); ++r)
            n += m_window->eventsModel()->eventAt(r)->type == type;
        return n;
    };
    const int startedBefore = eventCount(ClusterEvent::Type::LbDriftStarted);
    const int endedBefore = eventCount(ClusterEvent::Type::LbDriftEnded);
    haproxy("disable health etcd_members/etcd3");
    haproxy("set server etcd_members/etcd3 health down");
    QTRY_COMPARE_WITH_TIMEOUT(eventCount(ClusterEvent::Type::LbDriftStarted), startedBefore + 1, 8000);
    haproxy("enable health etcd_members/etcd3");
    QTRY_COMPARE_WITH_TIMEOUT(lbView("etcd3"), HaproxyStats::ServerState::Up, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(eventCount(ClusterEvent::Type::LbDriftEnded), endedBefore + 1, 5000);

    const QList<OperatorAction> &actions = m_window->session()->actions();
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "lb-disable" && a.target == "etcd2" && a.result == "done"; }));
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "lb-enable" && a.target == "etcd2" && a.result == "done"; }));
    tabs->setCurrentIndex(0);
}

void TestMainWindow::storagePanelFillsAndReclaimsSpace()
{
    auto *tabs = m_window->findChild<QTabWidget *>("tabs");
    StoragePanel *panel = m_window->storage();
    tabs->setCurrentWidget(panel);
    StorageModel *model = panel->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto alarmsShown = [&] {
        int n = 0;
        for (const MemberStorage &m : model->storage())
            n += int(m.alarms.size());
        return n;
    };
    // Every member with its quota (16 MiB) and its data directory's disk.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(model->storage().at(0).quota == 16 * 1024 * 1024, 15000);
    for (const MemberStorage &m : model->storage())
        QVERIFY(m.volume.known && m.volume.walBytes > 0);
    QVERIFY(model->index(0, StorageModel::QuotaUse).data(StorageModel::FractionRole).isValid());

    // The Kubernetes volumes from the kubeconfig, what needs attention counted.
    KubeVolumesView *kube = panel->kube();
    QTRY_COMPARE_WITH_TIMEOUT(kube->volumesTable()->rowCount(), 5, 15000);
    QCOMPARE(kube->claimsTable()->rowCount(), 3);
    QCOMPARE(kube->classesTable()->rowCount(), 2);
    QVERIFY2(kube->headline().contains("3 need attention"), qPrintable(kube->headline()));

    // Fill the database (confirmed) until etcd raises NOSPACE; the panel shows the alarm.
    Confirm::setNextAnswer(true);
    panel->askFill();
    QVERIFY(Confirm::lastQuestion().contains("NOSPACE"));
    QTRY_VERIFY_WITH_TIMEOUT(alarmsShown() > 0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(panel->headline().contains("NOSPACE"), 10000);
    savePicture("storage-nospace");

    // The runbook, with compaction (confirmed): members one at a time, the leader last.
    Confirm::setNextAnswer(true);
    panel->askReclaim(true);
    QVERIFY2(Confirm::lastQuestion().contains("(leader)"), qPrintable(Confirm::lastQuestion()));
    QVERIFY(Confirm::lastQuestion().contains("answers no reads or writes"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->runbookStatus().startsWith("Done"), 60000);
    QTableWidget *steps = panel->stepsTable();
    QCOMPARE(steps->rowCount(), 5);
    for (int r = 0; r < steps->rowCount(); ++r)
        QCOMPARE(steps->item(r, 1)->text(), QStringLiteral("done"));
    QVERIFY(steps->item(3, 0)->text().endsWith("(leader)"));
    QTRY_COMPARE_WITH_TIMEOUT(alarmsShown(), 0, 10000);
    savePicture("storage-reclaimed");

    const QList<OperatorAction> &actions = m_window->session()->actions();
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "demo-fill" && a.result == "done"; }));
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "reclaim" && a.result == "done"; }));
    tabs->setCurrentIndex(0);
}

void TestMainWindow::networkFaultsShowInTopologyAndHealFromThePanel()
{
    auto *tabs = m_window->findChild<QTabWidget *>("tabs");
    NetworkPanel *panel = m_window->network();
    tabs->setCurrentWidget(panel);
    QTableWidget *table = panel->table();
    QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 3, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().isHealthy(), 20000);
    const QString before = leaderName();
    QVERIFY(!before.isEmpty());
    QVERIFY(m_window->topology()->networkLabel(before).isEmpty());

    // Isolate the leader from the panel: the topology shows it cut off, the others elect.
    auto *member = panel->findChild<QComboBox *>("networkMember");
    member->setCurrentText(before);
    panel->findChild<QPushButton *>("networkIsolate")->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->topology()->networkLabel(before), QStringLiteral("cut off"), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(!leaderName().isEmpty() && leaderName() != before, 15000);
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == before)
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(table->item(row, 1)->text(), QStringLiteral("cut off"));
    auto *heal = table->findChild<QPushButton *>("heal-" + before);
    QVERIFY(heal && heal->isEnabled());

    // Delay the new leader: its link is annotated.
    const QString follower = leaderName();
    member->setCurrentText(follower);
    panel->findChild<QPushButton *>("networkDelay")->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->topology()->networkLabel(follower), QStringLiteral("delay 300 ms"), 3000);
    m_window->findChild<QTabWidget *>("tabs")->setCurrentIndex(0);
    savePicture("network-topology");
    tabs->setCurrentWidget(panel);
    savePicture("network-panel");

    // One click heals a member; Heal all the rest.
    table->findChild<QPushButton *>("heal-" + before)->click();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->topology()->networkLabel(before).isEmpty(), 3000);
    QVERIFY(m_window->action("healNetwork")->isEnabled());
    m_window->action("healNetwork")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->topology()->networkLabel(follower).isEmpty(), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->session()->snapshot().isHealthy() && m_window->session()->snapshot().quorum().faultTolerance == 1,
        20000);

    // Journalled as the CLI journals them.
    QSignalSpy loaded(m_journal.get(), &Journal::historyLoaded);
    m_journal->loadHistory(m_window->session()->snapshot().clusterId());
    QVERIFY(loaded.wait(5000));
    QStringList done;
    for (const OperatorAction &a : loaded.first().at(2).value<QList<OperatorAction>>())
        done << a.action + QLatin1Char(' ') + a.target;
    for (const QString &expected :
        {QStringLiteral("demo-net-isolate ") + before, QStringLiteral("demo-net-delay ") + follower,
            QStringLiteral("demo-net-heal ") + before, QStringLiteral("demo-net-clear ")})
        QVERIFY2(done.contains(expected), qPrintable(expected));
    tabs->setCurrentIndex(0);
}

void TestMainWindow::electionJumpsToTheMembersLogs()
{
    auto *tabs = m_window->findChild<QTabWidget *>("tabs");
    const EventsModel *events = m_window->eventsModel();
    int electionRow = -1;
    for (int r = 0; r < events->rowCount(); ++r) {
        if (events->eventAt(r)->type == ClusterEvent::Type::LeaderChanged && events->eventAt(r)->from != 0)
            electionRow = r;
    }
    QVERIFY(electionRow >= 0);
    const ClusterEvent election = *events->eventAt(electionRow);
    const QString winner = events->names().value(election.to);
    tabs->setCurrentWidget(m_window->findChild<QSplitter *>("electionsSplit"));
    m_window->eventsView()->setCurrentIndex(events->index(electionRow, 0));
    QTRY_VERIFY(m_window->action("showInLogs")->isEnabled());
    m_window->action("showInLogs")->trigger();

    MemberLogView *logs = m_window->logs();
    QCOMPARE(tabs->currentWidget(), logs);
    QCOMPARE(logs->currentMember(), winner);
    QVERIFY(!logs->following()); // a jump stops following
    // The selected line is the winner's own leadership line, near the event.
    QTRY_VERIFY_WITH_TIMEOUT(logs->view()->currentIndex().isValid(), 5000);
    const MemberLogEntry *line = logs->model()->entryAt(logs->view()->currentIndex().row());
    QVERIFY(line);
    QVERIFY2(line->isLeadership(), qPrintable(line->raw));
    QVERIFY2(std::abs(line->timeMs - election.timeMs) <= 2000, qPrintable(line->raw));
    QVERIFY(logs->model()->data(logs->view()->currentIndex(), Qt::UserRole).toBool()); // highlighted
    savePicture("member-logs");

    // Filters: level, then text.
    auto *level = logs->findChild<QComboBox *>("logLevel");
    level->setCurrentIndex(2); // warnings and errors
    for (int r = 0; r < logs->model()->rowCount(); ++r) {
        const MemberLogEntry::Level l = logs->model()->entryAt(r)->level;
        QVERIFY(l >= MemberLogEntry::Level::Warn);
    }
    level->setCurrentIndex(0);
    logs->findChild<QLineEdit *>("logText")->setText("became leader");
    QVERIFY(logs->model()->rowCount() >= 1);
    for (int r = 0; r < logs->model()->rowCount(); ++r)
        QVERIFY(logs->model()->entryAt(r)->raw.contains("became leader"));
    logs->findChild<QLineEdit *>("logText")->clear();

    // Following picks up what the member writes next.
    logs->findChild<QCheckBox *>("logFollow")->setChecked(true);
    const int rows = logs->model()->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->snapshot().isHealthy(), 20000);
    QString target = logs->currentMember(); // the shown member wins the next election
    if (target == leaderName())
        target = target == QLatin1String("etcd1") ? QStringLiteral("etcd2") : QStringLiteral("etcd1");
    QVERIFY(m_window->selectMember(target));
    Confirm::setNextAnswer(true);
    m_window->action("transferLeader")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() > rows, 10000);
    tabs->setCurrentIndex(0);
}

void TestMainWindow::reconnectsToTheLastProfile()
{
    ConnectionSettings settings;
    settings.endpoints = m_window->session()->demo()->manifest().endpoints();
    {
        // Connecting saves the profile (never a password)...
        MainWindow first(m_journal.get());
        QSignalSpy ready(&first, &MainWindow::consoleReady);
        first.connectTo(settings);
        QVERIFY(ready.wait(10000));
    }
    // ...and the next window reconnects to it by itself.
    MainWindow next(m_journal.get());
    QSignalSpy ready(&next, &MainWindow::consoleReady);
    QVERIFY(next.reconnectLast());
    QVERIFY(ready.wait(10000));
    QCOMPARE(next.session()->client()->settings().endpoints, settings.endpoints);
    QCOMPARE(next.membersModel()->rowCount(), 3);
    QVERIFY(!next.session()->demo());
}

void TestMainWindow::authDemoShowsItsPasswordOnceAndProfilesKeepNone()
{
    QTemporaryDir dir;
    QString password;
    QStringList endpoints;
    {
        MainWindow window(m_journal.get());
        QSignalSpy ready(&window, &MainWindow::consoleReady);
        window.launchDemo(dir.path(), 1, 0, false, true);
        QVERIFY(ready.wait(60000));
        // The generated password is shown once, and the session works with it.
        auto *box = window.findChild<QMessageBox *>("rootPasswordBox");
        QVERIFY(box);
        const QStringList lines = box->text().split('\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() >= 2);
        password = lines.at(1).trimmed();
        QVERIFY(password.size() >= 20);
        QCOMPARE(window.session()->snapshot().members().size(), 1);
        QVERIFY(window.session()->snapshot().isHealthy());
        endpoints = window.session()->demo()->manifest().endpoints();

        // A profile for the same cluster, connected with the password typed in.
        ConnectionProfile profile;
        profile.name = "gui-auth";
        profile.endpoints = endpoints;
        profile.user = "root";
        MainWindow second(m_journal.get());
        QSignalSpy secondReady(&second, &MainWindow::consoleReady);
        second.connectTo(profile, password);
        QVERIFY(secondReady.wait(10000));
        QVERIFY(second.session()->snapshot().isHealthy());
        QCOMPARE(ProfileStore::lastUsed(), QStringLiteral("gui-auth"));

        // The next start asks for the password: none was kept.
        MainWindow third(m_journal.get());
        QVERIFY(third.reconnectLast());
        QVERIFY(!third.session());
        QVERIFY2(third.startPage()->message().contains("Enter the password for root"),
            qPrintable(third.startPage()->message()));

        QSignalSpy shut(&window, &MainWindow::shutDown);
        window.close();
        QVERIFY(shut.count() > 0 || shut.wait(20000));
    }
    // Neither the settings file nor the journal holds the password.
    QSettings settings;
    settings.sync();
    for (const QString &path : {settings.fileName(), m_home.filePath("journal.sqlite")}) {
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray contents = f.readAll();
        QVERIFY(!contents.isEmpty());
        QVERIFY2(!contents.contains(password.toUtf8()), qPrintable(path));
    }
    QVERIFY(ProfileStore::load("gui-auth").has_value());
    ProfileStore::remove("gui-auth");
    ProfileStore::setLastUsed({});
}

void TestMainWindow::certificatesDialogExplainsATlsConnection()
{
    QTemporaryDir dir;
    MainWindow window(m_journal.get());
    QSignalSpy ready(&window, &MainWindow::consoleReady);
    window.launchDemo(dir.path(), 1, 0, true, false);
    QVERIFY(ready.wait(60000));
    QVERIFY(window.session()->client()->settings().tls.enabled());
    QVERIFY(window.session()->snapshot().isHealthy());
    QAction *certificates = window.action("certificates");
    QVERIFY(certificates && certificates->isEnabled());
    certificates->trigger();
    auto *dialog = window.findChild<CertificatesDialog *>("certificatesDialog");
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->isFinished(), 10000);
    const QString text = dialog->text();
    QVERIFY2(text.contains("Your client certificate") && text.contains("CN=root"), qPrintable(text));
    QVERIFY2(text.contains("— OK"), qPrintable(text));
    QVERIFY2(text.contains("IP:127.0.0.1"), qPrintable(text));
    QVERIFY(!text.contains("Problem:"));
    dialog->grab().save(QDir(qEnvironmentVariable("QUORUMDECK_TEST_ARTIFACTS", QDir::tempPath()))
                            .filePath("mainwindow-certificates.png"));
    QSignalSpy shut(&window, &MainWindow::shutDown);
    window.close();
    QVERIFY(shut.count() > 0 || shut.wait(20000));
}

void TestMainWindow::aboutShowsTheBuild()
{
    QAction *about = m_window->action("about");
    QVERIFY(about);
    about->trigger();
    auto *dialog = m_window->findChild<AboutDialog *>("aboutDialog");
    QVERIFY(dialog);
    const QString text = AboutDialog::buildText();
    QVERIFY(text.contains(BuildInfo::version()));
    QVERIFY(text.contains(QString::fromLatin1(qVersion())));
    QVERIFY(text.contains("gRPC      1."));
    QVERIFY(text.contains("etcd v3"));
    dialog->close();
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

#include "MainWindowFixture.h"
#include "controlplane/ControlPlanePanel.h"
#include "elections/ElectionsTimeline.h"
#include "elections/EventsModel.h"
#include "lb/HaproxySocket.h"
#include "lb/LbModel.h"
#include "lb/LoadBalancerPanel.h"
#include "logs/MemberLogModel.h"
#include "logs/MemberLogView.h"
#include "metrics/DashboardPanel.h"
#include "metrics/MetricExplorer.h"
#include "metrics/MetricsDashboard.h"
#include "network/NetworkPanel.h"
#include "overview/TopologyView.h"
#include "session/ControlPlaneSession.h"
#include "storage/KubeVolumesView.h"
#include "storage/StorageModel.h"
#include "storage/StoragePanel.h"
#include "support/DemoLoadBalancer.h"
#include "support/KubeadmPki.h"
#include "support/TestSkip.h"
#include "support/TestTiming.h"
#include "widgets/StateColors.h"
#include "widgets/TimeSeriesChart.h"

#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QUrl>

/// The console window's panels against a real demo cluster started with a small quota:
/// metrics, the load balancer, storage (with Kubernetes volumes), network faults, and the
/// Kubernetes control plane from a stand-in API server.
class TestMainWindowPanels : public QObject {
    Q_OBJECT

private slots:
    // A small quota, so that filling the database to NOSPACE takes a moment.
    void initTestCase() { m_fx.setUp(16 * 1024 * 1024, true); }
    void init() { m_fx.ready(); }
    void cleanupTestCase() { m_fx.tearDown(); }
    void metricsDashboardShowsEveryMember();
    void loadBalancerPanelShowsAndDrivesBackends();
    void storagePanelFillsAndReclaimsSpace();
    void networkFaultsShowInTopologyAndHealFromThePanel();
    void controlPlaneShowsTheKubernetesLayer();

private:
    MainWindowFixture m_fx;
};

void TestMainWindowPanels::metricsDashboardShowsEveryMember()
{
    // An election to see as a marker on the charts.
    QD_STEP(m_fx.ensureElection());
    auto *tabs = m_fx.window()->findChild<QTabWidget *>("tabs");
    MetricsDashboard *dashboard = m_fx.window()->dashboard();
    tabs->setCurrentWidget(dashboard);
    DashboardPanel *hasLeader = dashboard->panel("has-leader");
    QVERIFY(hasLeader);
    QCOMPARE(dashboard->panels().size(), qsizetype(EtcdDashboard::panels().size()));
    // Every member scraped, each with a leader: etcd_server_has_leader = 1.
    auto membersWithLeader = [&] {
        int n = 0;
        for (const ChartLine &line : hasLeader->chart()->lines()) {
            // Lines are labelled with member names; a removed member's line stays, ended.
            n += m_fx.window()->session()->snapshot().findMember(line.label)
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

    // The election is a marker on every chart; double-clicking it
    // leads to the same event in the elections list.
    const QVector<ChartMarker> markers = hasLeader->chart()->markers();
    QVERIFY(!markers.isEmpty());
    for (DashboardPanel *panel : dashboard->panels())
        QCOMPARE(panel->chart()->markers().size(), markers.size());
    emit dashboard->panel("memory")->chart()->markerActivated(markers.last().timeMs);
    QCOMPARE(tabs->currentWidget(), m_fx.window()->findChild<QSplitter *>("electionsSplit"));
    QCOMPARE(m_fx.window()->eventsModel()->eventAt(m_fx.window()->eventsView()->currentIndex().row())->timeMs,
        markers.last().timeMs);
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
    const QString png = m_fx.homePath("has-leader.png");
    hasLeader->exportPng(png);
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.first().at(1).toString(), QString());
    const QImage image(png);
    QCOMPARE(image.size(), hasLeader->size());
    const QString csv = m_fx.homePath("has-leader.csv");
    hasLeader->exportCsv(csv);
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.last().at(1).toString(), QString());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = file.readAll().split('\n');
    QCOMPARE(rows.first(), QByteArray("time_ms,time,series,value"));
    QVERIFY(rows.size() > 3);
    QVERIFY(rows.at(1).endsWith(",1") || rows.at(1).endsWith(",0"));
    hasLeader->exportPng(m_fx.homePath("no-such-dir/x.png"));
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
    m_fx.window()->findChild<QToolButton *>("explorerToggle")->setChecked(true);
    MetricExplorer *explorer = dashboard->explorer();
    QTRY_VERIFY_WITH_TIMEOUT(explorer->seriesCount() > 100, 10000);
    explorer->setFilter("etcd_server_has_leader");
    QVERIFY(explorer->visibleCount() >= 3); // and members removed earlier, within retention
    const QString first = m_fx.window()->session()->snapshot().findMember("etcd1")->clientUrls.first();
    explorer->setFilter("has_leader " + QUrl(first).authority());
    QCOMPARE(explorer->visibleCount(), 1);
    QVERIFY(explorer->select("etcd_server_has_leader"));
    QTRY_COMPARE_WITH_TIMEOUT(explorer->chart()->lines().size(), qsizetype(1), 5000);
    QCOMPARE(explorer->chart()->lines().first().points.isEmpty(), false);
    m_fx.savePicture("metrics");
    m_fx.window()->findChild<QToolButton *>("explorerToggle")->setChecked(false);
    tabs->setCurrentIndex(0);
}

void TestMainWindowPanels::loadBalancerPanelShowsAndDrivesBackends()
{
    QD_REQUIRE_DEMO_LB(m_fx.window()->session()->lb(), m_fx.window()->session()->lbUnavailable());
    auto *tabs = m_fx.window()->findChild<QTabWidget *>("tabs");
    LoadBalancerPanel *panel = m_fx.window()->loadBalancer();
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
    QCOMPARE(m_fx.window()->topology()->edgeState("etcd2"), QStringLiteral("UP"));
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
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.window()->topology()->edgeState("etcd2"), QStringLiteral("MAINT"), 5000);
    m_fx.savePicture("load-balancer");
    Confirm::setNextAnswer(true);
    button("Enable")->click();
    QTRY_COMPARE_WITH_TIMEOUT(lbView("etcd2"), HaproxyStats::ServerState::Up, 10000);
    // HAProxy forced to hold a healthy member DOWN (its checks off): drift that outlasts the
    // LB's reaction time becomes an event, and so does its end.
    const QString socket = m_fx.window()->session()->demo()->manifest().lb.socketPath;
    auto haproxy = [&](const QString &command) {
        QString result = "pending";
        HaproxySocket::run(
            socket, command, 2000, this, [&](const Result<QByteArray> &answer) { result = answer.problem(); });
        QTRY_VERIFY_WITH_TIMEOUT(result != "pending", TestTiming::upTo(3000));
        QCOMPARE(result, QString());
    };
    auto eventCount = [&](ClusterEvent::Type type) {
        int n = 0;
        for (int r = 0; r < m_fx.window()->eventsModel()->rowCount(); ++r)
            n += m_fx.window()->eventsModel()->eventAt(r)->type == type;
        return n;
    };
    const int startedBefore = eventCount(ClusterEvent::Type::LbDriftStarted);
    const int endedBefore = eventCount(ClusterEvent::Type::LbDriftEnded);
    haproxy("disable health etcd_members/etcd3");
    haproxy("set server etcd_members/etcd3 health down");
    QTRY_COMPARE_WITH_TIMEOUT(
        eventCount(ClusterEvent::Type::LbDriftStarted), startedBefore + 1, TestTiming::upTo(8000));
    haproxy("enable health etcd_members/etcd3");
    QTRY_COMPARE_WITH_TIMEOUT(lbView("etcd3"), HaproxyStats::ServerState::Up, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(eventCount(ClusterEvent::Type::LbDriftEnded), endedBefore + 1, 5000);

    const QList<OperatorAction> &actions = m_fx.window()->session()->actions();
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "lb-disable" && a.target == "etcd2" && a.result == "done"; }));
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "lb-enable" && a.target == "etcd2" && a.result == "done"; }));
    tabs->setCurrentIndex(0);
}

void TestMainWindowPanels::storagePanelFillsAndReclaimsSpace()
{
    auto *tabs = m_fx.window()->findChild<QTabWidget *>("tabs");
    StoragePanel *panel = m_fx.window()->storage();
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
    m_fx.savePicture("storage-nospace");

    // The runbook, with compaction (confirmed): members one at a time, the leader last and
    // never in place.
    Confirm::setNextAnswer(true);
    panel->askReclaim(true);
    QVERIFY2(Confirm::lastQuestion().contains("(leader: leadership moves first)"), qPrintable(Confirm::lastQuestion()));
    QVERIFY(Confirm::lastQuestion().contains("answers no reads or writes"));
    QTRY_VERIFY_WITH_TIMEOUT(panel->runbookStatus().startsWith("Done"), 60000);
    QTableWidget *steps = panel->stepsTable();
    QCOMPARE(steps->rowCount(), 5);
    for (int r = 0; r < steps->rowCount(); ++r)
        QCOMPARE(steps->item(r, 1)->text(), QStringLiteral("done"));
    QVERIFY2(steps->item(3, 0)->text().contains("(leadership moved to "), qPrintable(steps->item(3, 0)->text()));
    QTRY_COMPARE_WITH_TIMEOUT(alarmsShown(), 0, 10000);
    m_fx.savePicture("storage-reclaimed");

    const QList<OperatorAction> &actions = m_fx.window()->session()->actions();
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "demo-fill" && a.result == "done"; }));
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == "reclaim" && a.result == "done"; }));
    tabs->setCurrentIndex(0);
}

void TestMainWindowPanels::networkFaultsShowInTopologyAndHealFromThePanel()
{
    auto *tabs = m_fx.window()->findChild<QTabWidget *>("tabs");
    NetworkPanel *panel = m_fx.window()->network();
    tabs->setCurrentWidget(panel);
    QTableWidget *table = panel->table();
    QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 3, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy(), 20000);
    const QString before = m_fx.leaderName();
    QVERIFY(!before.isEmpty());
    QVERIFY(m_fx.window()->topology()->networkLabel(before).isEmpty());

    // Isolate the leader from the panel: the topology shows it cut off, the others elect.
    auto *member = panel->findChild<QComboBox *>("networkMember");
    member->setCurrentText(before);
    panel->findChild<QPushButton *>("networkIsolate")->click();
    QTRY_COMPARE_WITH_TIMEOUT(
        m_fx.window()->topology()->networkLabel(before), QStringLiteral("cut off"), TestTiming::upTo(3000));
    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.leaderName().isEmpty() && m_fx.leaderName() != before, 15000);
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == before)
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(table->item(row, 1)->text(), QStringLiteral("cut off"));
    auto *heal = table->findChild<QPushButton *>("heal-" + before);
    QVERIFY(heal && heal->isEnabled());

    // Delay the new leader: its link is annotated.
    const QString follower = m_fx.leaderName();
    member->setCurrentText(follower);
    panel->findChild<QPushButton *>("networkDelay")->click();
    QTRY_COMPARE_WITH_TIMEOUT(
        m_fx.window()->topology()->networkLabel(follower), QStringLiteral("delay 300 ms"), TestTiming::upTo(3000));
    m_fx.window()->findChild<QTabWidget *>("tabs")->setCurrentIndex(0);
    m_fx.savePicture("network-topology");
    tabs->setCurrentWidget(panel);
    m_fx.savePicture("network-panel");

    // One click heals a member; Heal all the rest.
    table->findChild<QPushButton *>("heal-" + before)->click();
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->topology()->networkLabel(before).isEmpty(), TestTiming::upTo(3000));
    QVERIFY(m_fx.window()->action("healNetwork")->isEnabled());
    m_fx.window()->action("healNetwork")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->topology()->networkLabel(follower).isEmpty(), TestTiming::upTo(3000));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy()
            && m_fx.window()->session()->snapshot().quorum().faultTolerance == 1,
        20000);

    // Journalled as the CLI journals them.
    QSignalSpy loaded(m_fx.journal(), &Journal::historyLoaded);
    m_fx.journal()->loadHistory(m_fx.window()->session()->snapshot().clusterId());
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

void TestMainWindowPanels::controlPlaneShowsTheKubernetesLayer()
{
    MainWindow *w = m_fx.window();
    ControlPlanePanel *panel = w->controlPlane();
    w->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel);
    // The stand-in is the one API server, seen directly and through the kubeconfig's URL.
    QTRY_COMPARE_WITH_TIMEOUT(panel->apiServers()->rowCount(), 2, 30000);
    QCOMPARE(panel->apiServers()->item(0, 1)->text(), QStringLiteral("direct"));
    QCOMPARE(panel->apiServers()->item(0, 3)->text(), QStringLiteral("Ready"));
    QCOMPARE(panel->apiServers()->item(0, 4)->text(), QStringLiteral("v1.29.4"));
    QCOMPARE(panel->leases()->rowCount(), 2);
    QCOMPARE(panel->leases()->item(1, 0)->text(), QStringLiteral("kube-scheduler"));
    QCOMPARE(panel->leases()->item(1, 1)->text(), QStringLiteral("master2"));
    QCOMPARE(panel->leases()->item(1, 5)->text(), QStringLiteral("Held"));
    QCOMPARE(panel->masters()->rowCount(), 12); // three masters, four static pods each
    QCOMPARE(panel->masters()->item(0, 0)->text(), QStringLiteral("master1"));
    QVERIFY2(panel->headline().contains(QStringLiteral("2/2 API servers ready")), qPrintable(panel->headline()));
    QVERIFY2(
        panel->headline().contains(QStringLiteral("kube-scheduler led by master2")), qPrintable(panel->headline()));

    // Overview reads clients → the API's load balancer → the API servers → etcd.
    w->findChild<QTabWidget *>("tabs")->setCurrentIndex(0);
    QCOMPARE(w->topology()->apiServersDrawn(), QStringList {m_fx.kube()->address() + QStringLiteral(" ready")});
    m_fx.savePicture(QStringLiteral("overview-kubernetes"));
    w->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel);

    // The scheduler's lease changes hands: an event in the journal and the event table.
    m_fx.kube()->setLeaseHolder("kube-scheduler", "master1_0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
    w->session()->controlPlane()->refresh();
    auto leaderChanged = [&] {
        const EventsModel *events = w->eventsModel();
        for (int r = 0; r < events->rowCount(); ++r) {
            const ClusterEvent *e = events->eventAt(r);
            if (e->type == ClusterEvent::Type::ComponentLeaderChanged
                && e->detail == QStringLiteral("kube-scheduler: master2 → master1"))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(leaderChanged(), 20000);
    // Read back from the journal itself, as the next session (or `events`) reads it.
    QSignalSpy loaded(m_fx.journal(), &Journal::historyLoaded);
    m_fx.journal()->loadHistory(w->session()->snapshot().clusterId());
    QVERIFY(loaded.wait(5000));
    const QList<ClusterEvent> journalled = loaded.first().at(1).value<QList<ClusterEvent>>();
    QVERIFY(std::any_of(journalled.cbegin(), journalled.cend(), [](const ClusterEvent &e) {
        return e.type == ClusterEvent::Type::ComponentLeaderChanged
            && e.detail == QStringLiteral("kube-scheduler: master2 → master1");
    }));
    QTRY_COMPARE_WITH_TIMEOUT(panel->leases()->item(1, 1)->text(), QStringLiteral("master1"), 10000);
    // The change is on the elections timeline, on the lease's own lane.
    const ElectionsTimeline *timeline = w->timeline();
    QVERIFY2(timeline->lanes().contains(QStringLiteral("kube-scheduler")), qPrintable(timeline->lanes().join(", ")));
    QVERIFY(std::any_of(timeline->leaseBands().cbegin(), timeline->leaseBands().cend(), [](const auto &b) {
        return b.lease == QLatin1String("kube-scheduler") && b.holder == QLatin1String("master1");
    }));
    w->findChild<QTabWidget *>("tabs")->setCurrentWidget(w->findChild<QSplitter *>("electionsSplit"));
    m_fx.savePicture(QStringLiteral("elections-leases"));
    w->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel);
    m_fx.kube()->setLeaseHolder("kube-scheduler", {});

    // The PKI named in the profile, by expiry: one to renew now (red), one within 30 days
    // (amber), the rest fine.
    if (QStandardPaths::findExecutable("openssl").isEmpty())
        QD_SKIP_WITHOUT("openssl", "the test makes its PKI with it");
    const QString pkiDir = m_fx.homePath("pki");
    QVERIFY(QDir().mkpath(pkiDir + "/etcd"));
    KubeadmPki pki(pkiDir);
    QVERIFY2(pki.ca("ca", "kubernetes") && pki.ca("etcd/ca", "etcd-ca")
            && pki.issue("apiserver", "ca", "/CN=kube-apiserver", 365, "DNS:kubernetes,IP:10.96.0.1")
            && pki.issue("front-proxy-client", "ca", "/CN=front-proxy-client", 20)
            && pki.issue("apiserver-etcd-client", "etcd/ca", "/CN=kube-apiserver-etcd-client", 3),
        qPrintable(pki.error()));
    w->session()->controlPlane()->setPkiDirectory(pkiDir);
    w->session()->controlPlane()->readCertificates();
    QTableWidget *certificates = panel->certificates();
    QTRY_COMPARE_WITH_TIMEOUT(certificates->rowCount(), 5, 10000);
    QCOMPARE(certificates->item(0, 0)->text(), QStringLiteral("apiserver-etcd-client.crt"));
    QCOMPARE(certificates->item(0, 5)->text(), QStringLiteral("Renew now"));
    QCOMPARE(certificates->item(0, 5)->foreground().color(), StateColors::bad());
    QCOMPARE(certificates->item(1, 0)->text(), QStringLiteral("front-proxy-client.crt"));
    QCOMPARE(certificates->item(1, 5)->text(), QStringLiteral("Renew soon"));
    QCOMPARE(certificates->item(1, 5)->foreground().color(), StateColors::warning());
    QCOMPARE(certificates->item(2, 0)->text(), QStringLiteral("apiserver.crt"));
    QCOMPARE(certificates->item(2, 5)->text(), QStringLiteral("OK"));
    QVERIFY(certificates->item(0, 4)->text().toInt() <= 3);
    m_fx.savePicture(QStringLiteral("controlplane"));

    // The Logs tab reads the scheduler on every master through pods/log, merged by time,
    // and follows what a container writes next.
    MemberLogView *logs = w->logs();
    w->findChild<QTabWidget *>("tabs")->setCurrentWidget(logs);
    const QString scheduler = MemberLogView::podsSource("kube-scheduler");
    QTRY_VERIFY_WITH_TIMEOUT(logs->findChild<QComboBox *>("logMember")->findText(scheduler) >= 0, 10000);
    logs->showMember(scheduler);
    QTRY_COMPARE_WITH_TIMEOUT(logs->model()->sources(), (QStringList {"master1", "master2", "master3"}), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(logs->model()->rowCount(), 10, 10000); // the test data's ten lines
    for (int r = 1; r < logs->model()->rowCount(); ++r)
        QVERIFY(logs->model()->entryAt(r - 1)->timeMs <= logs->model()->entryAt(r)->timeMs);
    int leadership = 0;
    for (int r = 0; r < logs->model()->rowCount(); ++r)
        leadership += logs->model()->entryAt(r)->isLeadership();
    QCOMPARE(leadership, 3); // acquired on master1, lost on master1, acquired on master2
    m_fx.kube()->appendLog("kube-scheduler-master3",
        "I1207 01:02:03.000000       1 leaderelection.go:250] attempting to acquire leader lease "
        "kube-system/kube-scheduler...");
    QTRY_COMPARE_WITH_TIMEOUT(logs->model()->rowCount(), 11, 10000);
    QCOMPARE(logs->model()->entryAt(10)->source, QStringLiteral("master3"));
    m_fx.savePicture(QStringLiteral("logs-controlplane"));
}

QTEST_MAIN(TestMainWindowPanels)
#include "tst_mainwindow_panels.moc"

#include "MainWindowFixture.h"

#include "alerts/AlertNotifier.h"
#include "alerts/AlertsPanel.h"
#include "metrics/DashboardPanel.h"
#include "metrics/MetricExplorer.h"
#include "metrics/MetricsDashboard.h"
#include "scrape/ScrapeTarget.h"
#include "session/AlertsSession.h"
#include "support/ServerProcess.h"
#include "support/TestSkip.h"
#include "tsdb/SharedSeriesStore.h"
#include "widgets/TimeSeriesChart.h"
#include "window/AlertTray.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QToolButton>
#include <QUrlQuery>
#include <cmath>

/// The Alerts tab over a real demo: two of three members stop, the third has no leader;
/// etcdNoLeader goes pending then firing (its minute shortened), the title, the tray, the
/// dashboard's Has leader panel and a notification say so, the journal holds each change,
/// the load balancer's DOWN backends fire the console's own rule, and all of it clears
/// when the members return.
class TestMainWindowAlerts : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_fx.setUp(0, false); }
    void init() { m_fx.ready(); }
    void cleanupTestCase() { m_fx.tearDown(); }
    // The one that needs no stopped member runs first, so a failure in the other leaves
    // nothing behind for it.
    void mutedNotificationsStaySilent();
    void eachSeverityIsNotifiedAsTicked();
    void alertmanagerAlertsShowBesideTheConsoles();
    void dashboardReadsWhatPrometheusHolds();
    void noLeaderPendsFiresAndResolves();

private:
    /// The row of `alert` in the Alerts table, or -1.
    int rowOf(const QString &alert) const;
    QString stateOf(const QString &alert) const;
    bool journalHas(ClusterEvent::Type type) const;

    MainWindowFixture m_fx;
};

int TestMainWindowAlerts::rowOf(const QString &alert) const
{
    const QTableWidget *table = m_fx.window()->alerts()->table();
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, AlertsPanel::Alert)->text() == alert)
            return r;
    }
    return -1;
}

QString TestMainWindowAlerts::stateOf(const QString &alert) const
{
    const int row = rowOf(alert);
    return row < 0 ? QString() : m_fx.window()->alerts()->table()->item(row, AlertsPanel::State)->text();
}

bool TestMainWindowAlerts::journalHas(ClusterEvent::Type type) const
{
    const EventsModel *events = m_fx.window()->eventsModel();
    for (int r = 0; r < events->rowCount(); ++r) {
        const ClusterEvent *e = events->eventAt(r);
        if (e->type == type && e->detail.startsWith(QLatin1String("etcdNoLeader (critical)")))
            return true;
    }
    return false;
}

void TestMainWindowAlerts::noLeaderPendsFiresAndResolves()
{
    MainWindow *w = m_fx.window();
    ConsoleSession *session = w->session();
    // A minute of etcdNoLeader becomes two seconds; every other window shrinks alike.
    session->alerts()->setTiming(RuleTiming {}.scaled(30));
    auto *tabs = w->findChild<QTabWidget *>("tabs");
    tabs->setCurrentWidget(w->alerts());
    QTRY_VERIFY2_WITH_TIMEOUT(w->alerts()->headline().startsWith(QLatin1String("No alert is pending or firing")),
        qPrintable(w->alerts()->headline()), 20000);
    QCOMPARE(w->windowTitle(), QStringLiteral("QuorumDeck"));
    m_fx.savePicture(QStringLiteral("alerts-clear"));

    const QList<LocalMember> members = session->demo()->manifest().members;
    const QString survivor = members[0].name;
    const int sentBefore = int(w->notifier()->sent().size());
    session->demoAction(members[1].name, DemoController::MemberAction::Stop);
    QTRY_VERIFY_WITH_TIMEOUT(!session->isBusy(), 20000);
    session->demoAction(members[2].name, DemoController::MemberAction::Stop);

    // Pending first, for as long as the rule's minute lasts: amber everywhere, nothing red.
    session->alerts()->setTiming(RuleTiming {});
    QTRY_COMPARE_WITH_TIMEOUT(stateOf("etcdNoLeader"), QStringLiteral("Pending"), 30000);
    QVERIFY2(
        w->windowTitle().contains(QStringLiteral(" pending")) && !w->windowTitle().contains(QStringLiteral("firing")),
        qPrintable(w->windowTitle()));
    QCOMPARE(w->tray()->level(), AlertTray::Level::Pending);
    QTRY_COMPARE_WITH_TIMEOUT(w->dashboard()->panel("has-leader")->alert(), EtcdDashboard::Alert::Amber, 10000);
    m_fx.savePicture(QStringLiteral("alerts-pending"));
    // Shorter windows start the alerts over: pending again, then firing within seconds.
    session->alerts()->setTiming(RuleTiming {}.scaled(30));
    QTRY_VERIFY_WITH_TIMEOUT(!stateOf("etcdNoLeader").isEmpty(), 30000);
    const int row = rowOf("etcdNoLeader");
    QCOMPARE(w->alerts()->table()->item(row, AlertsPanel::Member)->text(), survivor);
    QCOMPARE(w->alerts()->table()->item(row, AlertsPanel::Severity)->text(), QStringLiteral("Critical"));
    QVERIFY(!w->alerts()->table()->item(row, AlertsPanel::Action)->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(stateOf("etcdNoLeader"), QStringLiteral("Firing"), 30000);
    QVERIFY2(w->windowTitle().startsWith(QStringLiteral("QuorumDeck — "))
            && w->windowTitle().contains(QStringLiteral(" firing")),
        qPrintable(w->windowTitle()));
    QCOMPARE(w->tray()->level(), AlertTray::Level::Firing);
    QCOMPARE(w->dashboard()->panel("has-leader")->alert(), EtcdDashboard::Alert::Red);
    QVERIFY(journalHas(ClusterEvent::Type::AlertPending));
    QVERIFY(journalHas(ClusterEvent::Type::AlertFiring));
    auto noticeSaid = [&](const QString &title) {
        const auto &sent = w->notifier()->sent();
        for (int i = sentBefore; i < sent.size(); ++i) {
            if (sent[i].title == title)
                return true;
        }
        return false;
    };
    QVERIFY(noticeSaid(QStringLiteral("etcdNoLeader is firing")));
    // The console's own rule over the LB's view: HAProxy holds the stopped members DOWN
    // (and the survivor too, whose /health fails without a leader).
    auto lbDownMembers = [&] {
        QStringList out;
        const QTableWidget *table = w->alerts()->table();
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, AlertsPanel::Alert)->text() == QLatin1String("LbBackendDown")
                && table->item(r, AlertsPanel::State)->text() == QLatin1String("Firing"))
                out << table->item(r, AlertsPanel::Member)->text();
        }
        return out;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(lbDownMembers().contains(members[1].name) && lbDownMembers().contains(members[2].name),
        qPrintable(lbDownMembers().join(", ")), 30000);
    m_fx.savePicture(QStringLiteral("alerts-firing"));
    tabs->setCurrentWidget(w->dashboard());
    m_fx.savePicture(QStringLiteral("metrics-alerts"));
    tabs->setCurrentWidget(w->alerts());

    session->demoAction(members[1].name, DemoController::MemberAction::Restart);
    QTRY_VERIFY_WITH_TIMEOUT(!session->isBusy(), 30000);
    session->demoAction(members[2].name, DemoController::MemberAction::Restart);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf("etcdNoLeader") < 0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf("LbBackendDown") < 0, 30000);
    QVERIFY(journalHas(ClusterEvent::Type::AlertResolved));
    QVERIFY(noticeSaid(QStringLiteral("etcdNoLeader is resolved")));
    QTRY_VERIFY_WITH_TIMEOUT(!session->isBusy(), 30000);
    session->alerts()->setTiming(RuleTiming {});
    QTRY_COMPARE_WITH_TIMEOUT(w->windowTitle(), QStringLiteral("QuorumDeck"), 20000);
    QCOMPARE(w->tray()->level(), AlertTray::Level::Clear);
}

void TestMainWindowAlerts::mutedNotificationsStaySilent()
{
    MainWindow *w = m_fx.window();
    AlertNotifier *notifier = w->notifier();
    Alert fired;
    fired.name = "etcdNoLeader";
    fired.severity = AlertSeverity::Critical;
    fired.phase = AlertPhase::Firing;
    fired.firedAtMs = 1;
    const int before = int(notifier->sent().size());
    notifier->muteUntil(QDateTime::currentDateTime().addSecs(3600));
    QVERIFY(notifier->isMuted());
    QVERIFY(w->alerts()->findChild<QPushButton *>("muteAlerts")->text().startsWith(QLatin1String("Unmute")));
    notifier->onChanged({fired}, *w->session()->alerts());
    QCOMPARE(int(notifier->sent().size()), before);
    w->alerts()->findChild<QPushButton *>("muteAlerts")->click(); // unmute
    QVERIFY(!notifier->isMuted());
    // Warnings are off by default; criticals on.
    Alert warning = fired;
    warning.severity = AlertSeverity::Warning;
    notifier->onChanged({warning}, *w->session()->alerts());
    QCOMPARE(int(notifier->sent().size()), before);
    notifier->onChanged({fired}, *w->session()->alerts());
    QCOMPARE(int(notifier->sent().size()), before + 1);
    QCOMPARE(notifier->sent().last().title, QStringLiteral("etcdNoLeader is firing"));
    // A pending alert that clears never fired: no notice.
    Alert cleared = fired;
    cleared.phase = AlertPhase::Resolved;
    cleared.firedAtMs = 0;
    notifier->onChanged({cleared}, *w->session()->alerts());
    QCOMPARE(int(notifier->sent().size()), before + 1);
}

void TestMainWindowAlerts::eachSeverityIsNotifiedAsTicked()
{
    MainWindow *w = m_fx.window();
    AlertNotifier *notifier = w->notifier();
    auto *critical = w->alerts()->findChild<QCheckBox *>("notifyCritical");
    auto *warning = w->alerts()->findChild<QCheckBox *>("notifyWarning");
    QVERIFY(critical && warning);
    QVERIFY(critical->isChecked() && !warning->isChecked()); // the defaults
    Alert fired;
    fired.name = "etcdHighFsyncDurations";
    fired.severity = AlertSeverity::Warning;
    fired.phase = AlertPhase::Firing;
    fired.firedAtMs = 1;
    Alert criticalFired = fired;
    criticalFired.severity = AlertSeverity::Critical;
    const int before = int(notifier->sent().size());

    // Warnings ticked: a warning notifies, and the choice outlives the window.
    warning->click();
    QVERIFY(notifier->notifies(AlertSeverity::Warning));
    QCOMPARE(QSettings().value("alerts/notifyWarning").toBool(), true);
    notifier->onChanged({fired}, *w->session()->alerts());
    QCOMPARE(int(notifier->sent().size()), before + 1);
    QCOMPARE(notifier->sent().last().critical, false);

    // Criticals unticked: a critical one stays silent, a warning still speaks.
    critical->click();
    QVERIFY(!notifier->notifies(AlertSeverity::Critical));
    notifier->onChanged({criticalFired}, *w->session()->alerts());
    QCOMPARE(int(notifier->sent().size()), before + 1);
    notifier->onChanged({fired}, *w->session()->alerts());
    QCOMPARE(int(notifier->sent().size()), before + 2);

    critical->click();
    warning->click();
    QVERIFY(notifier->notifies(AlertSeverity::Critical) && !notifier->notifies(AlertSeverity::Warning));
}

namespace {

/// The last point of a chart line that is not a gap.
std::optional<QPointF> lastValue(const ChartLine &line)
{
    for (auto it = line.points.crbegin(); it != line.points.crend(); ++it) {
        if (!std::isnan(it->y()))
            return *it;
    }
    return std::nullopt;
}

/// The members a chart has lines of (a panel may draw several lines for each).
QStringList namesOf(const QVector<ChartLine> &lines)
{
    QStringList out;
    for (const ChartLine &l : lines) {
        const QString who = l.who.isEmpty() ? l.label : l.who;
        if (!out.contains(who))
            out << who;
    }
    out.sort();
    return out;
}

} // namespace

void TestMainWindowAlerts::dashboardReadsWhatPrometheusHolds()
{
    const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (binary.isEmpty())
        QD_SKIP_WITHOUT(
            "prometheus", "the server the dashboard reads history from (installer/install-deps.sh --tests)");
    MainWindow *w = m_fx.window();
    ConsoleSession *session = w->session();
    const QList<LocalMember> members = session->demo()->manifest().members;
    QStringList targets;
    QHash<QString, QString> instanceOf; // member name -> host:port, as Prometheus labels it
    QStringList names;
    for (const LocalMember &m : members) {
        targets << QStringLiteral("'%1'").arg(QUrl(m.clientUrl).authority());
        instanceOf.insert(m.name, QUrl(m.clientUrl).authority());
        names << m.name;
    }
    names.sort();
    ServerProcess prometheus;
    QCOMPARE(prometheus.start(binary,
                 {"--config.file={dir}/prometheus.yml", "--storage.tsdb.path={dir}/data",
                     "--web.listen-address=127.0.0.1:{port}", "--log.level=warn"},
                 {{"prometheus.yml",
                     QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: etcd\n"
                                    "    static_configs:\n      - targets: [%1]\n")
                         .arg(targets.join(QStringLiteral(", ")))
                         .toUtf8()}}),
        QString());
    QVERIFY(prometheus.waitReady("/-/ready"));
    // A minute's steps hold a value once every member has been scraped for a while.
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     const QJsonObject r = ServerProcess::request(
                         prometheus.url("/api/v1/query?query=count(count_over_time(up%5B20s%5D)%3E%3D15)"))
                                               .object();
                     const QJsonArray result = r["data"].toObject()["result"].toArray();
                     return !result.isEmpty() && result[0].toObject()["value"].toArray()[1].toString().toInt() == 3;
                 },
                 60000),
        "prometheus did not scrape the three members for twenty seconds");

    auto *tabs = w->findChild<QTabWidget *>("tabs");
    MetricsDashboard *dashboard = w->dashboard();
    tabs->setCurrentWidget(dashboard);
    // As if the window had just connected: its own store empty, the past only in Prometheus.
    dashboard->setStore(std::make_shared<SharedSeriesStore>(SeriesStore::kDefaultRetentionMs));
    const QString url = prometheus.url().toString();
    session->setPrometheus(url, {}, {});
    auto *range = dashboard->findChild<QComboBox *>("dashboardRange");
    QTRY_VERIFY_WITH_TIMEOUT(range->findText(QStringLiteral("Last 7 days (Prometheus)")) >= 0, 10000);
    dashboard->setSpan(15 * 60 * 1000);
    TimeSeriesChart *dbSize = dashboard->panel("db-size")->chart();
    QTRY_VERIFY2_WITH_TIMEOUT(
        namesOf(dbSize->lines()) == names, qPrintable(namesOf(dbSize->lines()).join(", ")), 20000);
    QVERIFY2(dashboard->sourceText() == QStringLiteral("from Prometheus (%1)").arg(url),
        qPrintable(dashboard->sourceText()));
    // Each member's line holds what Prometheus itself answers for that member at that step.
    int compared = 0;
    // A copy: asking Prometheus runs the event loop, and a new frame may replace the lines.
    const QVector<ChartLine> drawn = dbSize->lines();
    for (const ChartLine &line : drawn) {
        if (line.variant != QLatin1String("size"))
            continue;
        ++compared;
        const std::optional<QPointF> last = lastValue(line);
        QVERIFY2(last, qPrintable(line.who));
        QUrlQuery q;
        q.addQueryItem("query",
            QString::fromLatin1(QUrl::toPercentEncoding(
                QStringLiteral("sum by (instance) (etcd_mvcc_db_total_size_in_bytes{instance=\"%1\"})")
                    .arg(instanceOf.value(line.who)))));
        q.addQueryItem("time", QString::number(last->x() / 1000.0, 'f', 3));
        QUrl direct = prometheus.url("/api/v1/query");
        direct.setQuery(q);
        const QJsonArray theirs = ServerProcess::request(direct).object()["data"].toObject()["result"].toArray();
        QCOMPARE(theirs.size(), 1);
        QCOMPARE(last->y(), theirs[0].toObject()["value"].toArray()[1].toString().toDouble());
    }
    QCOMPARE(compared, int(members.size()));
    for (const ChartLine &line : dashboard->panel("has-leader")->chart()->lines())
        QCOMPARE(lastValue(line).value_or(QPointF()).y(), 1.0);
    m_fx.savePicture(QStringLiteral("metrics-prometheus"));

    // The store again: Prometheus only for the part before its first sample (nothing there:
    // Prometheus started later), the store's own lines after.
    dashboard->setCollector(session->metrics());
    QTRY_VERIFY2_WITH_TIMEOUT(dashboard->sourceText().endsWith(QStringLiteral(", then this console's store")),
        qPrintable(dashboard->sourceText()), 20000);
    QCOMPARE(namesOf(dbSize->lines()), names);

    // The explorer searches Prometheus' metrics for this cluster and plots one per member.
    dashboard->findChild<QToolButton *>("explorerToggle")->setChecked(true);
    MetricExplorer *explorer = dashboard->explorer();
    explorer->setRemote(true);
    QTRY_VERIFY_WITH_TIMEOUT(explorer->hasRemoteNames(), 20000);
    explorer->setFilter(QStringLiteral("has_leader"));
    QCOMPARE(explorer->visibleCount(), 1);
    QVERIFY(explorer->select(QStringLiteral("etcd_server_has_leader")));
    QTRY_VERIFY2_WITH_TIMEOUT(namesOf(explorer->chart()->lines()) == names,
        qPrintable(namesOf(explorer->chart()->lines()).join(", ")), 20000);
    for (const ChartLine &line : explorer->chart()->lines())
        QCOMPARE(lastValue(line).value_or(QPointF()).y(), 1.0);
    m_fx.savePicture(QStringLiteral("metrics-prometheus-explorer"));

    // A Prometheus that stops answering is named, with why, and the store's lines stay.
    prometheus.stop();
    dashboard->setSpan(24 * 60 * 60 * 1000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        dashboard->sourceText().contains(QStringLiteral("failed")), qPrintable(dashboard->sourceText()), 20000);
    QCOMPARE(namesOf(dbSize->lines()), names);

    explorer->setRemote(false);
    dashboard->findChild<QToolButton *>("explorerToggle")->setChecked(false);
    session->setPrometheus({}, {}, {});
    QCOMPARE(range->findText(QStringLiteral("Last 7 days (Prometheus)")), -1);
    dashboard->setSpan(5 * 60 * 1000);
}

void TestMainWindowAlerts::alertmanagerAlertsShowBesideTheConsoles()
{
    const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus-alertmanager"));
    if (binary.isEmpty())
        QD_SKIP_WITHOUT(
            "prometheus-alertmanager", "the Alertmanager the Alerts tab reads (installer/install-deps.sh --tests)");
    ServerProcess am;
    QCOMPARE(am.startAlertmanager(binary), QString());
    QVERIFY(am.waitReady("/-/ready"));

    MainWindow *w = m_fx.window();
    AlertsSession *alerts = w->session()->alerts();
    const LocalMember member = w->session()->demo()->manifest().members[1];
    const QString instance = ScrapeTarget::at(member.clientUrl).instance;
    // One alert of this cluster about a member, as a Prometheus scraping it would send;
    // one of another cluster, which the tab leaves out.
    const QByteArray posted = QJsonDocument(
        QJsonArray {QJsonObject {{"labels",
                                     QJsonObject {{"alertname", "etcdHighFsyncDurations"}, {"severity", "warning"},
                                         {"instance", instance}, {"cluster", "demo"}}},
                        {"annotations", QJsonObject {{"summary", "etcd WAL fsync is slow."}}}},
            QJsonObject {{"labels",
                QJsonObject {{"alertname", "etcdNoLeader"}, {"severity", "critical"}, {"cluster", "elsewhere"}}}}})
                                  .toJson();
    ServerProcess::request(am.url("/api/v2/alerts"), &posted);
    auto *tabs = w->findChild<QTabWidget *>("tabs");
    tabs->setCurrentWidget(w->alerts());
    alerts->setAlertmanager(am.url().toString(), QStringLiteral("demo"), {}, {});
    QTableWidget *table = w->alerts()->remoteTable();
    QTRY_VERIFY2_WITH_TIMEOUT(
        w->findChild<QWidget *>("alertmanagerBox")->isVisible(), "the Alertmanager box is hidden", 5000);
    QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 1, 20000);
    QCOMPARE(table->item(0, AlertsPanel::Alert)->text(), QStringLiteral("etcdHighFsyncDurations"));
    QCOMPARE(table->item(0, AlertsPanel::Member)->text(), member.name); // the instance told by name
    QCOMPARE(table->item(0, AlertsPanel::State)->text(), QStringLiteral("Active"));
    QCOMPARE(table->item(0, AlertsPanel::Summary)->text(), QStringLiteral("etcd WAL fsync is slow."));
    // Shown, not notified: the title and the tray speak for the console's own rules only.
    QCOMPARE(w->windowTitle(), QStringLiteral("QuorumDeck"));

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QByteArray silence = QJsonDocument(
        QJsonObject {{"matchers",
                         QJsonArray {QJsonObject {
                             {"name", "alertname"}, {"value", "etcdHighFsyncDurations"}, {"isRegex", false}}}},
            {"startsAt", now.toString(Qt::ISODateWithMs)}, {"endsAt", now.addSecs(3600).toString(Qt::ISODateWithMs)},
            {"createdBy", "tst_mainwindow_alerts"},
            {"comment",
                "disk swap"}}).toJson();
    const QString id = ServerProcess::request(am.url("/api/v2/silences"), &silence).object()["silenceID"].toString();
    QVERIFY(!id.isEmpty());
    // The tab reads every 15 s; ask now rather than wait for the timer.
    alerts->setAlertmanager(am.url().toString(), QStringLiteral("demo"), {}, {});
    QTRY_COMPARE_WITH_TIMEOUT(table->rowCount() == 1 ? table->item(0, AlertsPanel::State)->text() : QString(),
        QStringLiteral("Silenced"), 20000);
    QVERIFY2(table->item(0, AlertsPanel::Silenced)->text().contains(id),
        qPrintable(table->item(0, AlertsPanel::Silenced)->text()));
    QVERIFY2(w->alerts()->remoteHeadline().contains("1 silenced"), qPrintable(w->alerts()->remoteHeadline()));
    m_fx.savePicture(QStringLiteral("alerts-alertmanager"));

    // Gone: one sentence says so.
    am.stop();
    alerts->setAlertmanager(am.url().toString(), QStringLiteral("demo"), {}, {});
    QTRY_VERIFY2_WITH_TIMEOUT(w->alerts()->remoteHeadline().startsWith("The Alertmanager could not be read"),
        qPrintable(w->alerts()->remoteHeadline()), 20000);
    alerts->setAlertmanager({}, {}, {}, {});
    QTRY_VERIFY(!w->findChild<QWidget *>("alertmanagerBox")->isVisible());
}

QTEST_MAIN(TestMainWindowAlerts)
#include "tst_mainwindow_alerts.moc"

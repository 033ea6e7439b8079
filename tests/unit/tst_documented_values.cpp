#include "dashboard/EtcdDashboard.h"
#include "etcd/ConnectionSettings.h"
#include "scrape/MetricsCollector.h"
#include "scrape/ScrapeTarget.h"
#include "session/ConsoleSession.h"
#include "support/TestTiming.h"
#include "support/TinyHttpServer.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

#if QUORUMDECK_DOCUMENTED_UI
#include "storage/StorageModel.h"
#include "storage/StoragePanel.h"

#include <QAbstractItemDelegate>
#include <QImage>
#include <QPainter>
#include <QTableView>
#endif

/// The figures README.md gives operators — alert thresholds, the storage bar's colours, how
/// often members are scraped and how long it is kept — each checked twice: the README still
/// says it, and the code still does it. A change to either one without the other fails here.
class TestDocumentedValues : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void dashboardThreshold_data();
    void dashboardThreshold();
    void metricsHistory_data();
    void metricsHistory();
#if QUORUMDECK_DOCUMENTED_UI
    void storageBarColour_data();
    void storageBarColour();
#endif

private:
    /// README.md with every run of white space as one space, so that a phrase the README
    /// wraps across lines is still found.
    QString m_readme;
};

namespace {

const EtcdDashboard::Panel *panel(const std::string &id)
{
    for (const EtcdDashboard::Panel &p : EtcdDashboard::panels()) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

/// One member's line over a minute; the last value is the current one.
PanelQuery::Line line(const std::vector<double> &values, const std::string &legend = {})
{
    PanelQuery::Line l;
    l.instance = "127.0.0.1:2379";
    l.legend = legend;
    for (size_t i = 0; i < values.size(); ++i)
        l.points.push_back({int64_t(i) * 1000, values[i]});
    return l;
}

} // namespace

enum class Setting { ScrapeInterval, Retention };
Q_DECLARE_METATYPE(Setting)

void TestDocumentedValues::initTestCase()
{
    QFile readme(QStringLiteral(QUORUMDECK_README));
    QVERIFY2(readme.open(QIODevice::ReadOnly), qPrintable(readme.fileName()));
    m_readme = QString::fromUtf8(readme.readAll()).simplified();
    QVERIFY(!m_readme.isEmpty());
}

void TestDocumentedValues::dashboardThreshold_data()
{
    QTest::addColumn<QString>("phrase"); // as README.md words it
    QTest::addColumn<QString>("panelId");
    QTest::addColumn<double>("documented"); // the README's figure, in the panel's unit
    QTest::addColumn<double>("crossing"); // a current value the README says is an alert
    QTest::addColumn<double>("notCrossing"); // the nearest value it says is not
    QTest::addColumn<int>("windowMinutes"); // for counts over a window; 0 otherwise
    QTest::addColumn<bool>("ofQuota"); // the figure is a share of the quota line
    QTest::addColumn<QString>("rule"); // the alert rule that colours the panel

    QTest::newRow("commit p99") << "commit p99 > 250 ms"
                                << "backend-commit" << 0.25 << 0.251 << 0.25 << 0 << false << "etcdHighCommitDurations";
    QTest::newRow("fsync p99") << "fsync p99 > 500 ms"
                               << "wal-fsync" << 0.5 << 0.501 << 0.5 << 0 << false << "etcdHighFsyncDurations";
    QTest::newRow("peer RTT p99") << "peer RTT p99 > 150 ms"
                                  << "peer-rtt" << 0.15 << 0.151 << 0.15 << 0 << false << "etcdMemberCommunicationSlow";
    QTest::newRow("DB size") << "DB over 95 % of the quota"
                             << "db-size" << 0.95 << 0.951 << 0.95 << 0 << true << "etcdDatabaseQuotaLowSpace";
    QTest::newRow("leader changes") << "4 leader changes in 15 min"
                                    << "leader-changes" << 4.0 << 4.0 << 3.0 << 15 << false
                                    << "etcdHighNumberOfLeaderChanges";
    QTest::newRow("no leader") << "no leader), each with its rule's name"
                               << "has-leader" << 1.0 << 0.0 << 1.0 << 0 << false << "etcdNoLeader";
}

void TestDocumentedValues::dashboardThreshold()
{
    QFETCH(QString, phrase);
    QFETCH(QString, panelId);
    QFETCH(double, documented);
    QFETCH(double, crossing);
    QFETCH(double, notCrossing);
    QFETCH(int, windowMinutes);
    QFETCH(bool, ofQuota);

    QVERIFY2(m_readme.contains(phrase), qPrintable("README.md no longer says: " + phrase));

    const EtcdDashboard::Panel *p = panel(panelId.toStdString());
    QVERIFY2(p, qPrintable("no dashboard panel " + panelId));
    QCOMPARE(p->threshold.value, documented);
    if (windowMinutes > 0) {
        QCOMPARE(p->exprs.size(), size_t(1));
        QCOMPARE(p->exprs.front().windowMs, int64_t(windowMinutes) * 60 * 1000);
    }

    // The frame follows the alert rule about the same figure; the line marks its threshold.
    if (ofQuota)
        QCOMPARE(p->threshold.fractionOfLegend, std::string("quota"));
    QFETCH(QString, rule);
    QVERIFY2(std::find(p->rules.begin(), p->rules.end(), rule.toStdString()) != p->rules.end(),
        qPrintable(panelId + " does not follow " + rule));
    QVERIFY2(m_readme.contains(rule), qPrintable("README.md does not name " + rule));
}

void TestDocumentedValues::metricsHistory_data()
{
    QTest::addColumn<QString>("phrase");
    QTest::addColumn<Setting>("setting");
    QTest::addColumn<qint64>("documentedMs");

    QTest::newRow("scraped each second") << "every member's `/metrics` is scraped each second"
                                         << Setting::ScrapeInterval << qint64(1000);
    QTest::newRow("kept for 6 hours") << "kept compressed for 6 hours" << Setting::Retention << qint64(6) * 3600 * 1000;
}

void TestDocumentedValues::metricsHistory()
{
    QFETCH(QString, phrase);
    QFETCH(Setting, setting);
    QFETCH(qint64, documentedMs);

    QVERIFY2(m_readme.contains(phrase), qPrintable("README.md no longer says: " + phrase));

    if (setting == Setting::Retention) {
        // The window's session: what its collector keeps.
        ConnectionSettings settings;
        settings.endpoints = {QStringLiteral("127.0.0.1:2379")};
        ConsoleSession session(settings, nullptr);
        QCOMPARE(session.metrics()->read([](const SeriesStore &s) { return s.retentionMs(); }), documentedMs);
        return;
    }

    // The targets the session scrapes are made by ScrapeTarget::at; then the collector must
    // really take one scrape per interval.
    TinyHttpServer server("etcd_server_has_leader 1\n");
    QVERIFY(server.isListening());
    const ScrapeTarget target = ScrapeTarget::at(server.url());
    QCOMPARE(qint64(target.intervalMs), documentedMs);
    MetricsCollector collector;
    QSignalSpy scraped(&collector, &MetricsCollector::scraped);
    collector.setTargets({target});
    QTRY_VERIFY_WITH_TIMEOUT(scraped.size() >= 3, TestTiming::upTo(3 * documentedMs + 2000));
    const qint64 first = scraped.at(0).at(0).value<ScrapeHealth>().timeMs;
    const qint64 third = scraped.at(2).at(0).value<ScrapeHealth>().timeMs;
    QVERIFY(scraped.at(2).at(0).value<ScrapeHealth>().up);
    const qint64 perScrape = (third - first) / 2;
    // A coarse timer may fire up to 5 % early; a loaded machine may fire late.
    QVERIFY2(perScrape >= documentedMs * 95 / 100 && perScrape <= TestTiming::upTo(documentedMs * 3 / 2),
        qPrintable(QStringLiteral("%1 ms between scrapes").arg(perScrape)));
}

#if QUORUMDECK_DOCUMENTED_UI

namespace {

/// The colour's name as a person would say it, from its hue.
QString colourName(const QColor &c)
{
    if (c.hsvSaturation() < 30)
        return QStringLiteral("grey");
    const int hue = c.hsvHue();
    if (hue < 15 || hue >= 345)
        return QStringLiteral("red");
    if (hue >= 20 && hue <= 55)
        return QStringLiteral("amber");
    if (hue >= 80 && hue <= 160)
        return QStringLiteral("green");
    return QStringLiteral("hue %1").arg(hue);
}

/// The colour of the quota bar the Storage tab draws for a member using this share of it.
QString quotaBarColour(double fraction)
{
    StoragePanel panel;
    MemberStorage m;
    m.id = 1;
    m.name = QStringLiteral("etcd1");
    m.reachable = true;
    m.quota = 1000000;
    m.dbSize = qRound64(fraction * double(m.quota));
    m.dbSizeInUse = m.dbSize;
    panel.setStorage({m});
    const QModelIndex cell = panel.model()->index(0, StorageModel::QuotaUse);
    QAbstractItemDelegate *delegate = panel.view()->itemDelegateForColumn(StorageModel::QuotaUse);
    if (!delegate)
        return QStringLiteral("no delegate");
    QImage image(240, 30, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QStyleOptionViewItem option;
    option.rect = image.rect();
    option.palette = panel.view()->palette();
    {
        QPainter painter(&image);
        delegate->paint(&painter, option, cell);
    }
    // Inside the bar, left of where its text begins.
    return colourName(image.pixelColor(5, image.height() / 2));
}

} // namespace

void TestDocumentedValues::storageBarColour_data()
{
    QTest::addColumn<QString>("phrase");
    QTest::addColumn<double>("from"); // share of the quota where the colour begins
    QTest::addColumn<QString>("colour");
    QTest::addColumn<QString>("colourBelow");

    QTest::newRow("amber from 80 %") << "amber from 80 %" << 0.80 << "amber"
                                     << "green";
    QTest::newRow("red from 95 %") << "red from 95 %" << 0.95 << "red"
                                   << "amber";
}

void TestDocumentedValues::storageBarColour()
{
    QFETCH(QString, phrase);
    QFETCH(double, from);
    QFETCH(QString, colour);
    QFETCH(QString, colourBelow);

    const QString sentence = "a bar of the size against the backend quota (amber from 80 %, red from 95 %)";
    QVERIFY2(m_readme.contains(sentence), qPrintable("README.md no longer says: " + sentence));
    QVERIFY(sentence.contains(phrase));

    QCOMPARE(quotaBarColour(from), colour);
    QCOMPARE(quotaBarColour(from - 0.005), colourBelow);
}

QTEST_MAIN(TestDocumentedValues)
#else
QTEST_GUILESS_MAIN(TestDocumentedValues)
#endif
#include "tst_documented_values.moc"

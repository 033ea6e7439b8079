#include "cluster/SnapshotDiff.h"
#include "elections/ElectionsTimeline.h"
#include "elections/EventsModel.h"
#include "members/MembersModel.h"
#include "support/SnapshotBuilder.h"
#include "widgets/ColorScheme.h"
#include "widgets/SentenceCase.h"
#include "widgets/TableColumns.h"
#include "widgets/TimeSeriesChart.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QHeaderView>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

/// The window's models over changing snapshots and event batches, each checked by Qt's
/// model tester.
class TestModels : public QObject {
    Q_OBJECT

private slots:
    void membersFollowSnapshots();
    void colourSchemeFollowsTheDesktop();
    void chartsPaintDarkOnADarkPalette();
    void messagesStartWithACapitalUnlessTheyStartWithAName();
    void membersCopyAsText();
    void eventsAppendAndReset();
    void unseenElectionsAreAGapOnTheTimeline_data();
    void unseenElectionsAreAGapOnTheTimeline();
    void chartLaysOutAnyValues_data();
    void chartLaysOutAnyValues();
    void chartAxisShowsTheDataNotTheQuota();
    void chartKeepsANearThresholdOnItsAxis();
    void firstLeadershipIsOnTheTimeline();
    void leaseHoldersAreLanesOfTheirOwn();
    void tableColumnsFollowRowsAddedInView();
    void tabLeavesATable();
};

void TestModels::chartLaysOutAnyValues_data()
{
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::newRow("nearly constant, negative") << -0.30000000000000004 << -0.3;
    QTest::newRow("one value") << 42.0 << 42.0;
    QTest::newRow("huge") << 1e300 << 1.7e308;
    QTest::newRow("tiny") << 1e-300 << 2e-300;
    QTest::newRow("across zero") << -5.0 << 5.0;
}

void TestModels::chartLaysOutAnyValues()
{
    // The value axis must come out as a few distinct ticks, never a loop that does not end.
    QFETCH(double, lo);
    QFETCH(double, hi);
    TimeSeriesChart chart;
    chart.resize(400, 200);
    chart.setValueFloor(std::nullopt);
    chart.setTimeRange(0, 10'000);
    chart.setLines({ChartLine {"x", {}, {}, Qt::red, Qt::SolidLine, {QPointF(1000, lo), QPointF(2000, hi)}}});
    QVERIFY(!chart.grab().isNull());
    QVERIFY(chart.plotRect().width() > 0);
}

void TestModels::chartAxisShowsTheDataNotTheQuota()
{
    // A 20 KiB database under a 2 GiB quota: the axis fits the 20 KiB, and the quota and its
    // 95 % threshold are named at the top edge instead of flattening the line onto zero.
    constexpr double kQuota = 2.0 * 1024 * 1024 * 1024;
    TimeSeriesChart chart;
    chart.resize(400, 200);
    chart.setValueFloor(0);
    chart.setFormatter([](double v) { return QString::number(v, 'g', 3); });
    chart.setTimeRange(0, 10'000);
    ChartLine size {
        "etcd1 size", "etcd1", "size", Qt::blue, Qt::SolidLine, {QPointF(1000, 20480), QPointF(2000, 20992)}};
    ChartLine quota {
        "etcd1 quota", "etcd1", "quota", Qt::blue, Qt::DotLine, {QPointF(1000, kQuota), QPointF(2000, kQuota)}};
    quota.limit = true;
    chart.setThreshold(0.95 * kQuota, QStringLiteral("95 % of quota"));
    chart.setLines({size, quota});
    const auto [lo, hi] = chart.valueRange();
    QCOMPARE(lo, 0.0);
    QVERIFY2(hi >= 20992 && hi < 64 * 1024, qPrintable(QString::number(hi)));
    QCOMPARE(chart.limitsBeyond(), QStringList({QStringLiteral("95 % of quota"), QStringLiteral("quota 2.15e+09")}));
    QVERIFY(!chart.grab().isNull());

    // The same quota as data (not marked a limit) would set the axis: the check above is not
    // vacuous.
    quota.limit = false;
    chart.setLines({size, quota});
    QVERIFY(chart.valueRange().second >= kQuota);
}

void TestModels::chartKeepsANearThresholdOnItsAxis()
{
    // fsync p99 at 400 ms against a 500 ms threshold: the threshold is near enough to show
    // on the axis itself; at 5 ms it is named at the top instead.
    TimeSeriesChart chart;
    chart.resize(400, 200);
    chart.setValueFloor(0);
    chart.setTimeRange(0, 10'000);
    chart.setThreshold(0.5, QStringLiteral("500 ms"));
    chart.setLines({ChartLine {"p99", {}, {}, Qt::blue, Qt::SolidLine, {QPointF(1000, 0.4)}}});
    QVERIFY(chart.valueRange().second >= 0.5);
    QVERIFY(chart.limitsBeyond().isEmpty());
    chart.setLines({ChartLine {"p99", {}, {}, Qt::blue, Qt::SolidLine, {QPointF(1000, 0.005)}}});
    QVERIFY(chart.valueRange().second < 0.05);
    QCOMPARE(chart.limitsBeyond(), QStringList {QStringLiteral("500 ms")});
}

void TestModels::messagesStartWithACapitalUnlessTheyStartWithAName()
{
    QCOMPARE(SentenceCase::of(QStringLiteral("leadership moved from etcd3 to etcd1")),
        QStringLiteral("Leadership moved from etcd3 to etcd1"));
    QCOMPARE(SentenceCase::of(QStringLiteral("killed etcd3 (SIGKILL)")), QStringLiteral("Killed etcd3 (SIGKILL)"));
    QCOMPARE(SentenceCase::of(QStringLiteral("verified: restored into a throw-away etcd")),
        QStringLiteral("Verified: restored into a throw-away etcd"));
    for (const char *kept : {"etcd3 cannot be reached", "etcd is not on PATH", "http://127.0.0.1:2379 refused",
             "/var/lib/etcd is full", "Already a sentence.", "", "kube-scheduler lost its lease", "etcd2: stopped",
             "etcdserver: not leader", "rpc error: code = Unavailable", "http: server gave HTTP response"})
        QCOMPARE(SentenceCase::of(QString::fromLatin1(kept)), QString::fromLatin1(kept));
}

void TestModels::colourSchemeFollowsTheDesktop()
{
    using ColorScheme::Scheme;
    QTemporaryDir home;
    QCOMPARE(ColorScheme::desktop(home.path()), Scheme::Light); // nothing says
    QDir(home.path()).mkpath(QStringLiteral("gtk-3.0"));
    auto write = [&](const QString &name, const QByteArray &text) {
        QFile f(home.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    };
    write(QStringLiteral("gtk-3.0/settings.ini"), "[Settings]\ngtk-application-prefer-dark-theme=1\n");
    QCOMPARE(ColorScheme::desktop(home.path()), Scheme::Dark);
    write(QStringLiteral("gtk-3.0/settings.ini"), "[Settings]\ngtk-theme-name=Adwaita-dark\n");
    QCOMPARE(ColorScheme::desktop(home.path()), Scheme::Dark);
    write(QStringLiteral("gtk-3.0/settings.ini"), "[Settings]\ngtk-theme-name=Adwaita\n");
    QCOMPARE(ColorScheme::desktop(home.path()), Scheme::Light);
    // KDE's setting comes first; the operator's override before anything.
    write(QStringLiteral("kdeglobals"), "[General]\nColorScheme=BreezeDark\n");
    QCOMPARE(ColorScheme::desktop(home.path()), Scheme::Dark);
    QCOMPARE(ColorScheme::desktop(home.path(), QStringLiteral("light")), Scheme::Light);
    write(QStringLiteral("kdeglobals"), "[General]\nColorScheme=BreezeLight\n");
    QCOMPARE(ColorScheme::desktop(home.path()), Scheme::Light);
    QCOMPARE(ColorScheme::desktop(home.path(), QStringLiteral("dark")), Scheme::Dark);
    QCOMPARE(ColorScheme::of(ColorScheme::darkPalette()), Scheme::Dark);
}

void TestModels::chartsPaintDarkOnADarkPalette()
{
    // The charts and the timeline paint from the palette: on the dark one their plot is dark
    // and their text light, with no colour of their own left light.
    for (const bool dark : {false, true}) {
        TimeSeriesChart chart;
        if (dark)
            chart.setPalette(ColorScheme::darkPalette());
        chart.resize(400, 200);
        chart.setTimeRange(0, 10'000);
        chart.setLines({ChartLine {"x", {}, {}, Qt::blue, Qt::SolidLine, {QPointF(1000, 1), QPointF(2000, 2)}}});
        const QImage image = chart.grab().toImage();
        const QRect plot = chart.plotRect();
        const int lightness = image.pixelColor(plot.left() + 3, plot.bottom() - 3).lightness();
        QVERIFY2(dark ? lightness < 60 : lightness > 200, qPrintable(QString::number(lightness)));
    }
}

void TestModels::membersFollowSnapshots()
{
    MembersModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    model.setSnapshot(SnapshotBuilder().member(1, "a", 1, 2).member(2, "b", 1, 2).member(3, "c", 1, 2).build());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.size(), 1);
    int leaders = 0;
    for (int r = 0; r < 3; ++r)
        leaders += model.data(model.index(r, MembersModel::Role)).toString() == "leader";
    QCOMPARE(leaders, 1);
    QCOMPARE(model.data(model.index(0, MembersModel::Id)).toString(), QStringLiteral("0000000000000001"));

    // Same members, new figures: no rows inserted or removed, rows keep their identity.
    model.setSnapshot(SnapshotBuilder().member(1, "a", 2, 3).member(2, "b", 2, 3).down(3, "c").build());
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(model.data(model.index(1, MembersModel::Role)).toString(), QStringLiteral("leader"));
    QCOMPARE(model.data(model.index(2, MembersModel::Health)).toString(), QStringLiteral("unreachable"));
    QVERIFY(!model.data(model.index(2, MembersModel::Term)).isValid());

    // A member removed and one added.
    model.setSnapshot(
        SnapshotBuilder().member(1, "a", 1, 4).member(3, "c", 1, 4).member(4, "d", 1, 4, 100, true).build());
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.data(model.index(2, MembersModel::Role)).toString(), QStringLiteral("learner"));
    QVERIFY(!model.headerData(MembersModel::Lag, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
}

void TestModels::membersCopyAsText()
{
    MembersModel model;
    model.setSnapshot(SnapshotBuilder().member(1, "a", 1, 2).member(2, "b", 1, 2).build());
    const QStringList lines = model.rowsAsText({1}).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith("ID\tName\tRole"));
    QVERIFY(lines.at(1).startsWith("0000000000000002\tb\tfollower"));
}

void TestModels::eventsAppendAndReset()
{
    EventsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ClusterEvent changed;
    changed.type = ClusterEvent::Type::LeaderChanged;
    changed.timeMs = 1000;
    changed.from = 1;
    changed.to = 2;
    changed.term = 5;
    changed.member = 2;
    changed.requested = true;
    ClusterEvent lost;
    lost.type = ClusterEvent::Type::LeaderLost;
    lost.timeMs = 2000;
    lost.member = 2;
    lost.detail = "the leader is unreachable: gone";
    model.append({changed});
    model.append({lost});
    QCOMPARE(model.rowCount(), 2);
    model.learnNames(SnapshotBuilder().member(1, "a", 1, 2).member(2, "b", 1, 2).build());
    QCOMPARE(model.data(model.index(0, EventsModel::Event)).toString(), QStringLiteral("Leader a → b"));
    QCOMPARE(model.data(model.index(0, EventsModel::Cause)).toString(), QStringLiteral("operator's transfer"));
    QCOMPARE(model.data(model.index(1, EventsModel::Cause)).toString(),
        QStringLiteral("previous leader unreachable or stopped"));
    QCOMPARE(model.data(model.index(0, EventsModel::Term)).toInt(), 5);
    model.reset({lost});
    QCOMPARE(model.rowCount(), 1);
}

namespace {

ClusterSnapshot led(uint64_t leader, uint64_t term, qint64 t)
{
    return SnapshotBuilder(t)
        .member(1, "a", leader, term)
        .member(2, "b", leader, term)
        .member(3, "c", leader, term)
        .build();
}

} // namespace

void TestModels::unseenElectionsAreAGapOnTheTimeline_data()
{
    QTest::addColumn<uint64_t>("leaderAfter");
    QTest::addColumn<uint64_t>("termAfter");
    QTest::addColumn<int>("unseen");
    QTest::newRow("a, then a two terms later") << uint64_t(1) << uint64_t(7) << 2;
    QTest::newRow("a, then b three terms later") << uint64_t(2) << uint64_t(8) << 2;
    QTest::newRow("a, then a the next term") << uint64_t(1) << uint64_t(6) << 1;
}

void TestModels::unseenElectionsAreAGapOnTheTimeline()
{
    QFETCH(uint64_t, leaderAfter);
    QFETCH(uint64_t, termAfter);
    QFETCH(int, unseen);
    // a elected at 1 s; samples at 2 s (a, term 5) and 3 s; the window's snapshot at 4 s.
    ClusterEvent elected;
    elected.type = ClusterEvent::Type::LeaderChanged;
    elected.timeMs = 1000;
    elected.to = elected.member = 1;
    elected.term = 5;
    const QList<ClusterEvent> events
        = QList<ClusterEvent> {elected} + SnapshotDiff::between(led(1, 5, 2000), led(leaderAfter, termAfter, 3000));
    const ClusterSnapshot now = led(leaderAfter, termAfter, 4000);

    const QList<ElectionsTimeline::Band> bands = ElectionsTimeline::bandsFrom(events, now);
    QCOMPARE(bands.size(), 3);
    // a's leadership ends where it was last seen, not where the next sample was taken...
    QCOMPARE(bands[0].leader, 1u);
    QCOMPARE(bands[0].startMs, 1000);
    QCOMPARE(bands[0].endMs, 2000);
    QCOMPARE(bands[0].unseenElections, 0);
    // ...between the samples nobody is known to have led...
    QCOMPARE(bands[1].leader, 0u);
    QCOMPARE(bands[1].startMs, 2000);
    QCOMPARE(bands[1].endMs, 3000);
    QCOMPARE(bands[1].unseenElections, unseen);
    QVERIFY2(bands[1].detail.contains(QStringLiteral("term 5 → %1").arg(termAfter)), qPrintable(bands[1].detail));
    // ...and the leader the later sample saw leads from there, in its own term.
    QCOMPARE(bands[2].leader, leaderAfter);
    QCOMPARE(bands[2].term, termAfter);
    QCOMPARE(bands[2].startMs, 3000);
    QCOMPARE(bands[2].endMs, 4000);

    // The timeline draws it, a lane per member, and the event list names the count.
    ElectionsTimeline timeline;
    timeline.setData(events, now);
    QCOMPARE(timeline.bands().size(), 3);
    QCOMPARE(timeline.lanes(), (QStringList {"a", "b", "c"}));
    EventsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(events);
    int row = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.eventAt(r)->type == ClusterEvent::Type::ElectionsUnseen)
            row = r;
    }
    QVERIFY(row >= 0);
    QCOMPARE(model.data(model.index(row, EventsModel::Event)).toString(),
        unseen == 1 ? QStringLiteral("1 election unseen") : QStringLiteral("%1 elections unseen").arg(unseen));

    // Without the election that made a leader in the history, its band still reaches back as
    // far as the history does, in the term it led in.
    QList<ClusterEvent> later = events.mid(1);
    ClusterEvent unrelated;
    unrelated.type = ClusterEvent::Type::MemberRecovered;
    unrelated.timeMs = 500;
    later.prepend(unrelated);
    const QList<ElectionsTimeline::Band> fromHistory = ElectionsTimeline::bandsFrom(later, now);
    QCOMPARE(fromHistory.size(), 3);
    QCOMPARE(fromHistory[0].leader, 1u);
    QCOMPARE(fromHistory[0].term, 5u);
    QCOMPARE(fromHistory[0].startMs, 500);
    QCOMPARE(fromHistory[0].endMs, 2000);
    QCOMPARE(fromHistory[1].unseenElections, unseen);
}

void TestModels::firstLeadershipIsOnTheTimeline()
{
    // The window saw a (term 5) from 1 s; b took over at 3 s. The first snapshot makes no
    // event, yet a's leadership is a band from where the history starts.
    const QList<ClusterEvent> events = SnapshotDiff::between(led(1, 5, 2000), led(2, 6, 3000));
    const ClusterSnapshot now = led(2, 6, 4000);
    const QList<ElectionsTimeline::Band> bands = ElectionsTimeline::bandsFrom(events, now, 1000);
    QCOMPARE(bands.size(), 2);
    QCOMPARE(bands[0].leader, 1u);
    QCOMPARE(bands[0].term, 5u);
    QCOMPARE(bands[0].startMs, 1000);
    QCOMPARE(bands[0].endMs, 3000);
    QCOMPARE(bands[1].leader, 2u);
    QCOMPARE(bands[1].term, 6u);
    QCOMPARE(bands[1].startMs, 3000);

    // The window keeps the first snapshot's time itself.
    ElectionsTimeline timeline;
    timeline.setData({}, led(1, 5, 1000));
    timeline.setData(events, now);
    QCOMPARE(timeline.bands().size(), 2);
    QCOMPARE(timeline.bands().first().startMs, 1000);
}

void TestModels::leaseHoldersAreLanesOfTheirOwn()
{
    // kube-scheduler held by master2 since before the history (1 s), taken by master1 at 3 s,
    // stale at 5 s, master3's at 6 s (as read now, at 8 s); kube-controller-manager held by
    // master1 throughout, known only from the current reading.
    auto event = [](ClusterEvent::Type type, qint64 t, const QString &detail) {
        ClusterEvent e;
        e.type = type;
        e.timeMs = t;
        e.detail = detail;
        return e;
    };
    const QList<ClusterEvent> events {
        event(ClusterEvent::Type::ComponentLeaderChanged, 3000, QStringLiteral("kube-scheduler: master2 → master1")),
        event(ClusterEvent::Type::ComponentLeaseStale, 5000,
            "kube-scheduler: master1 stopped renewing the lease (last 16 s ago; it lasts 15 s)"),
        event(ClusterEvent::Type::ComponentLeaderChanged, 6000,
            QStringLiteral("kube-scheduler: master1 → master3 (2 transitions since the last reading)")),
    };
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(8000);
    KubeLease scheduler;
    scheduler.name = "kube-scheduler";
    scheduler.holder = "master3_5a7b";
    scheduler.acquireTime = QDateTime::fromMSecsSinceEpoch(6000);
    scheduler.renewTime = now;
    scheduler.leaseDurationSeconds = 15;
    KubeLease manager = scheduler;
    manager.name = "kube-controller-manager";
    manager.holder = "master1_0d1e";
    manager.acquireTime = QDateTime::fromMSecsSinceEpoch(-100000); // long before the history
    const auto bands = LeadershipBands::fromLeases(events, {scheduler, manager}, 8000, 1000);
    QStringList seen;
    for (const auto &b : bands)
        seen << QStringLiteral("%1 %2 %3-%4")
                    .arg(b.lease, b.holder.isEmpty() ? "-" : b.holder)
                    .arg(b.startMs)
                    .arg(b.endMs);
    QCOMPARE(seen,
        (QStringList {"kube-controller-manager master1 1000-8000", "kube-scheduler master2 1000-3000",
            "kube-scheduler master1 3000-5000", "kube-scheduler - 5000-6000", "kube-scheduler master3 6000-8000"}));

    ElectionsTimeline timeline;
    timeline.setData({}, led(1, 5, 1000)); // the window has watched since 1 s
    timeline.setData(events, led(1, 5, 8000));
    timeline.setLeases({scheduler, manager});
    QCOMPARE(timeline.lanes(), (QStringList {"a", "b", "c", "kube-controller-manager", "kube-scheduler"}));
    QCOMPARE(timeline.leaseBands().size(), 5);
}

void TestModels::tableColumnsFollowRowsAddedInView()
{
    // The first rows of a table in view widen its fitted columns at once. A table without row
    // numbers left them at the width of the title ("20…") until the window was resized.
    QStandardItemModel model(0, 2);
    model.setHorizontalHeaderLabels({QStringLiteral("Time"), QStringLiteral("Cause")});
    QTableView view;
    view.verticalHeader()->hide(); // as the window's tables are
    view.setModel(&model);
    TableColumns::fit(&view, 1);
    view.resize(600, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // As the window's event lists do: follow the newest row as it arrives.
    connect(&model, &QAbstractItemModel::rowsInserted, &view, [&view] { view.scrollToBottom(); });
    const QString time = QStringLiteral("2026-12-07 15:46:03.806");
    model.appendRow({new QStandardItem(time), new QStandardItem(QStringLiteral("leader etcd2 stopped answering"))});
    const int needed = view.fontMetrics().horizontalAdvance(time);
    QTRY_VERIFY2_WITH_TIMEOUT(view.columnWidth(0) > needed,
        qPrintable(QStringLiteral("%1 px for %2 px of text").arg(view.columnWidth(0)).arg(needed)), 2000);
    QVERIFY(!TableColumns::isElided(&view, model.index(0, 0)));
    // ...and narrow again when the long rows go.
    model.removeRows(0, 1);
    QTRY_VERIFY_WITH_TIMEOUT(view.columnWidth(0) < needed, 2000);
}

void TestModels::tabLeavesATable()
{
    // The keyboard moves on from a fitted table with Tab; the arrows move within it.
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    QStandardItemModel model(3, 3);
    auto *view = new QTableView;
    view->setModel(&model);
    TableColumns::fit(view, 2);
    auto *after = new QTableView;
    layout->addWidget(view);
    layout->addWidget(after);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    view->setFocus();
    view->setCurrentIndex(model.index(0, 0));
    QTest::keyClick(view, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), after);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Right);
    QCOMPARE(view->currentIndex(), model.index(0, 1));
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"

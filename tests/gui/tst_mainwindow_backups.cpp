#include "MainWindowFixture.h"
#include "support/LoopWait.h"

#include "backups/BackupsPanel.h"
#include "session/BackupSession.h"
#include "widgets/OperationProgress.h"
#include "window/QuorumLossBanner.h"

#include <QFile>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>

/// The Backups tab and the quorum-loss banner against a real demo: a schedule that takes a
/// verified backup at once, back up now, verify, restore the demo from the panel, and the
/// banner's rebuild after two of three members are killed.
class TestMainWindowBackups : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_fx.setUp(0, false); }
    void init() { m_fx.ready(); }
    void cleanupTestCase();
    void aScheduleWithoutABackupIsOverdueUntilOneIsVerified();
    void backUpNowAndVerifyFromThePanel();
    void verifyingStopsWhenAsked();
    void restoreFromThePanelPutsTheBackupBack();
    void quorumLossShowsTheBannerAndRebuildsTheDemo();

private:
    BackupSession *backups() const { return m_fx.window()->session()->backups(); }
    BackupsPanel *panel() const { return m_fx.window()->backups(); }
    QPushButton *button(const QString &text) const
    {
        for (QPushButton *b : panel()->findChildren<QPushButton *>())
            if (b->text().remove(QLatin1Char('&')) == text)
                return b;
        return nullptr;
    }
    int eventCount(ClusterEvent::Type type) const
    {
        int n = 0;
        for (const ClusterEvent &e : m_fx.window()->session()->events())
            n += e.type == type;
        return n;
    }
    /// The rows of the table whose state column reads state.
    int rowsIn(const QString &state) const
    {
        int n = 0;
        for (int r = 0; r < panel()->table()->rowCount(); ++r)
            n += panel()->table()->item(r, BackupsPanel::State)
                && panel()->table()->item(r, BackupsPanel::State)->text() == state;
        return n;
    }
    /// The last action the session journalled ("" for none).
    QString lastAction() const
    {
        const QList<OperatorAction> &actions = m_fx.window()->session()->actions();
        return actions.isEmpty() ? QString() : actions.last().action;
    }
    OperationProgress *progress() const { return m_fx.window()->operationProgress(); }
    /// Records how long the window's event loop stalled during operation, beside the
    /// screenshots (docs/window.md quotes the figures), and checks it was measured.
    void recordLag(const QString &operation)
    {
        const EventLoopLag::Figures f = progress()->figures();
        QVERIFY2(f.samples > 10, qPrintable(operation));
        const QString dir = qEnvironmentVariable("QUORUMDECK_TEST_ARTIFACTS", QDir::tempPath());
        QDir().mkpath(dir);
        QFile out(QDir(dir).filePath(QStringLiteral("event-loop-lag.txt")));
        QVERIFY(out.open(QIODevice::Append | QIODevice::Text));
        out.write(QStringLiteral("%1: p99 %2 ms, max %3 ms (during \"%4\"); held by the window itself: p99 %5 "
                                 "ms, max %6 ms (during \"%7\"); %8 samples\n")
                      .arg(operation)
                      .arg(f.p99Ms, 0, 'f', 1)
                      .arg(f.maxMs, 0, 'f', 1)
                      .arg(f.maxDuring)
                      .arg(f.heldP99Ms, 0, 'f', 1)
                      .arg(f.heldMaxMs, 0, 'f', 1)
                      .arg(f.heldMaxDuring)
                      .arg(f.samples)
                      .toUtf8());
    }
    /// Writes key through the session's client (and reads it back with get()).
    void put(const QByteArray &key);
    QByteArray get(const QByteArray &key);

    MainWindowFixture m_fx;
};

void TestMainWindowBackups::cleanupTestCase()
{
    // The backups live in the per-user data directory (of the test mode): remove this run's.
    if (m_fx.window() && m_fx.window()->session() && !backups()->directory().isEmpty())
        QDir(backups()->directory()).removeRecursively();
    m_fx.tearDown();
}

void TestMainWindowBackups::put(const QByteArray &key)
{
    std::optional<EtcdResult<ResponseHeaderInfo>> r;
    EtcdClient *client = m_fx.window()->session()->client();
    client->put(client->settings().endpoints.first(), key, "v", nullptr, [&](const auto &a) { r = a; });
    QTRY_VERIFY_WITH_TIMEOUT(r.has_value(), 10000);
    QVERIFY2(r->ok(), qPrintable(r->error.sentence));
}

QByteArray TestMainWindowBackups::get(const QByteArray &key)
{
    std::optional<EtcdResult<RangeInfo>> r;
    EtcdClient *client = m_fx.window()->session()->client();
    client->range(client->settings().endpoints.first(), key, {}, false, nullptr, [&](const auto &a) { r = a; });
    if (!QTest::qWaitFor([&] { return r.has_value(); }, 10000) || !r->ok() || r->value->kvs.isEmpty())
        return {};
    return r->value->kvs.first().key;
}

void TestMainWindowBackups::aScheduleWithoutABackupIsOverdueUntilOneIsVerified()
{
    m_fx.window()->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel());
    QPushButton *apply = button(QStringLiteral("Apply schedule"));
    QVERIFY(apply);
    // Enabled once the cluster's backup directory has been read.
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 10000);
    QCOMPARE(panel()->table()->rowCount(), 0);
    panel()->findChildren<QSpinBox *>().at(0)->setValue(6);
    apply->click();
    // No verified backup at all: overdue at once, and the schedule takes one now.
    QTRY_COMPARE_WITH_TIMEOUT(eventCount(ClusterEvent::Type::BackupOverdue), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(rowsIn(QStringLiteral("verified")), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(eventCount(ClusterEvent::Type::BackupCurrent), 1, 10000);
    QCOMPARE(backups()->schedule().everyHours, 6);
    QVERIFY2(panel()->headline().contains("newest verified"), qPrintable(panel()->headline()));
}

void TestMainWindowBackups::backUpNowAndVerifyFromThePanel()
{
    m_fx.window()->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel());
    const int before = panel()->table()->rowCount();
    QPushButton *now = button(QStringLiteral("Back up now"));
    QVERIFY(now && now->isEnabled());
    put("/gui-backup/marker");
    now->click();
    QTRY_COMPARE_WITH_TIMEOUT(panel()->table()->rowCount(), before + 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.window()->session()->isBusy(), 60000);
    QCOMPARE(rowsIn(QStringLiteral("verified")), before + 1);

    // Verify the newest again from the panel: journalled as the operator's action.
    panel()->table()->selectRow(0);
    QPushButton *verify = button(QStringLiteral("Verify"));
    QVERIFY(verify && verify->isEnabled());
    const int actions = int(m_fx.window()->session()->actions().size());
    verify->click();
    // Waited for in a real event loop: the lag meter is running (LoopWait.h).
    QVERIFY(runLoopUntil([&] { return int(m_fx.window()->session()->actions().size()) == actions + 1; }, 60000));
    const OperatorAction &last = m_fx.window()->session()->actions().last();
    QCOMPARE(last.action, QStringLiteral("verify backup"));
    QVERIFY2(last.result == QLatin1String("done"), qPrintable(last.detail));
    QVERIFY(!progress()->isVisible());
    recordLag(QStringLiteral("verify a backup"));
    QD_STEP(m_fx.savePicture(QStringLiteral("backups")));
}

void TestMainWindowBackups::verifyingStopsWhenAsked()
{
    m_fx.window()->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel());
    if (panel()->table()->rowCount() == 0) {
        button(QStringLiteral("Back up now"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(panel()->table()->rowCount(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_fx.window()->session()->isBusy(), 60000);
    }
    const int verified = rowsIn(QStringLiteral("verified"));
    panel()->table()->selectRow(0);
    const int actions = int(m_fx.window()->session()->actions().size());
    button(QStringLiteral("Verify"))->click();
    // The first step (reading the file's hashes) is under way: the bar counts steps and
    // Stop is offered, since a verification changes nothing but its throw-away member.
    QVERIFY(progress()->isVisible());
    QCOMPARE(progress()->bar()->value(), 0);
    QVERIFY(progress()->bar()->maximum() >= 5);
    QVERIFY(progress()->stopButton()->isEnabled());
    // Only layouts settle for the picture: the first step must still be under way when Stop
    // is clicked (its answer waits in the event queue), or the run would stop a step later.
    QD_STEP(m_fx.savePicture(QStringLiteral("backups-verifying"), true));
    progress()->stopButton()->click();
    QVERIFY(!progress()->stopButton()->isEnabled()); // asked once
    QTRY_COMPARE_WITH_TIMEOUT(int(m_fx.window()->session()->actions().size()), actions + 1, 60000);
    const OperatorAction &last = m_fx.window()->session()->actions().last();
    QCOMPARE(last.action, QStringLiteral("verify backup"));
    QCOMPARE(last.result, QStringLiteral("failed"));
    QVERIFY2(last.detail.contains(QStringLiteral("stopped before “restore it into a throw-away member”")),
        qPrintable(last.detail));
    QTRY_VERIFY_WITH_TIMEOUT(!progress()->isVisible(), 10000);
    // What the backup was before stays: a stopped check proves nothing either way.
    QTRY_COMPARE_WITH_TIMEOUT(rowsIn(QStringLiteral("verified")), verified, 10000);
}

void TestMainWindowBackups::restoreFromThePanelPutsTheBackupBack()
{
    m_fx.window()->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel());
    // A backup that holds the marker, taken here when the test runs alone.
    if (get("/gui-backup/marker").isEmpty() || panel()->table()->rowCount() == 0) {
        put("/gui-backup/marker");
        QPushButton *now = button(QStringLiteral("Back up now"));
        QTRY_VERIFY_WITH_TIMEOUT(now->isEnabled(), 10000);
        const int before = panel()->table()->rowCount();
        now->click();
        QTRY_COMPARE_WITH_TIMEOUT(panel()->table()->rowCount(), before + 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_fx.window()->session()->isBusy(), 60000);
    }
    put("/gui-backup/after-the-backup");
    // The newest backup holds the marker but not what came after it.
    panel()->table()->selectRow(0);
    QList<bool> stoppable; // at each step, in order
    connect(m_fx.window()->session(), &ConsoleSession::operationStep, this,
        [&stoppable](const QString &, int, int, bool canStop) { stoppable << canStop; });
    Confirm::setNextAnswer(true);
    panel()->askRestoreSelected();
    QVERIFY2(Confirm::lastQuestion().contains("Every write after revision"), qPrintable(Confirm::lastQuestion()));
    // Done when the restore's own action (after its steps') is the last one journalled.
    QVERIFY2(runLoopUntil([this] { return lastAction() == QLatin1String("demo-restore"); }, 120000),
        qPrintable(lastAction()));
    const OperatorAction &last = m_fx.window()->session()->actions().last();
    QVERIFY2(last.result == QLatin1String("done"), qPrintable(last.detail));
    // Each step is journalled too, in order, before the outcome.
    QStringList steps;
    for (const OperatorAction &a : m_fx.window()->session()->actions())
        if (a.action == QLatin1String("demo-restore step"))
            steps << a.target;
    QCOMPARE(steps.size(), 8);
    QCOMPARE(steps.first(), QStringLiteral("read the demo's manifest"));
    QCOMPARE(steps.last(), QStringLiteral("check every member's revision and HashKV"));
    // Stop was offered while the restore only read and verified, never once the members
    // were being stopped.
    QCOMPARE(stoppable, QList<bool>({true, true, false, false, false, false, false, false}));
    disconnect(m_fx.window()->session(), &ConsoleSession::operationStep, this, nullptr);
    recordLag(QStringLiteral("restore the demo"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy(), 30000);
    QCOMPARE(get("/gui-backup/marker"), QByteArray("/gui-backup/marker"));
    QCOMPARE(get("/gui-backup/after-the-backup"), QByteArray());
}

void TestMainWindowBackups::quorumLossShowsTheBannerAndRebuildsTheDemo()
{
    QuorumLossBanner *banner = m_fx.window()->quorumBanner();
    QVERIFY(!banner->isVisible());
    put("/gui-backup/before-quorum-loss");
    for (const QString &member : {QStringLiteral("etcd2"), QStringLiteral("etcd3")})
        m_fx.window()->session()->demoAction(member, DemoController::MemberAction::Kill);
    // Ten election timeouts of quorum loss, then the banner with the way out.
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), QuorumLossBanner::kShowAfterMs + 15000);
    QVERIFY2(banner->text().contains("1 of 3 voters answer"), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains("Rebuild from etcd1 (raft index"), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains("etcd2 (last seen at raft index"), qPrintable(banner->text()));
    QCOMPARE(banner->rebuildFrom(), QStringLiteral("etcd1"));
    QD_STEP(m_fx.savePicture(QStringLiteral("quorum-lost")));

    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.window()->session()->isBusy(), 30000);
    Confirm::setNextAnswer(true);
    banner->askRebuild();
    QVERIFY2(Confirm::lastQuestion().contains("only the lost members held"), qPrintable(Confirm::lastQuestion()));
    QVERIFY2(runLoopUntil([this] { return lastAction() == QLatin1String("demo-recover"); }, 180000),
        qPrintable(lastAction()));
    const OperatorAction &last = m_fx.window()->session()->actions().last();
    QVERIFY2(last.result == QLatin1String("done"), qPrintable(last.detail));
    // A snapshot taken before the last member joined may still be the newest: wait for one
    // with all three.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_fx.window()->session()->snapshot().isHealthy() && m_fx.window()->session()->snapshot().quorum().voters == 3,
        30000);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 10000);
    QCOMPARE(get("/gui-backup/before-quorum-loss"), QByteArray("/gui-backup/before-quorum-loss"));
    recordLag(QStringLiteral("rebuild the demo after quorum loss"));
}

QTEST_MAIN(TestMainWindowBackups)
#include "tst_mainwindow_backups.moc"

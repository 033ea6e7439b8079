#include "demo/LocalCluster.h"
#include "demo/ProcessControl.h"
#include "journal/Journal.h"
#include "profile/ClusterManifest.h"
#include "session/ConsoleSession.h"
#include "support/ResultText.h"
#include "support/TestSkip.h"
#include "window/MainWindow.h"
#include "window/StartPage.h"

#include <QDeadlineTimer>
#include <QDirIterator>
#include <QGroupBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <optional>

/// A demo cluster lives exactly as long as the window that started it: a termination
/// signal stops it as File > Quit does, and one that survived a crashed window is found on
/// the next start and offered back (reattach or clean up), never replaced unasked.
class TestDemoLifecycle : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void terminationSignalStopsTheDemo_data();
    void terminationSignalStopsTheDemo();
    void survivorOfACrashIsReattached();
    void survivorOfACrashIsCleanedUpBeforeANewDemo();
    void survivorWithoutItsManifestIsCleanedUp();

private:
    /// Starts `quorumdeck --demo` in this test's homes and waits until its members, load
    /// balancer and peer proxies run; returns the cluster's manifest.
    void startWindowProcess(ClusterManifest *manifest);
    /// Every process of the demo recorded in the manifest (members, HAProxy, helper).
    static QList<qint64> processesOf(const ClusterManifest &m);
    QString demoDir() const { return QDir(m_home->filePath("data")).filePath("quorumdeck/demo"); }

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<QProcess> m_window;
};

void TestDemoLifecycle::init()
{
    if (LocalCluster::locateHaproxy().isEmpty())
        QD_SKIP_WITHOUT("haproxy", "the window's demo runs one in front of its members");
    m_home = std::make_unique<QTemporaryDir>();
    // The window under test and the one in this process share these homes.
    qputenv("XDG_DATA_HOME", m_home->filePath("data").toUtf8());
    qputenv("XDG_CONFIG_HOME", m_home->filePath("config").toUtf8());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_home->filePath("config"));
    QCOMPARE(ClusterManifest::defaultDirectory(), demoDir());
}

void TestDemoLifecycle::cleanup()
{
    if (m_window && m_window->state() != QProcess::NotRunning) {
        m_window->kill();
        m_window->waitForFinished(10000);
    }
    m_window.reset();
    // Whatever a failed test left running goes.
    QProcess down;
    down.start(QStringLiteral(QUORUMDECK_BINARY), {"demo", "down", "--dir", demoDir()});
    down.waitForFinished(30000);
    m_home.reset();
}

QList<qint64> TestDemoLifecycle::processesOf(const ClusterManifest &m)
{
    QList<qint64> pids;
    for (const LocalMember &member : m.members)
        pids << member.pid;
    if (m.lb.running())
        pids << m.lb.pid;
    if (m.network.host == QLatin1String("helper"))
        pids << m.network.pid;
    return pids;
}

void TestDemoLifecycle::startWindowProcess(ClusterManifest *manifest)
{
    m_window = std::make_unique<QProcess>();
    m_window->setProcessChannelMode(QProcess::ForwardedChannels);
    m_window->start(QStringLiteral(QUORUMDECK_BINARY), {"--demo"});
    QVERIFY(m_window->waitForStarted(10000));
    // Ready once three members and HAProxy run, and the window hosts the peer proxies.
    QDeadlineTimer deadline(90000);
    bool ready = false;
    while (!ready && !deadline.hasExpired() && m_window->state() == QProcess::Running) {
        QTest::qWait(100);
        ClusterManifest m;
        if (!take(ClusterManifest::read(demoDir()), &m).isEmpty() || m.members.size() != 3 || !m.lb.running())
            continue;
        ready = m.network.host == QLatin1String("window") && m.network.pid == m_window->processId();
        for (qint64 pid : processesOf(m))
            ready = ready && ProcessControl::isAlive(pid_t(pid));
        *manifest = m;
    }
    QVERIFY2(ready, "the window's demo did not start within 90 s");
}

void TestDemoLifecycle::terminationSignalStopsTheDemo_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGHUP") << int(SIGHUP);
}

void TestDemoLifecycle::terminationSignalStopsTheDemo()
{
    QFETCH(int, signalNumber);
    ClusterManifest manifest;
    startWindowProcess(&manifest);
    if (QTest::currentTestFailed())
        return;
    const QList<qint64> pids = processesOf(manifest);
    QCOMPARE(pids.size(), 4); // three members and HAProxy; the proxies live in the window

    QCOMPARE(::kill(pid_t(m_window->processId()), signalNumber), 0);
    QVERIFY2(m_window->waitForFinished(60000), "the window did not close within 60 s of the signal");
    QCOMPARE(m_window->exitStatus(), QProcess::NormalExit); // it closed, it was not killed
    QCOMPARE(m_window->exitCode(), 0);
    for (qint64 pid : pids)
        QVERIFY2(!ProcessControl::isAlive(pid_t(pid)), qPrintable(QStringLiteral("pid %1 still runs").arg(pid)));
    QVERIFY(LocalCluster::runningProcesses(demoDir()).isEmpty());

    // The directory says the cluster is down.
    QProcess status;
    status.start(QStringLiteral(QUORUMDECK_BINARY), {"demo", "status", "--dir", demoDir(), "-w", "json"});
    QVERIFY(status.waitForFinished(30000));
    QCOMPARE(status.exitCode(), 2);
    const QByteArray out = status.readAllStandardOutput();
    QCOMPARE(out.count("\"process\":\"stopped\""), 3);
    ClusterManifest after;
    QCOMPARE(take(ClusterManifest::read(demoDir()), &after), QString());
    QVERIFY(!after.lb.running());
}

void TestDemoLifecycle::survivorOfACrashIsReattached()
{
    ClusterManifest crashed;
    startWindowProcess(&crashed);
    if (QTest::currentTestFailed())
        return;
    m_window->kill(); // SIGKILL: nothing of the window's shutdown runs
    QVERIFY(m_window->waitForFinished(10000));
    const QList<qint64> survivors = processesOf(crashed);
    for (qint64 pid : survivors)
        QVERIFY(ProcessControl::isAlive(pid_t(pid)));

    Journal journal(m_home->filePath("journal.sqlite"));
    auto window = std::make_unique<MainWindow>(&journal);
    window->show();
    window->start(true); // as `quorumdeck --demo`
    auto *offer = window->startPage()->findChild<QGroupBox *>(QStringLiteral("survivingDemo"));
    QVERIFY(offer);
    QTRY_VERIFY_WITH_TIMEOUT(offer->isVisible(), 10000);
    auto *reattach = window->startPage()->findChild<QPushButton *>(QStringLiteral("reattachDemo"));
    QVERIFY(reattach->isEnabled());
    const QDir artifacts(qEnvironmentVariable("QUORUMDECK_TEST_ARTIFACTS", QDir::tempPath()));
    artifacts.mkpath(QStringLiteral("."));
    window->resize(1280, 800);
    QVERIFY(window->grab().save(artifacts.filePath(QStringLiteral("start-page-surviving-demo.png"))));
    // Offered, not replaced: the same processes run and the manifest names them.
    ClusterManifest now;
    QCOMPARE(take(ClusterManifest::read(demoDir()), &now), QString());
    QCOMPARE(processesOf(now), survivors);
    for (qint64 pid : survivors)
        QVERIFY(ProcessControl::isAlive(pid_t(pid)));

    QSignalSpy ready(window.get(), &MainWindow::consoleReady);
    reattach->click();
    QVERIFY2(ready.wait(30000), "the console did not open on the reattached cluster");
    QVERIFY(!offer->isVisible());
    // The proxies are hosted here now, so the members reach each other: one leader, all
    // three answering.
    QTRY_VERIFY_WITH_TIMEOUT(window->session() && window->session()->snapshot().isHealthy(), 30000);
    QCOMPARE(window->session()->snapshot().members().size(), 3);
    ClusterManifest adopted;
    QCOMPARE(take(ClusterManifest::read(demoDir()), &adopted), QString());
    QCOMPARE(adopted.network.pid, QCoreApplication::applicationPid());

    // It is this window's demo now: closing the window stops it.
    QSignalSpy shut(window.get(), &MainWindow::shutDown);
    window->close();
    QVERIFY(shut.count() > 0 || shut.wait(30000));
    for (qint64 pid : survivors)
        QVERIFY(!ProcessControl::isAlive(pid_t(pid)));
}

void TestDemoLifecycle::survivorOfACrashIsCleanedUpBeforeANewDemo()
{
    ClusterManifest crashed;
    startWindowProcess(&crashed);
    if (QTest::currentTestFailed())
        return;
    m_window->kill();
    QVERIFY(m_window->waitForFinished(10000));
    const QList<qint64> survivors = processesOf(crashed);

    Journal journal(m_home->filePath("journal.sqlite"));
    auto window = std::make_unique<MainWindow>(&journal);
    window->show();
    window->start(true);
    auto *offer = window->startPage()->findChild<QGroupBox *>(QStringLiteral("survivingDemo"));
    QTRY_VERIFY_WITH_TIMEOUT(offer->isVisible(), 10000);

    QSignalSpy ready(window.get(), &MainWindow::consoleReady);
    window->startPage()->findChild<QPushButton *>(QStringLiteral("cleanUpDemo"))->click();
    QVERIFY2(ready.wait(90000), "no new demo was launched after the clean-up");
    for (qint64 pid : survivors)
        QVERIFY2(!ProcessControl::isAlive(pid_t(pid)), "the clean-up left a process of the old demo running");
    ClusterManifest fresh;
    QCOMPARE(take(ClusterManifest::read(demoDir()), &fresh), QString());
    for (const LocalMember &m : fresh.members)
        QVERIFY(!survivors.contains(m.pid));

    QSignalSpy shut(window.get(), &MainWindow::shutDown);
    window->close();
    QVERIFY(shut.count() > 0 || shut.wait(30000));
    QVERIFY(LocalCluster::runningProcesses(demoDir()).isEmpty());
}

void TestDemoLifecycle::survivorWithoutItsManifestIsCleanedUp()
{
    ClusterManifest crashed;
    startWindowProcess(&crashed);
    if (QTest::currentTestFailed())
        return;
    m_window->kill();
    QVERIFY(m_window->waitForFinished(10000));
    const QList<qint64> survivors = processesOf(crashed);
    // The manifest is lost (deleted, or cut short by a full disk): the pid files and the
    // processes' command lines still name what runs in the directory.
    QVERIFY(QFile::remove(QDir(demoDir()).filePath(QStringLiteral("cluster.json"))));
    QCOMPARE(LocalCluster::runningProcesses(demoDir()).size(), survivors.size());

    LocalCluster cluster;
    std::optional<OperationResult> r;
    cluster.cleanUp(demoDir(), [&](const OperationResult &result) { r = result; });
    QTRY_VERIFY_WITH_TIMEOUT(r.has_value(), 60000);
    QVERIFY2(r->ok(), qPrintable(r->sentence));
    for (qint64 pid : survivors)
        QVERIFY2(!ProcessControl::isAlive(pid_t(pid)), qPrintable(QStringLiteral("pid %1 still runs").arg(pid)));
    QVERIFY(LocalCluster::runningProcesses(demoDir()).isEmpty());
}

QTEST_MAIN(TestDemoLifecycle)
#include "tst_demolifecycle.moc"

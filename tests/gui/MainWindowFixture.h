#pragma once

#include "cluster/ClusterMonitor.h"
#include "demo/ProcessControl.h"
#include "dialogs/Confirm.h"
#include "elections/EventsModel.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"
#include "members/MembersModel.h"
#include "session/ConsoleSession.h"
#include "session/DemoController.h"
#include "support/FakeKubeApiServer.h"
#include "support/TestCertificates.h"
#include "window/MainWindow.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

/// Runs a fixture step that may fail a QtTest check, and leaves the calling test function
/// when it did (a check inside a helper only returns from the helper).
#define QD_STEP(call)                                                                                                  \
    do {                                                                                                               \
        call;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

/// The console window, offscreen, against a real three-member demo cluster it launches
/// itself, with settings and a journal in a temporary home. Shared by the window's test
/// classes: each class owns one, sets it up in initTestCase() and calls ready() in init(),
/// so that every test function starts from the same state and may run alone.
class MainWindowFixture {
public:
    /// Sets up the home, the window and the demo cluster (`quotaBytes` 0: etcd's default).
    /// With `withKube`, KUBECONFIG names a local server that answers as a Kubernetes API
    /// server does.
    void setUp(qint64 quotaBytes, bool withKube)
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
        if (withKube)
            QD_STEP(startKube());
        m_window->resize(1200, 800);
        m_window->show();
        QSignalSpy ready(m_window.get(), &MainWindow::consoleReady);
        m_window->launchDemo(m_home.filePath("demo"), 3, quotaBytes);
        QVERIFY2(ready.wait(60000), "the demo cluster did not start within 60 s");
    }

    /// Closes the window, which stops the demo; no etcd process may outlive it.
    void tearDown()
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

    /// The state every test function starts from: the first tab, three members listed,
    /// one leader, every member healthy and no operation under way.
    void ready()
    {
        QVERIFY(m_window && m_window->session());
        m_window->findChild<QTabWidget *>("tabs")->setCurrentIndex(0);
        QTRY_VERIFY2_WITH_TIMEOUT(
            m_window->session()->snapshot().isHealthy(), "the demo cluster is not healthy", 30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->membersModel()->rowCount(), 3, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!leaderName().isEmpty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->session()->isBusy(), 30000);
    }

    /// Makes sure the event list holds an election that moved the leadership from one member
    /// to another, moving it once if none happened yet.
    void ensureElection()
    {
        if (lastElectionRow() >= 0)
            return;
        const QString before = leaderName();
        QVERIFY(!before.isEmpty());
        const QString target = before == QLatin1String("etcd1") ? QStringLiteral("etcd2") : QStringLiteral("etcd1");
        QVERIFY(m_window->selectMember(target));
        Confirm::setNextAnswer(true);
        m_window->action("transferLeader")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(lastElectionRow() >= 0, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(leaderName(), target, 10000);
        // The new leader's log says so too, before anyone looks there for it.
        const uint64_t term = m_window->eventsModel()->eventAt(lastElectionRow())->term;
        const LocalMember *member = m_window->session()->demo()->manifest().member(target);
        QVERIFY(member);
        const QByteArray line = QStringLiteral("became leader at term %1").arg(term).toUtf8();
        auto logged = [&] {
            QFile log(member->logFile);
            return log.open(QIODevice::ReadOnly) && log.readAll().contains(line);
        };
        QTRY_VERIFY2_WITH_TIMEOUT(logged(), qPrintable(member->logFile + " never says: " + line), 10000);
    }

    /// The row of the last election in the event list that had a previous leader, or -1.
    int lastElectionRow() const
    {
        const EventsModel *events = m_window->eventsModel();
        int row = -1;
        for (int r = 0; r < events->rowCount(); ++r) {
            if (events->eventAt(r)->type == ClusterEvent::Type::LeaderChanged && events->eventAt(r)->from != 0)
                row = r;
        }
        return row;
    }

    /// Saves the window's picture; first lets layouts and charts settle, or with
    /// layoutsOnly only the layouts, so that nothing else the window awaits happens meanwhile.
    void savePicture(const QString &name, bool layoutsOnly = false)
    {
        const QString dir = qEnvironmentVariable("QUORUMDECK_TEST_ARTIFACTS", QDir::tempPath());
        QDir().mkpath(dir);
        if (layoutsOnly)
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        else
            QCoreApplication::processEvents();
        // A picture at another scale than 1x is named for it, beside the 1x one.
        const qreal scale = m_window->devicePixelRatioF();
        const QString suffix = scale == 1.0 ? QString() : QStringLiteral("@%1x").arg(scale);
        QVERIFY(m_window->grab().save(QDir(dir).filePath(QStringLiteral("mainwindow-%1%2.png").arg(name, suffix))));
    }

    /// The one member the window lists as leader, or "" when none or several are.
    QString leaderName() const
    {
        const MembersModel *model = m_window->membersModel();
        QStringList leaders;
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->data(model->index(r, 0), MembersModel::RoleRole).toString() == QLatin1String("leader"))
                leaders << model->data(model->index(r, 0), MembersModel::MemberNameRole).toString();
        }
        return leaders.size() == 1 ? leaders.first() : QString();
    }

    /// The leader as the core sees it, through a client of its own.
    QString leaderSeenByCore()
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

    MainWindow *window() const { return m_window.get(); }
    Journal *journal() const { return m_journal.get(); }
    QString homePath(const QString &name) const { return m_home.filePath(name); }
    /// The stand-in API server, when set up with withKube.
    FakeKubeApiServer *kube() const { return m_kube.get(); }

private:
    void startKube()
    {
        QDir(m_home.path()).mkpath("pki");
        m_certs = std::make_unique<TestCertificates>(m_home.filePath("pki"));
        QVERIFY2(m_certs->ok(), qPrintable(m_certs->error()));
        m_kube = std::make_unique<FakeKubeApiServer>(QFINDTESTDATA("../data/kube"), m_certs->path("server.pem"),
            m_certs->path("server.key"), m_certs->path("ca.pem"));
        // The kubernetes Service names it as the one API server, behind the kubeconfig's URL.
        m_kube->setApiServers({m_kube->address()});
        QFile kubeconfig(m_home.filePath("kubeconfig"));
        QVERIFY(kubeconfig.open(QIODevice::WriteOnly));
        kubeconfig.write("current-context: t\nclusters:\n- name: c\n  cluster:\n    server: " + m_kube->url().toUtf8()
            + "\n    certificate-authority: " + m_certs->path("ca.pem").toUtf8()
            + "\nusers:\n- name: op\n  user: {token: good-token}\ncontexts:\n- name: t\n  context: {cluster: c, "
              "user: op}\n");
        kubeconfig.close();
        qputenv("KUBECONFIG", QFile::encodeName(kubeconfig.fileName()));
    }

    QTemporaryDir m_home;
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_membersTester;
    std::unique_ptr<QAbstractItemModelTester> m_eventsTester;
    std::unique_ptr<TestCertificates> m_certs;
    std::unique_ptr<FakeKubeApiServer> m_kube;
};

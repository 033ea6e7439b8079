#include "MainWindowFixture.h"
#include "dialogs/AboutDialog.h"
#include "dialogs/CertificatesDialog.h"
#include "profile/ProfileStore.h"
#include "window/StartPage.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>

/// How the console window connects: reconnecting to the last profile, a demo with
/// authentication whose password is never kept, a TLS demo's certificates, and the build it
/// says it is.
class TestMainWindowConnections : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_fx.setUp(0, false); }
    void init() { m_fx.ready(); }
    void cleanupTestCase() { m_fx.tearDown(); }
    void reconnectsToTheLastProfile();
    void authDemoShowsItsPasswordOnceAndProfilesKeepNone();
    void certificatesDialogExplainsATlsConnection();
    void aboutShowsTheBuild();

private:
    MainWindowFixture m_fx;
};

void TestMainWindowConnections::reconnectsToTheLastProfile()
{
    ConnectionSettings settings;
    settings.endpoints = m_fx.window()->session()->demo()->manifest().endpoints();
    {
        // Connecting saves the profile (never a password)...
        MainWindow first(m_fx.journal());
        QSignalSpy ready(&first, &MainWindow::consoleReady);
        first.connectTo(settings);
        QVERIFY(ready.wait(10000));
    }
    // ...and the next window reconnects to it by itself.
    MainWindow next(m_fx.journal());
    QSignalSpy ready(&next, &MainWindow::consoleReady);
    QVERIFY(next.reconnectLast());
    QVERIFY(ready.wait(10000));
    QCOMPARE(next.session()->client()->settings().endpoints, settings.endpoints);
    QCOMPARE(next.membersModel()->rowCount(), 3);
    QVERIFY(!next.session()->demo());
}

void TestMainWindowConnections::authDemoShowsItsPasswordOnceAndProfilesKeepNone()
{
    QTemporaryDir dir;
    QString password;
    QStringList endpoints;
    {
        MainWindow window(m_fx.journal());
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
        MainWindow second(m_fx.journal());
        QSignalSpy secondReady(&second, &MainWindow::consoleReady);
        second.connectTo(profile, password);
        QVERIFY(secondReady.wait(10000));
        QVERIFY(second.session()->snapshot().isHealthy());
        QCOMPARE(ProfileStore::lastUsed(), QStringLiteral("gui-auth"));

        // The next start asks for the password: none was kept.
        MainWindow third(m_fx.journal());
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
    for (const QString &path : {settings.fileName(), m_fx.homePath("journal.sqlite")}) {
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

void TestMainWindowConnections::certificatesDialogExplainsATlsConnection()
{
    QTemporaryDir dir;
    MainWindow window(m_fx.journal());
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

void TestMainWindowConnections::aboutShowsTheBuild()
{
    QAction *about = m_fx.window()->action("about");
    QVERIFY(about);
    about->trigger();
    auto *dialog = m_fx.window()->findChild<AboutDialog *>("aboutDialog");
    QVERIFY(dialog);
    // What the dialog shows, against what the build and the running Qt say independently.
    QString shown;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
        shown += label->text();
    const QString version = QStringLiteral(QUORUMDECK_EXPECTED_VERSION);
    QVERIFY2(shown.contains("<h2>QuorumDeck " + version + "</h2>"), qPrintable(shown));
    QVERIFY2(shown.contains("Licensed under the MIT licence"), qPrintable(shown));
    // "Copy build details" puts the facts on the clipboard, one per line, for bug reports.
    QPushButton *copy = nullptr;
    for (QPushButton *b : dialog->findChildren<QPushButton *>()) {
        if (b->text().remove('&') == QLatin1String("Copy build details"))
            copy = b;
    }
    QVERIFY(copy);
    QApplication::clipboard()->clear();
    copy->click();
    const QStringList lines = QApplication::clipboard()->text().split('\n');
    QCOMPARE(lines.size(), 6);
    QCOMPARE(lines.at(0), "version   " + version);
    QVERIFY2(lines.at(1).startsWith("revision  "), qPrintable(lines.at(1)));
    QVERIFY2(QDate::fromString(lines.at(2).mid(10), Qt::ISODate).isValid(), qPrintable(lines.at(2)));
    QCOMPARE(lines.at(3), "Qt        " + QString::fromLatin1(qVersion()));
    QVERIFY2(QRegularExpression("^gRPC      1\\.\\d+\\.\\d+").match(lines.at(4)).hasMatch(), qPrintable(lines.at(4)));
    QVERIFY2(lines.at(5).startsWith("etcd      etcd v3 "), qPrintable(lines.at(5)));
    // The same lines are in the dialog's text.
    for (const QString &line : lines)
        QVERIFY2(shown.contains(line.toHtmlEscaped()), qPrintable(line));
    dialog->close();
}

QTEST_MAIN(TestMainWindowConnections)
#include "tst_mainwindow_connections.moc"

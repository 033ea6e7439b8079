#pragma once

#include "etcd/ConnectionSettings.h"

#include <QObject>

class ConsoleSession;
class DemoLauncher;
class Journal;
class KeychainPasswords;
class NotificationBar;
class StartPage;
class QWidget;
struct ConnectionProfile;

/// How the window comes to a session: launching the demo cluster (or offering back one an
/// earlier console left running), connecting through a profile or the form, passwords kept
/// in the keychain, and reconnecting to the last cluster on start. Says how it goes on the
/// start page; hands every new session to the window, which shows it.
class ConnectFlow : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectFlow)

public:
    /// journal is shared with the sessions; start and notice belong to window.
    ConnectFlow(Journal *journal, StartPage *start, NotificationBar *notice, QWidget *window);

    /// The window's first move: launch the demo (demo) or reconnect to the last cluster;
    /// either way, a demo that an earlier console left running in the default directory is
    /// offered first (reattach or clean up), never replaced unasked.
    void start(bool demo);
    /// Launches the local demo cluster in dir. quotaBytes <= 0: etcd's default.
    void launchDemo(const QString &dir, int members = 3, qint64 quotaBytes = 0, bool tls = false, bool auth = false);
    void connectTo(const ConnectionSettings &settings);
    /// Connects through a profile (saved when named). An empty password for a user is taken
    /// from the keychain when the profile keeps it there, else asked for on the start page;
    /// keepPassword stores a typed one in the keychain.
    void connectTo(const ConnectionProfile &profile, const QString &password, bool keepPassword = false);
    /// Reconnects to the profile used last, if any; returns false when there is none.
    bool reconnectLast();

    DemoLauncher *demoLauncher() const { return m_demoLauncher; }

signals:
    /// A session to show. ownsDemo: closing the window stops the demo it runs on.
    void sessionReady(ConsoleSession *session, bool ownsDemo);
    /// Something on the start page needs the operator: bring it to the front.
    void startPageWanted();

private:
    void connectDemoLauncher();
    void showRootPassword(const QString &password, bool tls);
    /// Records a connection made without a profile as the one to reconnect to (no password).
    void rememberUnnamed(const ConnectionSettings &settings);

    Journal *m_journal;
    StartPage *m_start;
    NotificationBar *m_notice;
    QWidget *m_window;
    DemoLauncher *m_demoLauncher;
    KeychainPasswords *m_keychain;
    QString m_survivorDir; ///< where the demo offered back runs
};

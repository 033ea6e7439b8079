#include "window/ConnectFlow.h"

#include "keychain/KeychainPasswords.h"
#include "profile/ClusterManifest.h"
#include "profile/ProfileStore.h"
#include "session/ConsoleSession.h"
#include "session/DemoController.h"
#include "session/DemoLauncher.h"
#include "widgets/NotificationBar.h"
#include "window/StartPage.h"

#include <QMessageBox>
#include <QSettings>

ConnectFlow::ConnectFlow(Journal *journal, StartPage *start, NotificationBar *notice, QWidget *window)
    : QObject(window)
    , m_journal(journal)
    , m_start(start)
    , m_notice(notice)
    , m_window(window)
    , m_demoLauncher(new DemoLauncher(this))
    , m_keychain(new KeychainPasswords(this))
{
    connect(m_start, &StartPage::launchDemoRequested, this, [this](const StartPage::DemoOptions &o) {
        launchDemo(ClusterManifest::defaultDirectory(), o.members, 0, o.tls, o.auth);
    });
    connectDemoLauncher();
    connect(m_start, &StartPage::connectRequested, this,
        [this](const ConnectionProfile &p, const QString &password, bool keep) { connectTo(p, password, keep); });
    connect(m_start, &StartPage::profileDeleted, this, [this](const ConnectionProfile &p) {
        if (p.passwordInKeychain)
            m_keychain->remove(p.name, p.user, [](const Result<void> &) {});
    });
}

void ConnectFlow::launchDemo(const QString &dir, int members, qint64 quotaBytes, bool tls, bool auth)
{
    m_start->setBusy(true, tr("Looking for a demo cluster left running in %1…").arg(dir));
    emit startPageWanted();
    m_demoLauncher->launch({dir, members, quotaBytes, tls, auth});
}

void ConnectFlow::start(bool demo)
{
    const QString dir = ClusterManifest::defaultDirectory();
    if (demo) {
        launchDemo(dir);
        return;
    }
    // A demo that an earlier console left running is offered before anything else.
    m_demoLauncher->look(dir, [this] { reconnectLast(); });
}

void ConnectFlow::connectDemoLauncher()
{
    connect(m_demoLauncher, &DemoLauncher::progress, m_start, &StartPage::setMessage);
    connect(m_demoLauncher, &DemoLauncher::failed, this, [this](const QString &sentence) {
        m_start->setBusy(false);
        emit startPageWanted();
        m_start->setMessage(sentence);
    });
    connect(m_demoLauncher, &DemoLauncher::survivorFound, this, [this](const DemoLauncher::Survivor &s) {
        m_survivorDir = s.dir;
        m_start->setBusy(false);
        emit startPageWanted();
        m_start->offerSurvivingDemo(DemoLauncher::describe(s), s.runningMembers > 0);
        m_start->setMessage({});
    });
    connect(m_demoLauncher, &DemoLauncher::cleanedUp, this, [this](const QString &sentence) {
        m_start->setBusy(false);
        m_start->clearSurvivingDemo();
        m_start->setMessage(sentence);
    });
    connect(m_start, &StartPage::reattachDemoRequested, this, [this] {
        m_start->setBusy(true);
        m_demoLauncher->reattach(m_survivorDir);
    });
    connect(m_start, &StartPage::cleanUpDemoRequested, this, [this] {
        m_start->setBusy(true);
        m_demoLauncher->cleanUp(m_survivorDir);
    });
    connect(m_demoLauncher, &DemoLauncher::ready, this,
        [this](DemoController *demo, bool ownsDemo, const QString &sentence, const QString &password) {
            m_start->setBusy(false);
            m_start->clearSurvivingDemo();
            ConnectionSettings settings = demo->manifest().connectionSettings();
            if (!settings.user.isEmpty())
                settings.password = password; // kept in this session's memory only
            emit sessionReady(new ConsoleSession(settings, m_journal, demo), ownsDemo);
            m_notice->show(NotificationBar::Kind::Success, sentence);
            if (!password.isEmpty())
                showRootPassword(password, demo->manifest().tls.enabled());
        });
}

void ConnectFlow::showRootPassword(const QString &password, bool tls)
{
    // Shown once, in a box the operator closes; it is written nowhere.
    auto *box = new QMessageBox(QMessageBox::Information, tr("Authentication is on"),
        tr("The root user's password is:\n\n%1\n\nIt is shown only now and kept nowhere; the console "
           "holds it in memory for this session.%2")
            .arg(password, tls ? tr(" The client certificate (CN root) needs no password.") : QString()),
        QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("rootPasswordBox"));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void ConnectFlow::connectTo(const ConnectionSettings &settings)
{
    emit sessionReady(new ConsoleSession(settings, m_journal), false);
    rememberUnnamed(settings);
}

void ConnectFlow::rememberUnnamed(const ConnectionSettings &settings)
{
    // The next start reconnects here, not to a profile used before.
    ProfileStore::setLastUsed({});
    QSettings s;
    s.setValue(QStringLiteral("profile/last/endpoints"), settings.endpoints);
    s.setValue(QStringLiteral("profile/last/cacert"), settings.tls.caFile);
    s.setValue(QStringLiteral("profile/last/cert"), settings.tls.certFile);
    s.setValue(QStringLiteral("profile/last/key"), settings.tls.keyFile);
    s.setValue(QStringLiteral("profile/last/user"), settings.user); // never the password
}

void ConnectFlow::connectTo(const ConnectionProfile &profile, const QString &password, bool keepPassword)
{
    ConnectionSettings settings = profile.connectionSettings();
    settings.password = password;
    if (!profile.name.isEmpty()) {
        // Opting out of the keychain takes the kept password out of it.
        const auto before = ProfileStore::load(profile.name);
        if (before && before->passwordInKeychain && (!profile.passwordInKeychain || before->user != profile.user))
            m_keychain->remove(before->name, before->user, [](const Result<void> &) {});
        if (const Result<void> saved = ProfileStore::save(profile); !saved)
            m_notice->show(
                NotificationBar::Kind::Failure, tr("The profile was not saved: %1").arg(saved.error().describe()));
        ProfileStore::setLastUsed(profile.name);
    } else {
        rememberUnnamed(settings);
    }
    if (!settings.user.isEmpty() && password.isEmpty() && profile.passwordInKeychain && !profile.name.isEmpty()) {
        m_start->setBusy(true, tr("Reading the password for %1 from the keychain…").arg(settings.user));
        m_keychain->read(profile.name, settings.user, [this, profile, settings](const Result<QString> &stored) {
            m_start->setBusy(false);
            if (!stored) {
                emit startPageWanted();
                m_start->setProfile(profile);
                m_start->setMessage(tr("Enter the password for %1: %2.").arg(settings.user, stored.error().describe()));
                return;
            }
            ConnectionSettings withPassword = settings;
            withPassword.password = stored.value();
            auto *session = new ConsoleSession(withPassword, m_journal);
            session->useProfile(profile);
            emit sessionReady(session, false);
        });
        return;
    }
    if (keepPassword && !password.isEmpty() && !profile.name.isEmpty()) {
        m_keychain->store(profile.name, settings.user, password, [this](const Result<void> &stored) {
            if (!stored)
                m_notice->show(NotificationBar::Kind::Failure,
                    tr("The password was not kept: %1. It stays in memory for this session only.")
                        .arg(stored.error().describe()));
        });
    }
    auto *session = new ConsoleSession(settings, m_journal);
    session->useProfile(profile);
    emit sessionReady(session, false);
}

bool ConnectFlow::reconnectLast()
{
    if (const QString last = ProfileStore::lastUsed(); !last.isEmpty()) {
        if (const auto profile = ProfileStore::load(last)) {
            if (!profile->user.isEmpty() && !profile->passwordInKeychain) {
                // A password is never stored in a file: ask for it on the start page.
                m_start->setProfile(*profile);
                m_start->setMessage(tr("Enter the password for %1 to reconnect to %2.").arg(profile->user, last));
                return true;
            }
            connectTo(*profile, {});
            return true;
        }
    }
    QSettings s;
    const QStringList endpoints = s.value(QStringLiteral("profile/last/endpoints")).toStringList();
    if (endpoints.isEmpty())
        return false;
    ConnectionSettings settings;
    settings.endpoints = endpoints;
    settings.tls.caFile = s.value(QStringLiteral("profile/last/cacert")).toString();
    settings.tls.certFile = s.value(QStringLiteral("profile/last/cert")).toString();
    settings.tls.keyFile = s.value(QStringLiteral("profile/last/key")).toString();
    settings.user = s.value(QStringLiteral("profile/last/user")).toString();
    if (!settings.user.isEmpty()) {
        // A password is never stored: ask for it on the start page.
        m_start->setSettings(settings);
        m_start->setMessage(tr("Enter the password for %1 to reconnect.").arg(settings.user));
        return true;
    }
    connectTo(settings);
    return true;
}

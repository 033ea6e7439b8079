// The window's menus and toolbar, over the actions of MainWindowActions.cpp: File (connect,
// recent clusters, the demo, export, quit), View (each panel, full screen), Cluster (the
// operations), Demo (fault injection) and Help (shortcuts, the README, about).

#include "window/MainWindow.h"

#include "backups/BackupsPanel.h"
#include "dialogs/AboutDialog.h"
#include "dialogs/HelpDialog.h"
#include "dialogs/ShortcutsDialog.h"
#include "profile/ProfileStore.h"
#include "session/ConsoleSession.h"
#include "storage/StoragePanel.h"
#include "window/StartPage.h"

#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>

void MainWindow::buildMenus()
{
    auto *tabs = findChild<QTabWidget *>(QStringLiteral("tabs"));

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addAction(action(QStringLiteral("connect")));
    QMenu *recent = file->addMenu(tr("&Recent clusters"));
    recent->setObjectName(QStringLiteral("recentMenu"));
    // Filled as it opens: profiles saved from the start page or the CLI since.
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        const QString last = ProfileStore::lastUsed();
        for (const QString &name : ProfileStore::names()) {
            QAction *a = recent->addAction(name == last ? tr("%1 (last used)").arg(name) : name);
            a->setData(name);
            connect(a, &QAction::triggered, this, [this, name] {
                if (const auto profile = ProfileStore::load(name))
                    connectTo(*profile, QString());
            });
        }
        if (recent->isEmpty())
            recent->addAction(tr("No saved profiles yet"))->setEnabled(false);
    });
    file->addAction(action(QStringLiteral("openDemo")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("exportJournal")));
    file->addSeparator();
    file->addAction(action(QStringLiteral("quit")));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    for (int i = 0; i < tabs->count(); ++i) {
        QWidget *page = tabs->widget(i);
        auto *a = view->addAction(tabs->tabBar()->tabData(i).toString());
        a->setObjectName(QStringLiteral("view%1").arg(i));
        // Ctrl+1 … Ctrl+9 for the first nine; every tab also has its Alt mnemonic.
        if (i < 9)
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(a, &QAction::triggered, this, [this, page] { showPanel(page); });
        m_actions.insert(a->objectName(), a);
    }
    view->addSeparator();
    auto *fullScreen = view->addAction(tr("&Full screen"));
    fullScreen->setObjectName(QStringLiteral("fullScreen"));
    fullScreen->setShortcut(QKeySequence::FullScreen);
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });
    m_actions.insert(fullScreen->objectName(), fullScreen);

    QMenu *cluster = menuBar()->addMenu(tr("&Cluster"));
    cluster->setObjectName(QStringLiteral("clusterMenu"));
    for (const char *name : {"transferLeader", "addMember", "removeMember", "promoteLearner"})
        cluster->addAction(action(QString::fromLatin1(name)));
    cluster->addSeparator();
    cluster->addAction(action(QStringLiteral("defragment")));
    cluster->addAction(action(QStringLiteral("backUpNow")));
    cluster->addSeparator();
    for (const char *name : {"refresh", "certificates", "copyRows"})
        cluster->addAction(action(QString::fromLatin1(name)));

    QMenu *demo = menuBar()->addMenu(tr("&Demo"));
    demo->setObjectName(QStringLiteral("demoMenu"));
    for (const char *name : {"stopDemo", "killLeader", "healNetwork", "showInLogs"})
        demo->addAction(action(QString::fromLatin1(name)));
    demo->addSeparator();
    for (const char *name : {"demoStop", "demoKill", "demoPause", "demoResume", "demoRestart"})
        demo->addAction(action(QString::fromLatin1(name)));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    auto *shortcuts = help->addAction(tr("&Keyboard shortcuts"));
    shortcuts->setObjectName(QStringLiteral("shortcuts"));
    shortcuts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    connect(shortcuts, &QAction::triggered, this, [this] {
        QList<ShortcutsDialog::Entry> entries;
        for (QMenu *menu : menuBar()->findChildren<QMenu *>(QString(), Qt::FindDirectChildrenOnly)) {
            for (QAction *a : menu->actions())
                entries.append({menu->title().remove(QLatin1Char('&')), a});
        }
        auto *dialog = new ShortcutsDialog(entries, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    m_actions.insert(shortcuts->objectName(), shortcuts);
    QMenu *guide = help->addMenu(tr("&Guide"));
    guide->setObjectName(QStringLiteral("guideMenu"));
    for (const QString &section : HelpDialog::sections()) {
        connect(guide->addAction(section), &QAction::triggered, this, [this, section] {
            auto *dialog = new HelpDialog(this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
            dialog->showSection(section);
        });
    }
    auto *about = help->addAction(QIcon::fromTheme(QStringLiteral("help-about")), tr("&About QuorumDeck"));
    about->setObjectName(QStringLiteral("about"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        auto *dialog = new AboutDialog(etcdServerVersions(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    m_actions.insert(about->objectName(), about);

    QToolBar *bar = addToolBar(tr("Actions"));
    bar->setObjectName(QStringLiteral("actionsToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (const char *name : {"transferLeader", "addMember", "removeMember", "promoteLearner"})
        bar->addAction(action(QString::fromLatin1(name)));
    bar->addSeparator();
    bar->addAction(action(QStringLiteral("killLeader")));
    bar->addAction(action(QStringLiteral("refresh")));
}

void MainWindow::showPanel(QWidget *panel)
{
    if (m_session)
        m_stack->setCurrentWidget(m_console);
    findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentWidget(panel);
}

void MainWindow::showStartPage()
{
    // The session goes on until the operator connects elsewhere; View returns to it.
    m_stack->setCurrentWidget(m_start);
}

QString MainWindow::etcdServerVersions() const
{
    if (!m_session || !m_session->snapshot().isValid())
        return {};
    QStringList versions;
    for (const MemberState &m : m_session->snapshot().members()) {
        if (!m.version.isEmpty() && !versions.contains(m.version))
            versions << m.version;
    }
    return versions.isEmpty() ? tr("etcd (version not known)")
                              : QStringLiteral("etcd ") + versions.join(QStringLiteral(", "));
}

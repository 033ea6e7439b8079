#include "GuiMain.h"

#include "MainWindow.h"
#include "journal/Journal.h"
#include "local/ClusterManifest.h"

#include <QApplication>
#include <QIcon>
#include <QStringList>

extern "C" Q_DECL_EXPORT int quorumdeck_gui_main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // The application id used everywhere: desktop file, metainfo, icon.
    QApplication::setDesktopFileName(QStringLiteral("org.example.QuorumDeck"));
    QIcon icon = QIcon::fromTheme(QStringLiteral("org.example.QuorumDeck"));
    for (int size : {48, 128, 256})
        icon.addFile(QStringLiteral(":/icons/%1/org.example.QuorumDeck.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);
    Journal journal;
    MainWindow window(&journal);
    window.show();
    if (QApplication::arguments().contains(QStringLiteral("--demo")))
        window.launchDemo(ClusterManifest::defaultDirectory());
    else
        window.reconnectLast();
    return QApplication::exec();
}

#include "GuiMain.h"

#include "MainWindow.h"
#include "journal/Journal.h"
#include "local/LocalCluster.h"

#include <QApplication>
#include <QStringList>

extern "C" Q_DECL_EXPORT int quorumdeck_gui_main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("org.quorumdeck.QuorumDeck"));
    Journal journal;
    MainWindow window(&journal);
    window.show();
    if (QApplication::arguments().contains(QStringLiteral("--demo")))
        window.launchDemo(LocalCluster::defaultDirectory());
    else
        window.reconnectLast();
    return QApplication::exec();
}

#include "GuiMain.h"

#include "MainWindow.h"

#include <QApplication>

extern "C" Q_DECL_EXPORT int quorumdeck_gui_main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    MainWindow window;
    window.show();
    return QApplication::exec();
}

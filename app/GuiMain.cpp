#include "GuiMain.h"

#include "MainWindow.h"

#include <QApplication>

namespace GuiMain {

int run(int argc, char *argv[])
{
    QApplication app(argc, argv);
    MainWindow window;
    window.show();
    return QApplication::exec();
}

} // namespace GuiMain

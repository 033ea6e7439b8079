// The window's module. The quorumdeck binary loads it only when it opens the window, so that
// commands never load the GUI libraries (QtGui, QtWidgets, QtCharts) and start in a fraction
// of the time. Its one export is the module table (cli/ModuleAbi.h).

#include "cli/ModuleAbi.h"
#include "common/TerminationSignals.h"
#include "journal/Journal.h"
#include "widgets/ColorScheme.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QIcon>
#include <QStringList>
#include <csignal>

namespace {

int runWindow(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // The application id used everywhere: desktop file, metainfo, icon.
    QApplication::setDesktopFileName(QStringLiteral("io.github.quorumdeck.QuorumDeck"));
    QIcon icon = QIcon::fromTheme(QStringLiteral("io.github.quorumdeck.QuorumDeck"));
    for (int size : {48, 128, 256})
        icon.addFile(QStringLiteral(":/icons/%1/io.github.quorumdeck.QuorumDeck.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);
    ColorScheme::followDesktop();
    Journal journal;
    MainWindow window(&journal);
    // SIGTERM, SIGINT and SIGHUP close the window as File > Quit does, so a demo it started
    // is stopped, not left running; a second signal ends the program at once.
    TerminationSignals termination;
    QObject::connect(&termination, &TerminationSignals::received, &window, [&termination, &window](int) {
        if (termination.count() > 1)
            QApplication::exit(128 + SIGTERM);
        else
            window.close();
    });
    window.show();
    window.start(QApplication::arguments().contains(QStringLiteral("--demo")));
    return QApplication::exec();
}

} // namespace

extern "C" Q_DECL_EXPORT const QuorumdeckModule quorumdeck_module
    = {QUORUMDECK_MODULE_ABI, QUORUMDECK_BUILD_ID, &runWindow, nullptr};

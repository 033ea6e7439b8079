#include "cli/Cli.h"

#include <QCoreApplication>
#include <memory>

#ifdef QUORUMDECK_HAVE_GUI
#include "GuiMain.h"
#endif

#include <cstdio>

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QCoreApplication::setOrganizationName(QStringLiteral("QuorumDeck"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("quorumdeck.example.org"));
    QCoreApplication::setApplicationName(QStringLiteral("quorumdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUORUMDECK_VERSION));

    if (Cli::wantsCli(arguments)) {
        // No display needed: the CLI never creates a QGuiApplication.
        QCoreApplication app(argc, argv);
        return Cli::run(arguments);
    }
#ifdef QUORUMDECK_HAVE_GUI
    return GuiMain::run(argc, argv);
#else
    std::fputs("quorumdeck: this build has no window (configured with QUORUMDECK_GUI=OFF); "
               "run quorumdeck --help for the commands\n",
        stderr);
    return 1;
#endif
}

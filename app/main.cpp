#include "cli/Cli.h"

#include <QCoreApplication>

#ifdef QUORUMDECK_HAVE_GUI
#include "GuiLoader.h"
#endif

#include <cstdio>
#include <cstdlib>

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    QCoreApplication::setOrganizationName(QStringLiteral("QuorumDeck"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("quorumdeck.github.io"));
    QCoreApplication::setApplicationName(QStringLiteral("quorumdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUORUMDECK_VERSION));

    if (Cli::wantsCli(arguments)) {
        Cli::startEarly(arguments);
        // No display needed: the CLI never creates a QGuiApplication.
        QCoreApplication app(argc, argv);
        const int code = Cli::run(arguments);
        // The command's output is written and flushed, and it holds no file it could leave
        // half-written: end here rather than tear down gRPC's threads one by one, which
        // would cost a one-shot command as much as its work.
        std::fflush(stdout);
        std::fflush(stderr);
        std::_Exit(code);
    }
    if (const QString why = Cli::windowOptionProblem(arguments); !why.isEmpty()) {
        std::fprintf(stderr, "quorumdeck: %s\n", qPrintable(why));
        return 1;
    }
#ifdef QUORUMDECK_HAVE_GUI
    return GuiLoader::run(argc, argv);
#else
    std::fputs("quorumdeck: this build has no window (configured with QUORUMDECK_GUI=OFF); "
               "run quorumdeck --help for the commands\n",
        stderr);
    return 1;
#endif
}

#include "GuiLoader.h"

#include "cli/ModuleLoader.h"

#include <QString>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

/// Why the window cannot open, or an empty string: without a display Qt would abort with
/// a page of plugin errors.
QString problem(int argc, char *argv[])
{
    bool platformGiven = std::getenv("QT_QPA_PLATFORM") && *std::getenv("QT_QPA_PLATFORM");
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "-platform") == 0 || std::strcmp(argv[i], "--platform") == 0)
            platformGiven = true;
    }
    const auto set = [](const char *name) { return std::getenv(name) && *std::getenv(name); };
    if (!platformGiven && !set("DISPLAY") && !set("WAYLAND_DISPLAY"))
        return QStringLiteral("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); the commands "
                              "work without one: quorumdeck --help");
    return {};
}

} // namespace

namespace GuiLoader {

int run(int argc, char *argv[])
{
    if (const QString why = problem(argc, argv); !why.isEmpty()) {
        std::fprintf(stderr, "quorumdeck: %s\n", qPrintable(why));
        return 1;
    }
    QString error;
    const QuorumdeckModule *window = ModuleLoader::load(QStringLiteral("quorumdeck-gui.so"), &error);
    if (!window) {
        std::fprintf(stderr,
            "quorumdeck: the window cannot start: %s; the commands work without it: quorumdeck --help\n",
            qPrintable(error));
        return 1;
    }
    return window->run(argc, argv);
}

} // namespace GuiLoader

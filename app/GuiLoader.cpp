#include "GuiLoader.h"

#include "cli/ModuleLoader.h"

#include <QString>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

// Qt's own command-line options, which it also accepts with two dashes.
const char *const kQtOptions[] = {"platform", "platformpluginpath", "platformtheme", "plugin", "qwindowgeometry",
    "qwindowicon", "qwindowtitle", "reverse", "session", "style", "stylesheet", "widgetcount", "display", "geometry",
    "name", "title", "visual", "ncols", "cmap", "nograb", "dograb", "sync", "qmljsdebugger"};

bool isQtOption(const char *name)
{
    const char *end = std::strchr(name, '=');
    const size_t length = end ? size_t(end - name) : std::strlen(name);
    for (const char *option : kQtOptions) {
        if (std::strlen(option) == length && std::strncmp(option, name, length) == 0)
            return true;
    }
    return false;
}

/// Why the window cannot open with these arguments, or an empty string. A typo (a
/// command's flag given without the command) should not open a window, and without a
/// display Qt would abort with a page of plugin errors.
QString problem(int argc, char *argv[])
{
    bool platformGiven = std::getenv("QT_QPA_PLATFORM") && *std::getenv("QT_QPA_PLATFORM");
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (std::strcmp(a, "-platform") == 0 || std::strcmp(a, "--platform") == 0)
            platformGiven = true;
        if (std::strncmp(a, "--", 2) != 0 || std::strcmp(a, "--demo") == 0 || isQtOption(a + 2))
            continue;
        return QStringLiteral("unknown option %1: the window takes only --demo; for the commands see quorumdeck --help")
            .arg(QString::fromLocal8Bit(a));
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
    using Entry = int (*)(int, char **);
    auto main = reinterpret_cast<Entry>(
        ModuleLoader::entry(QStringLiteral("quorumdeck-gui.so"), "quorumdeck_gui_main", &error));
    if (!main) {
        std::fprintf(stderr,
            "quorumdeck: the window cannot start: %s; the commands work without it: quorumdeck --help\n",
            qPrintable(error));
        return 1;
    }
    return main(argc, argv);
}

} // namespace GuiLoader

#include "GuiLoader.h"

#include "cli/ModuleLoader.h"

#include <cstdio>

namespace GuiLoader {

int run(int argc, char *argv[])
{
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

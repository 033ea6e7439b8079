#include "GuiLoader.h"

#include <QDir>
#include <QFileInfo>
#include <cstdio>
#include <dlfcn.h>

namespace GuiLoader {

int run(int argc, char *argv[])
{
    const QString binaryDir = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    const QStringList candidates = {
        QDir(binaryDir).filePath(QStringLiteral("quorumdeck-gui.so")),
        QDir(binaryDir).filePath(QStringLiteral("../" QUORUMDECK_PRIVATE_LIBDIR "/quorumdeck-gui.so")),
    };
    QString tried;
    for (const QString &path : candidates) {
        if (!QFileInfo::exists(path)) {
            tried += QStringLiteral(" ") + QDir::cleanPath(path);
            continue;
        }
        void *module = ::dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            std::fprintf(stderr, "quorumdeck: cannot load the window (%s): %s\n", qPrintable(path), ::dlerror());
            return 1;
        }
        using Entry = int (*)(int, char **);
        auto entry = reinterpret_cast<Entry>(::dlsym(module, "quorumdeck_gui_main"));
        if (!entry) {
            std::fprintf(stderr, "quorumdeck: %s is not a QuorumDeck window module\n", qPrintable(path));
            return 1;
        }
        return entry(argc, argv);
    }
    std::fprintf(stderr,
        "quorumdeck: the window is not installed (looked for%s); the commands work without it: quorumdeck --help\n",
        qPrintable(tried));
    return 1;
}

} // namespace GuiLoader

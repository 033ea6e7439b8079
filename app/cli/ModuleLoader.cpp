#include "cli/ModuleLoader.h"

#include <QDir>
#include <QFileInfo>
#include <dlfcn.h>

namespace ModuleLoader {

void *entry(const QString &fileName, const char *symbol, QString *error)
{
    const QString binaryDir = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    const QStringList candidates = {
        QDir(binaryDir).filePath(fileName),
        QDir::cleanPath(QDir(binaryDir).filePath(QStringLiteral("../" QUORUMDECK_PRIVATE_LIBDIR "/") + fileName)),
    };
    for (const QString &path : candidates) {
        if (!QFileInfo::exists(path))
            continue;
        // Loading a module twice returns the one already loaded.
        void *module = ::dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            *error = QStringLiteral("cannot load %1: %2").arg(path, QString::fromLocal8Bit(::dlerror()));
            return nullptr;
        }
        void *function = ::dlsym(module, symbol);
        if (!function)
            *error = QStringLiteral("%1 is not the module this binary expects (it has no %2)")
                         .arg(path, QString::fromLatin1(symbol));
        return function;
    }
    *error
        = QStringLiteral("%1 is not installed (looked for %2)").arg(fileName, candidates.join(QStringLiteral(" and ")));
    return nullptr;
}

} // namespace ModuleLoader

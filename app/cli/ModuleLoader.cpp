#include "cli/ModuleLoader.h"

#include <QDir>
#include <QFileInfo>
#include <cstring>
#include <dlfcn.h>

namespace ModuleLoader {

const char *buildId()
{
    return QUORUMDECK_BUILD_ID;
}

const QuorumdeckModule *loadFile(const QString &path, QString *error)
{
    // Loading a module twice returns the one already loaded.
    void *module = ::dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_LOCAL);
    if (!module) {
        *error = QStringLiteral("cannot load %1: %2").arg(path, QString::fromLocal8Bit(::dlerror()));
        return nullptr;
    }
    const auto *table = static_cast<const QuorumdeckModule *>(::dlsym(module, QUORUMDECK_MODULE_SYMBOL));
    if (!table) {
        *error = QStringLiteral("%1 is not a module of this program (it has no %2)")
                     .arg(path, QStringLiteral(QUORUMDECK_MODULE_SYMBOL));
        return nullptr;
    }
    if (table->abi != QUORUMDECK_MODULE_ABI) {
        *error = QStringLiteral("%1 speaks module interface %2, this binary %3: reinstall QuorumDeck")
                     .arg(path)
                     .arg(table->abi)
                     .arg(QUORUMDECK_MODULE_ABI);
        return nullptr;
    }
    if (!table->build || std::strcmp(table->build, buildId()) != 0) {
        *error
            = QStringLiteral("%1 is from build %2, this binary from %3: reinstall QuorumDeck")
                  .arg(path, QString::fromUtf8(table->build ? table->build : "(none)"), QString::fromUtf8(buildId()));
        return nullptr;
    }
    if (!table->run) {
        *error = QStringLiteral("%1 has no entry point").arg(path);
        return nullptr;
    }
    return table;
}

const QuorumdeckModule *load(const QString &fileName, QString *error)
{
    const QString binaryDir = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
    const QStringList candidates = {
        QDir(binaryDir).filePath(fileName),
        QDir::cleanPath(QDir(binaryDir).filePath(QStringLiteral("../" QUORUMDECK_PRIVATE_LIBDIR "/") + fileName)),
    };
    for (const QString &path : candidates) {
        if (QFileInfo::exists(path))
            return loadFile(path, error);
    }
    *error
        = QStringLiteral("%1 is not installed (looked for %2)").arg(fileName, candidates.join(QStringLiteral(" and ")));
    return nullptr;
}

} // namespace ModuleLoader

#include "cli/ToolsModule.h"

#include "cli/ModuleLoader.h"

#include <QMetaObject>
#include <QObject>
#include <cstdio>

namespace ToolsModule {

namespace {
const QString kModule = QStringLiteral("quorumdeck-tools.so");
}

int run(const QStringList &arguments)
{
    QString error;
    auto main = reinterpret_cast<QuorumdeckToolsMain>(ModuleLoader::entry(kModule, "quorumdeck_tools_main", &error));
    if (!main) {
        std::fprintf(stderr, "quorumdeck: %s\n", qPrintable(error));
        return 1;
    }
    return main(arguments);
}

void explainTls(const TlsSettings &tls, const QString &endpoint, int deadlineMs, QObject *context,
    std::function<void(const QStringList &problems)> done)
{
    QString error;
    auto explain
        = reinterpret_cast<QuorumdeckExplainTls>(ModuleLoader::entry(kModule, "quorumdeck_explain_tls", &error));
    if (!explain) {
        // Say what failed without the diagnosis, as every other answer: later, on the loop.
        QMetaObject::invokeMethod(
            context, [done] { done({}); }, Qt::QueuedConnection);
        return;
    }
    explain(tls, endpoint, deadlineMs, context, done);
}

} // namespace ToolsModule

// The quorumdeck-tools module: the commands beyond a cluster's own, and the certificate
// diagnostics, with the full core beneath them (see cli/ToolsModule.h).

#include "cli/CertsCommand.h"
#include "cli/ChaosCommand.h"
#include "cli/Cli.h"
#include "cli/CliOptions.h"
#include "cli/DemoCommand.h"
#include "cli/DemoNetCommand.h"
#include "cli/K8sCommand.h"
#include "cli/LbCommand.h"
#include "cli/MetricsCommand.h"
#include "cli/ReclaimCommand.h"
#include "cli/ToolsModule.h"
#include "cli/VolumesCommand.h"
#include "tls/CertificateDiagnostics.h"

#include <cstdio>

extern "C" Q_DECL_EXPORT int quorumdeck_tools_main(const QStringList &arguments)
{
    CliOptions options;
    QString error;
    if (!options.parse(arguments, &error)) {
        std::fprintf(stderr, "quorumdeck: %s\n", qPrintable(error));
        return 1;
    }
    std::unique_ptr<CliCommand> command;
    if (options.command == QLatin1String("metrics"))
        command = std::make_unique<MetricsCommand>(options);
    else if (options.command == QLatin1String("lb"))
        command = std::make_unique<LbCommand>(options);
    else if (options.command == QLatin1String("volumes"))
        command = std::make_unique<VolumesCommand>(options);
    else if (options.command == QLatin1String("defrag") || options.command == QLatin1String("reclaim"))
        command = std::make_unique<ReclaimCommand>(options);
    else if (options.command == QLatin1String("certs"))
        command = std::make_unique<CertsCommand>(options);
    else if (options.command == QLatin1String("k8s"))
        command = std::make_unique<K8sCommand>(options);
    else if (options.positional.value(0) == QLatin1String("net"))
        command = std::make_unique<DemoNetCommand>(options);
    else if (options.positional.value(0) == QLatin1String("chaos"))
        command = std::make_unique<ChaosCommand>(options);
    else
        command = std::make_unique<DemoCommand>(options);
    return Cli::execute(std::move(command), options);
}

extern "C" Q_DECL_EXPORT void quorumdeck_explain_tls(const TlsSettings &tls, const QString &endpoint, int deadlineMs,
    QObject *context, const std::function<void(const QStringList &)> &done)
{
    const TlsFilesCheck files = CertificateDiagnostics::checkFiles(tls);
    auto *diagnostics = new CertificateDiagnostics(tls, context);
    diagnostics->diagnose(endpoint, deadlineMs, [files, done](const TlsDiagnosis &d) {
        QStringList why = files.problems;
        for (const QString &p : d.problems)
            if (!why.contains(p))
                why << p;
        done(why);
    });
}

// Both entry points keep the signatures the binary calls them with.
static_assert(std::is_same_v<decltype(&quorumdeck_tools_main), QuorumdeckToolsMain>);
static_assert(std::is_same_v<decltype(&quorumdeck_explain_tls), QuorumdeckExplainTls>);

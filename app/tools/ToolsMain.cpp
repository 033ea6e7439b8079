// The quorumdeck-tools module: the commands beyond a cluster's own, and the certificate
// diagnostics, with the full core beneath them (see cli/ToolsModule.h).

#include "cli/Cli.h"
#include "cli/CliOptions.h"
#include "cli/CommandTable.h"
#include "cli/ModuleAbi.h"
#include "tls/CertificateDiagnostics.h"
#include "tools/AlertsCommand.h"
#include "tools/BackupCommand.h"
#include "tools/CertsCommand.h"
#include "tools/ChaosCommand.h"
#include "tools/ControlPlaneEventsCommand.h"
#include "tools/DemoCommand.h"
#include "tools/DemoNetCommand.h"
#include "tools/K8sCommand.h"
#include "tools/KeyspaceCommand.h"
#include "tools/LbCommand.h"
#include "tools/MetricsCommand.h"
#include "tools/MetricsQueryCommand.h"
#include "tools/ReclaimCommand.h"
#include "tools/RecoverCommand.h"
#include "tools/RestoreCommand.h"
#include "tools/VolumesCommand.h"

#include <QObject>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

template <typename C> std::unique_ptr<CliCommand> make(const CliOptions &options)
{
    return std::make_unique<C>(options);
}

/// demo's sub-commands net and chaos are commands of their own.
std::unique_ptr<CliCommand> makeMetrics(const CliOptions &options)
{
    if (options.positional.value(0) == QLatin1String("query"))
        return std::make_unique<MetricsQueryCommand>(options);
    return std::make_unique<MetricsCommand>(options);
}

std::unique_ptr<CliCommand> makeDemo(const CliOptions &options)
{
    if (options.positional.value(0) == QLatin1String("net"))
        return std::make_unique<DemoNetCommand>(options);
    if (options.positional.value(0) == QLatin1String("chaos"))
        return std::make_unique<ChaosCommand>(options);
    return std::make_unique<DemoCommand>(options);
}

/// The handlers of the commands CommandTable places in this module.
struct ToolHandler {
    const char *name;
    CommandTable::Factory make;
};
constexpr ToolHandler kHandlers[] = {
    {"metrics", &makeMetrics},
    {"lb", &make<LbCommand>},
    {"volumes", &make<VolumesCommand>},
    {"defrag", &make<ReclaimCommand>},
    {"reclaim", &make<ReclaimCommand>},
    {"certs", &make<CertsCommand>},
    {"k8s", &make<K8sCommand>},
    {"keyspace", &make<KeyspaceCommand>},
    {"alerts", &make<AlertsCommand>},
    {"backup", &make<BackupCommand>},
    {"restore", &make<RestoreCommand>},
    {"recover", &make<RecoverCommand>},
    {"demo", &makeDemo},
    {"events", &make<ControlPlaneEventsCommand>},
};

const ToolHandler *handlerFor(const char *name)
{
    for (const ToolHandler &h : kHandlers) {
        if (std::strcmp(h.name, name) == 0)
            return &h;
    }
    return nullptr;
}

/// The handlers above and CommandTable's rows of this module, compared: a row without a
/// handler, or a handler without a row, is a defect named before any command runs (every
/// test that runs a command of this module checks it).
QString handlersMatchTable()
{
    for (const CommandTable::Command &c : CommandTable::commands()) {
        if (c.home == CommandTable::Home::Tools && !handlerFor(c.name))
            return QStringLiteral("the command table places %1 in the tools module, which has no handler for it")
                .arg(QLatin1String(c.name));
    }
    for (const ToolHandler &h : kHandlers) {
        if (!CommandTable::find(QLatin1String(h.name)))
            return QStringLiteral("the tools module handles %1, which the command table does not list")
                .arg(QLatin1String(h.name));
    }
    return {};
}

int runTools(int argc, char **argv)
{
    if (const QString defect = handlersMatchTable(); !defect.isEmpty()) {
        std::fprintf(stderr, "quorumdeck: internal error: %s\n", qPrintable(defect));
        return 1;
    }
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromUtf8(argv[i]);
    CliOptions options;
    QString error;
    if (!options.parse(arguments, &error)) {
        std::fprintf(stderr, "quorumdeck: %s\n", qPrintable(error));
        return 1;
    }
    const CommandTable::Command *spec = CommandTable::find(options.command);
    const ToolHandler *handler = spec ? handlerFor(spec->name) : nullptr;
    if (!handler || (spec->home != CommandTable::Home::Tools && !eventsNeedControlPlane(options))) {
        std::fprintf(stderr, "quorumdeck: %s is not a command of the tools module\n", qPrintable(options.command));
        return 1;
    }
    std::unique_ptr<CliCommand> command = handler->make(options);
    return Cli::execute(std::move(command), options);
}

void explainTls(const QuorumdeckTlsQuestion *question, void *context, QuorumdeckProblemsDone done, void *userData)
{
    TlsSettings tls;
    tls.caFile = QString::fromUtf8(question->caFile);
    tls.certFile = QString::fromUtf8(question->certFile);
    tls.keyFile = QString::fromUtf8(question->keyFile);
    tls.serverName = QString::fromUtf8(question->serverName);
    tls.insecureSkipVerify = question->insecureSkipVerify != 0;
    const TlsFilesCheck files = CertificateDiagnostics::checkFiles(tls);
    auto *diagnostics = new CertificateDiagnostics(tls, static_cast<QObject *>(context));
    diagnostics->diagnose(
        QString::fromUtf8(question->endpoint), question->deadlineMs, [files, done, userData](const TlsDiagnosis &d) {
            QStringList why = files.problems;
            for (const QString &p : d.problems)
                if (!why.contains(p))
                    why << p;
            std::vector<QByteArray> utf8;
            std::vector<const char *> pointers;
            for (const QString &p : why)
                utf8.push_back(p.toUtf8());
            for (const QByteArray &p : utf8)
                pointers.push_back(p.constData());
            done(userData, pointers.data(), int(pointers.size()));
        });
}

} // namespace

extern "C" Q_DECL_EXPORT const QuorumdeckModule quorumdeck_module
    = {QUORUMDECK_MODULE_ABI, QUORUMDECK_BUILD_ID, &runTools, &explainTls};

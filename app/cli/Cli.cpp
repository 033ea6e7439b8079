#include "cli/Cli.h"

#include "cli/CliCommand.h"
#include "cli/CliOptions.h"
#include "cli/CommandTable.h"
#include "cli/EventsCommand.h"
#include "cli/ToolsModule.h"
#include "common/BuildInfo.h"
#include "common/TerminationSignals.h"
#include "etcd/GrpcRuntime.h"

#include <QCoreApplication>
#include <cstdio>
#include <memory>

namespace {

void print(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
}

/// The command a command line names (its first word that is neither an option nor an
/// option's value), or nullptr.
const CommandTable::Command *namedCommand(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (!a.startsWith(QLatin1Char('-')))
            return CommandTable::find(a);
        const QString name = a.mid(a.startsWith(QLatin1String("--")) ? 2 : 1).section(QLatin1Char('='), 0, 0);
        const CommandTable::Option *option = CommandTable::findOption(name);
        if (option && option->valueName && !a.contains(QLatin1Char('=')))
            ++i; // its value
    }
    return nullptr;
}

} // namespace

namespace Cli {

bool wantsCli(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--demo"))
            return false;
        if (a == QLatin1String("-h") || a == QLatin1String("--help") || a == QLatin1String("--version")
            || !a.startsWith(QLatin1Char('-')))
            return true;
    }
    return false;
}

QString windowOptionProblem(const QStringList &arguments)
{
    // Qt's own command-line options, which it also accepts with two dashes.
    static const QStringList qtOptions {QStringLiteral("platform"), QStringLiteral("platformpluginpath"),
        QStringLiteral("platformtheme"), QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"),
        QStringLiteral("qwindowicon"), QStringLiteral("qwindowtitle"), QStringLiteral("reverse"),
        QStringLiteral("session"), QStringLiteral("style"), QStringLiteral("stylesheet"), QStringLiteral("widgetcount"),
        QStringLiteral("display"), QStringLiteral("geometry"), QStringLiteral("name"), QStringLiteral("title"),
        QStringLiteral("visual"), QStringLiteral("ncols"), QStringLiteral("cmap"), QStringLiteral("nograb"),
        QStringLiteral("dograb"), QStringLiteral("sync"), QStringLiteral("qmljsdebugger")};
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (!a.startsWith(QLatin1String("--")) || a == QLatin1String("--demo")
            || qtOptions.contains(a.mid(2).section(QLatin1Char('='), 0, 0)))
            continue;
        return QStringLiteral("unknown option %1: the window takes only --demo; for the commands see quorumdeck --help")
            .arg(a);
    }
    return {};
}

void startEarly(const QStringList &arguments)
{
    if (arguments.contains(QStringLiteral("--version")) || arguments.contains(QStringLiteral("-h"))
        || arguments.contains(QStringLiteral("--help")))
        return;
    GrpcRuntime::startInBackground();
}

int run(const QStringList &arguments)
{
    if (arguments.contains(QStringLiteral("--version"))) {
        print(stdout, BuildInfo::versionLine() + QLatin1Char('\n'));
        return 0;
    }
    if (arguments.contains(QStringLiteral("-h")) || arguments.contains(QStringLiteral("--help"))) {
        const CommandTable::Command *command = namedCommand(arguments);
        print(stdout, command ? CommandTable::help(*command) : CommandTable::usage());
        return 0;
    }
    CliOptions options;
    QString error;
    if (!options.parse(arguments, &error)) {
        print(stderr, QStringLiteral("quorumdeck: %1\n").arg(error));
        return 1;
    }

    // The cluster's own commands run here; the rest from the tools module.
    const CommandTable::Command *spec = CommandTable::find(options.command);
    if (spec->home == CommandTable::Home::Tools || eventsNeedControlPlane(options))
        return ToolsModule::run(arguments);
    std::unique_ptr<CliCommand> command = spec->make(options);
    return execute(std::move(command), options);
}

int execute(std::unique_ptr<CliCommand> command, const CliOptions &options)
{
    QObject::connect(command.get(), &CliCommand::finished, qApp, [](int code) { QCoreApplication::exit(code); });
    // SIGINT, SIGTERM and SIGHUP end the command through the event loop. Following events is
    // ended that way on purpose (exit 0); any other command was cut short (exit 130, as
    // shells report an interrupt), so that scripts do not take it for success. A command
    // with something to put back first (a half-started demo) does so; a second signal ends
    // the process at once.
    TerminationSignals termination;
    const int interruptedCode = options.command == QLatin1String("events") ? 0 : 130;
    QObject::connect(&termination, &TerminationSignals::received, command.get(), [&, interruptedCode](int) {
        if (termination.count() > 1)
            QCoreApplication::exit(130);
        else
            command->interrupt(interruptedCode);
    });
    QMetaObject::invokeMethod(command.get(), &CliCommand::start, Qt::QueuedConnection);
    const int code = QCoreApplication::exec();
    command->leaveClientToProcessExit();
    return code;
}

} // namespace Cli

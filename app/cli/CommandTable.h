#pragma once

#include <QString>
#include <QStringList>
#include <memory>
#include <span>

class CliCommand;
struct CliOptions;

/// Every command and option of the command line, in one table. The usage screen, each
/// command's --help, the check that an option applies to the command given, the dispatch
/// (and which module holds the command) and the bash and zsh completion all derive from it:
/// a command or flag added here appears everywhere at once.
namespace CommandTable {

/// What an option's value is, for completion.
enum class ValueKind { None, Text, File, Directory, Format, Profile };

struct Option {
    const char *name;
    const char *shortName; ///< nullptr when there is none
    const char *valueName; ///< nullptr for a switch
    const char *help;
    ValueKind value;
    /// The sub-command it belongs to ("add", "up", "net"), for completion; nullptr for any.
    const char *sub;
};

/// Where a command's code lives: in the binary (the cluster's own commands, which load no
/// QtNetwork) or in the quorumdeck-tools module.
enum class Home { Binary, Tools };

using Factory = std::unique_ptr<CliCommand> (*)(const CliOptions &);

struct Command {
    const char *name;
    /// Its lines of the usage screen, each starting with two spaces.
    const char *usage;
    /// The words that may follow it, for completion; "net:isolate,heal" gives a sub-command
    /// with verbs of its own.
    const char *subcommands;
    /// The options that apply, space-separated; "@connection" stands for the connection
    /// options (endpoints, TLS, user, timeouts, profile). -w and --dir apply everywhere.
    const char *options;
    Home home;
    Factory make; ///< for a command of the binary; the tools module has its own
};

std::span<const Command> commands();
std::span<const Option> options();

const Command *find(const QString &name);
const Option *findOption(const QString &name); ///< by long or short name

/// The long names of the options that apply to command, in table order.
QStringList optionsOf(const Command &command);
bool applies(const Command &command, const QString &option);

/// The sub-commands of command (completion words), and the verbs of one of them.
QStringList subcommandsOf(const Command &command);
QStringList verbsOf(const Command &command, const QString &sub);

/// The whole usage screen (quorumdeck --help).
QString usage();
/// One command's help (quorumdeck COMMAND --help): its usage lines and its options.
QString help(const Command &command);

} // namespace CommandTable

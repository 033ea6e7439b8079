#pragma once

#include <QStringList>
#include <memory>

class CliCommand;
struct CliOptions;

/// The command-line face of QuorumDeck: parses the arguments, runs one command on the
/// running QCoreApplication's event loop and returns its exit code.
namespace Cli {

/// True when the arguments ask for a command rather than the window.
bool wantsCli(const QStringList &arguments);

/// Why arguments without a command cannot open the window, or an empty string: the window
/// takes --demo and Qt's own options, so a command's flag given without its command (a typo)
/// is refused rather than opening a window.
QString windowOptionProblem(const QStringList &arguments);

/// Starts, on a helper thread, what a command needs before it can call etcd (gRPC's runtime),
/// so that it overlaps with starting Qt and parsing the arguments. Nothing for --help and
/// --version, which call nothing.
void startEarly(const QStringList &arguments);

/// Runs the command; needs a QCoreApplication. Returns the process exit code, and expects the
/// process to end right after: the gRPC client is left to the process's exit (see
/// CliCommand::leaveClientToProcessExit).
int run(const QStringList &arguments);

/// Runs a command on the event loop until it finishes (what run() and the tools module share);
/// returns its exit code.
int execute(std::unique_ptr<CliCommand> command, const CliOptions &options);

} // namespace Cli

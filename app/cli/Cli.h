#pragma once

#include <QStringList>

/// The command-line face of QuorumDeck: parses the arguments, runs one command on the
/// running QCoreApplication's event loop and returns its exit code.
namespace Cli {

/// True when the arguments ask for a command rather than the window.
bool wantsCli(const QStringList &arguments);

/// Runs the command; needs a QCoreApplication. Returns the process exit code.
int run(const QStringList &arguments);

} // namespace Cli

#pragma once

#include "cli/ModuleAbi.h"

#include <QString>

/// Finds and loads one of the binary's modules: beside the binary in a build tree, or in
/// ../lib/<arch>/quorumdeck when installed. The window and the tool commands are modules so
/// that a command loads only the libraries it needs.
namespace ModuleLoader {

/// The table of module fileName (loaded once per process), or nullptr with a sentence in
/// *error saying what is missing, broken, or from another build.
const QuorumdeckModule *load(const QString &fileName, QString *error);

/// The same for the module at path.
const QuorumdeckModule *loadFile(const QString &path, QString *error);

/// This build's id, which a module's table must carry.
const char *buildId();

} // namespace ModuleLoader

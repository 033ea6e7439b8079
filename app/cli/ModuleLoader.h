#pragma once

#include <QString>

/// Finds and loads one of the binary's modules: beside the binary in a build tree, or in
/// ../lib/<arch>/quorumdeck when installed. The window and the tool commands are modules so
/// that a command loads only the libraries it needs.
namespace ModuleLoader {

/// The entry point named symbol in module fileName (loaded once per process), or nullptr
/// with a sentence in *error saying what is missing or broken.
void *entry(const QString &fileName, const char *symbol, QString *error);

} // namespace ModuleLoader

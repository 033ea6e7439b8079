#pragma once

#include <QString>

/// Finds and loads the quorumdeck-gui module (beside the binary in a build tree, or in
/// ../lib/<arch>/quorumdeck when installed) and runs the window from it.
namespace GuiLoader {

/// Returns the window's exit code, or 1 with a sentence on stderr when the module is
/// missing or broken, or when there is no display.
int run(int argc, char *argv[]);

} // namespace GuiLoader

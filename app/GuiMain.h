#pragma once

/// Starts the window: a QApplication, the main window, and its event loop.
namespace GuiMain {
int run(int argc, char *argv[]);
}

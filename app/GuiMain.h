#pragma once

/// The window's entry point. It lives in the quorumdeck-gui module, which the quorumdeck
/// binary loads only when it opens the window, so that commands never load the GUI
/// libraries (QtGui, QtWidgets, QtCharts) and start in a fraction of the time.
extern "C" int quorumdeck_gui_main(int argc, char *argv[]);

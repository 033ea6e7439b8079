#pragma once

#include <QMainWindow>

/// The console window. For now a plain frame that says how to reach the cluster from the
/// command line; the live views follow.
class MainWindow : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
};

#include "MainWindow.h"

#include <QLabel>

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("QuorumDeck"));
    auto *label = new QLabel(tr("QuorumDeck — the console window is on its way.\n"
                                "Meanwhile every view is available from the command line: quorumdeck --help"),
        this);
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(24);
    setCentralWidget(label);
    resize(900, 600);
}

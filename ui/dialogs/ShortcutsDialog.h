#pragma once

#include <QDialog>

class QAction;
class QTableWidget;

/// Every action of the window that has a keyboard shortcut, by menu, in a table the
/// operator can scan (Help → Keyboard shortcuts).
class ShortcutsDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShortcutsDialog)

public:
    struct Entry {
        QString menu;
        QAction *action = nullptr;
    };
    ShortcutsDialog(const QList<Entry> &entries, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

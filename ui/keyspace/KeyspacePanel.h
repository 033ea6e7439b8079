#pragma once

#include "storage/KeyspaceSummary.h"

#include <QPointer>
#include <QWidget>

class ConsoleSession;
class PrefixTree;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class ValueViewer;

/// The Keyspace tab: what fills the database. A walk (on request: it reads every key) fills
/// a tree of prefixes with their keys, bytes and share, and the largest keys; selecting a key
/// reads its value into a read-only viewer.
class KeyspacePanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyspacePanel)

public:
    explicit KeyspacePanel(QWidget *parent = nullptr);

    void setSession(ConsoleSession *session);
    /// Starts a walk with what the fields say.
    void walk();

    PrefixTree *tree() const { return m_tree; }
    QTableWidget *largest() const { return m_largest; }
    ValueViewer *viewer() const { return m_viewer; }
    QString status() const;

private:
    void showSummary(const KeyspaceSummary &summary);
    void setWalking(bool walking);

    QPointer<ConsoleSession> m_session;
    QLineEdit *m_prefix;
    QSpinBox *m_depth;
    QSpinBox *m_top;
    QPushButton *m_walk;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    PrefixTree *m_tree;
    QTableWidget *m_largest;
    ValueViewer *m_viewer;
};

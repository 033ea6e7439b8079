#pragma once

#include "demo/MemberNetwork.h"
#include <QPointer>

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

/// Faults on the demo members' peer links: a table of each member's state with a one-click
/// heal, and controls to isolate, delay or drop. The faults may also come from the CLI or a
/// chaos run; the table shows whatever is in force.
class ConsoleSession;

class NetworkPanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkPanel)

public:
    explicit NetworkPanel(QWidget *parent = nullptr);

    /// Shows session (null: none) from now on, and forgets the one before.
    void setSession(ConsoleSession *session);

    /// Why there is nothing to show ("" once a state arrives).
    void setUnavailable(const QString &why);
    void setNetwork(const QList<MemberNetwork> &network, bool connected);
    QTableWidget *table() const { return m_table; }

signals:
    void faultRequested(const QString &member, const NetworkFault &fault);
    void healAllRequested();

private:
    NetworkFault currentFault(const QString &member) const;

    QPointer<ConsoleSession> m_session;

    QList<MemberNetwork> m_network;
    QLabel *m_status;
    QTableWidget *m_table;
    QComboBox *m_member;
    QSpinBox *m_delay;
    QSpinBox *m_jitter;
    QSpinBox *m_drop;
    QPushButton *m_isolate;
    QPushButton *m_applyDelay;
    QPushButton *m_applyDrop;
    QPushButton *m_healAll;
};

#pragma once

#include <QPointer>
#include <QWidget>

class AlertNotifier;
class ConsoleSession;
class QCheckBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QTableWidget;

/// The Alerts tab: what is firing and pending now — state, severity, alert, member, since,
/// summary, and what to do about it — over the etcd project's rules and the console's own
/// as it evaluates them, with the desktop notifications' choices (which severities, mute
/// for an hour); below, when the connection names one, what its Alertmanager holds for
/// this cluster, silences shown.
class AlertsPanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertsPanel)

public:
    enum Column { State, Severity, Alert, Member, Since, Summary, Action, ColumnCount };
    /// The Alertmanager's table: Action holds what silences or inhibits the alert.
    enum RemoteColumn { Silenced = Action };

    AlertsPanel(AlertNotifier *notifier, QWidget *parent = nullptr);

    /// Shows session (null: none) from now on.
    void setSession(ConsoleSession *session);
    QTableWidget *table() const { return m_table; }
    QTableWidget *remoteTable() const { return m_remoteTable; }
    QString headline() const;
    QString remoteHeadline() const;

private:
    void reload();
    void reloadRemote();
    void updateMute();

    QPointer<ConsoleSession> m_session;
    AlertNotifier *m_notifier;
    QLabel *m_headline;
    QLabel *m_errors;
    QTableWidget *m_table;
    QGroupBox *m_remote;
    QLabel *m_remoteHeadline;
    QTableWidget *m_remoteTable;
    QCheckBox *m_critical;
    QCheckBox *m_warning;
    QPushButton *m_mute;
};

#pragma once

#include <QPointer>
#include <QWidget>

class ConsoleSession;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

/// The Backups tab: this cluster's backups with their age, revision, size, source member and
/// whether they were verified; Back up now (verified at once), Verify, Restore… (on the demo
/// it restores, with progress per step; on a real cluster it shows the plan per host), and
/// the schedule the window keeps while it is open.
class BackupsPanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupsPanel)

public:
    enum Column { Time, Age, Revision, Size, Source, State, File, ColumnCount };

    explicit BackupsPanel(QWidget *parent = nullptr);

    /// Shows session (null: none) from now on, and forgets the one before.
    void setSession(ConsoleSession *session);
    QTableWidget *table() const { return m_table; }
    QString headline() const;

    /// Asks (naming what is lost), then restores the demo; on a real cluster shows the plan.
    void askRestoreSelected();
    /// Streams a snapshot now and verifies it (what "Back up now" does), unless one is under way.
    void backUpNow();

private:
    void reload();
    void updateButtons();
    QString selectedPath() const;

    QPointer<ConsoleSession> m_session;
    QLabel *m_headline;
    QPushButton *m_backUp;
    QPushButton *m_verify;
    QPushButton *m_restore;
    QTableWidget *m_table;
    QSpinBox *m_everyHours;
    QSpinBox *m_keep;
    QPushButton *m_applySchedule;
    QLabel *m_scheduleNote;
};

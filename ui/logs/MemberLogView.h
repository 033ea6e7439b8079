#pragma once

#include "profile/ClusterManifest.h"
#include <QPointer>

#include <QWidget>

class MemberLogModel;
class MemberLogTail;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

/// The demo members' logs: one member at a time, followed as it grows, filtered by level
/// and text, raft's leadership lines in bold gold. showMoment() jumps to a time, e.g. from
/// an election in the elections list.
class ConsoleSession;

class MemberLogView : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberLogView)

public:
    explicit MemberLogView(QWidget *parent = nullptr);

    /// The members whose logs can be shown; an empty manifest for clusters that are not
    /// demos (there are no logs to read then).
    void setCluster(const ClusterManifest &manifest);
    /// The demo members of session (none for other clusters), followed as members come and go.
    void setSession(ConsoleSession *session);
    QString currentMember() const;
    void showMember(const QString &name);
    /// Shows the first of members that has a log, stops following, and selects the line
    /// nearest timeMs once the log has been read.
    void showMoment(const QStringList &members, qint64 timeMs);
    bool following() const;
    MemberLogModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

private:
    void open(const QString &name);
    void applyFilter();
    void jumpIfPending();

    QPointer<ConsoleSession> m_session;
    ClusterManifest m_manifest;
    MemberLogModel *m_model;
    MemberLogTail *m_tail = nullptr;
    QComboBox *m_member;
    QComboBox *m_level;
    QLineEdit *m_text;
    QCheckBox *m_follow;
    QCheckBox *m_leadershipOnly;
    QTableView *m_view;
    QLabel *m_status;
    qint64 m_pendingMoment = 0;
};

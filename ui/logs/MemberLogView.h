#pragma once

#include "profile/ClusterManifest.h"

#include <QList>
#include <QPointer>
#include <QWidget>

class ControlPlaneLogs;
class ConsoleSession;
class JournalTail;
class KubeClient;
class MemberLogModel;
class MemberLogTail;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

/// The members' logs, from wherever they are written: one demo member's file, every demo
/// member merged by time, a control-plane component on every master through the API
/// (pods/log), or this machine's journald unit. Followed as they grow, filtered by member,
/// level and text, leadership lines in bold gold. showMoment() jumps to a time (from an
/// election in the elections list); activating a leadership line asks for the election it
/// explains (electionLineActivated).
class MemberLogView : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberLogView)

public:
    explicit MemberLogView(QWidget *parent = nullptr);
    ~MemberLogView() override;

    /// The demo members whose logs can be shown; an empty manifest for clusters that are
    /// not demos.
    void setCluster(const ClusterManifest &manifest);
    /// The demo members of session, and its control plane when a kubeconfig reaches it.
    void setSession(ConsoleSession *session);
    /// The source shown: a member's name, "All members", "etcd on every master", ...
    QString currentMember() const;
    void showMember(const QString &name);
    /// Shows the first of members that has a log (in the merged view when that is shown),
    /// stops following, and selects the line nearest timeMs once the log has been read.
    void showMoment(const QStringList &members, qint64 timeMs);
    bool following() const;
    MemberLogModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    static QString allMembers();
    static QString podsSource(const QString &component);

signals:
    /// A leadership line was activated (double-click, Enter): the election at timeMs.
    void electionLineActivated(qint64 timeMs);

private:
    enum class Kind { DemoAll, DemoMember, Pods, Journal };
    void rebuildSources();
    void open();
    void closeSources();
    void openDemoMember(const QString &name, bool merged);
    void openPods(const QString &component);
    void openJournal();
    void applyFilter();
    void jumpIfPending();
    bool merged() const;

    QPointer<ConsoleSession> m_session;
    ClusterManifest m_manifest;
    MemberLogModel *m_model;
    QList<MemberLogTail *> m_tails;
    KubeClient *m_kube = nullptr;
    ControlPlaneLogs *m_podLogs = nullptr;
    JournalTail *m_journal = nullptr;
    int m_generation = 0; ///< a source opened before the current one is dropped
    QString m_opened; ///< the source being read ("" for none)
    bool m_journalctl = false;
    QComboBox *m_member;
    QComboBox *m_sourceFilter;
    QComboBox *m_level;
    QLineEdit *m_text;
    QCheckBox *m_follow;
    QCheckBox *m_leadershipOnly;
    QTableView *m_view;
    QLabel *m_status;
    qint64 m_pendingMoment = 0;
};

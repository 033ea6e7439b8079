#pragma once

#include "cluster/ClusterSnapshot.h"

#include <QElapsedTimer>
#include <QFrame>
#include <QHash>
#include <QPointer>

class ConsoleSession;
class QLabel;
class QPushButton;

/// Shown above every tab while the cluster has lost quorum for longer than ten election
/// timeouts (etcd's default timeout is 1 s): which members answer with their raft index and
/// revision, the ways out with what each loses, the recovery plan for a real cluster and,
/// on the demo, the rebuild from the member furthest ahead.
class QuorumLossBanner : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuorumLossBanner)

public:
    /// Ten times etcd's default election timeout.
    static constexpr qint64 kShowAfterMs = 10 * 1000;

    explicit QuorumLossBanner(QWidget *parent = nullptr);

    void setSession(ConsoleSession *session);
    QString text() const;
    /// The member the demo would be rebuilt from ("" when there is none).
    QString rebuildFrom() const { return m_from; }
    void showPlan();
    void askRebuild();

private:
    void onSnapshot(const ClusterSnapshot &snapshot);

    QPointer<ConsoleSession> m_session;
    QLabel *m_text;
    QPushButton *m_plan;
    QPushButton *m_rebuild;
    QElapsedTimer m_lostFor;
    QString m_from;
    /// Each member's raft index and revision when it last answered.
    QHash<uint64_t, std::pair<uint64_t, int64_t>> m_lastSeen;
};

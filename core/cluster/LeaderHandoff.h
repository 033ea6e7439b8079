#pragma once

#include "etcd/EtcdResult.h"

#include <QObject>
#include <functional>

class EtcdClient;

/// Moves leadership off a member before it is blocked (a defragmentation): to the follower
/// with the highest applied index among those that answer and follow it, so that the new
/// leader holds everything the old one committed; then waits until the old leader itself
/// reports the new one. One planned leader change instead of an election at a moment
/// nobody chose.
class LeaderHandoff : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LeaderHandoff)

public:
    struct Member {
        uint64_t id = 0;
        QString name;
        QString endpoint;
        bool learner = false;
    };
    /// The member that leads now (empty with the error when the handoff failed).
    struct Outcome {
        uint64_t leaderId = 0;
        QString leaderName;
        QString error;
    };

    explicit LeaderHandoff(EtcdClient *client, QObject *parent = nullptr);

    /// members: the cluster's, from includes the leader itself. done runs once, on this
    /// object's thread.
    void start(const Member &from, const QList<Member> &members, std::function<void(const Outcome &)> done);

signals:
    /// Emitted just before a MoveLeader is sent; ClusterMonitor::expectLeaderTransfer listens.
    void transferRequested(uint64_t target);
    /// The follower chosen, before the request goes out.
    void chosen(const QString &name);

private:
    void waitMoved(uint64_t target, qint64 giveUpAtMs);
    QString nameOf(uint64_t id) const;
    void finish(const Outcome &outcome);

    EtcdClient *m_client;
    Member m_from;
    QList<Member> m_members;
    std::function<void(const Outcome &)> m_done;
};

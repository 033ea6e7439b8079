#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/OperationResult.h"
#include "cluster/Preflight.h"

#include <QObject>

class EtcdClient;

/// The member operations — leader transfer, add, remove, promote — each behind its
/// pre-flight check, each ending in one OperationResult. The window and the CLI both call
/// these. Decisions are made from the snapshot passed in; pass a fresh one.
///
/// Lives on its EtcdClient's thread; callbacks run there.
class MemberOps : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberOps)

public:
    explicit MemberOps(EtcdClient *client, QObject *parent = nullptr);

    void moveLeader(const ClusterSnapshot &snapshot, const QString &target, OperationCallback done);
    /// Retries etcd's "unhealthy cluster" (seen for seconds after an election) for up to 10 s.
    void addMember(const ClusterSnapshot &snapshot, const QString &name, const QStringList &peerUrls, bool learner,
        OperationCallback done);
    void removeMember(const ClusterSnapshot &snapshot, const QString &member, bool force, OperationCallback done);
    /// Retries etcd's "not in sync" answer every 500 ms for up to retryForMs.
    void promoteMember(
        const ClusterSnapshot &snapshot, const QString &member, OperationCallback done, int retryForMs = 30000);

signals:
    /// Emitted just before a MoveLeader is sent; ClusterMonitor::expectLeaderTransfer listens.
    void leaderTransferRequested(uint64_t target);
    /// A long operation's progress, as one sentence.
    void progress(const QString &sentence);

private:
    void sendAdd(const QString &endpoint, const QString &name, const QStringList &peerUrls, bool learner,
        qint64 giveUpAtMs, bool retrying, OperationCallback done);
    void sendPromote(const PromotePlan &plan, qint64 giveUpAtMs, int attempt, OperationCallback done);

    EtcdClient *m_client;
};

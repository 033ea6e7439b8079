#pragma once

#include "cluster/ClusterSnapshot.h"
#include "common/Result.h"
#include "etcd/ConnectionSettings.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// A member as the recovery plan sees it: what the member list says, and what the member
/// itself answered, if it answered.
struct RecoveryMember {
    QString name;
    QString peerUrl;
    QString clientUrl;
    bool isLearner = false;
    bool answers = false;
    quint64 raftIndex = 0; ///< the last raft index it reported
    qint64 revision = 0;
};

/// One command of the plan, on one host, in order.
struct RecoveryStep {
    QString host; ///< the member whose host runs it, or "any" (etcdctl runs anywhere)
    QString what;
    QStringList argv; ///< empty for a step done the host's own way (a service's flags)
    QString shell;
};

/// A way out of quorum loss, and what it loses.
struct RecoveryOption {
    QString what;
    QString loses;
};

/// After a majority of voters is lost: the commands that rebuild the cluster from one
/// member (--force-new-cluster, then the others added back one at a time with empty data
/// directories), and the other ways out with what each loses. A pure value: nothing runs.
struct RecoveryPlan {
    QString from;
    quint64 raftIndex = 0;
    qint64 revision = 0;
    QString initialCluster; ///< the cluster as it is once every member is back
    QList<RecoveryMember> members;
    QList<RecoveryStep> steps;
    QList<RecoveryOption> options;
    QStringList notes;
    QStringList checks;

    /// from: the member to rebuild from (empty: the answering voter with the highest raft
    /// index). etcdctlFlags: the TLS and user flags each etcdctl line needs. newestBackup:
    /// "FILE (revision R)" of the newest verified backup, or empty.
    static Result<RecoveryPlan> make(const QList<RecoveryMember> &members, const QString &from, const QString &dataDir,
        const QStringList &etcdctlFlags, const QString &newestBackup, const QDateTime &now);

    /// The members as a snapshot sees them (the member list, and each one's answer).
    static QList<RecoveryMember> membersOf(const ClusterSnapshot &snapshot);
    /// The flags every etcdctl line of a plan needs to reach the cluster (never a password).
    static QStringList etcdctlFlags(const ConnectionSettings &settings);

    QJsonObject toJson() const;
    QString toText() const;
};

#pragma once

#include "backup/StepLog.h"
#include "common/Result.h"
#include "profile/ClusterManifest.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

class EtcdClient;

/// The steps that restoring, recovering and rolling back the demo share: stopping and
/// starting its members, moving data directories aside with a record in the step log, and
/// waiting until the members agree again. Each waits on timers or the network of a context
/// object, never blocking its thread.
namespace DemoRecoverySteps {

using Done = std::function<void(Result<void>)>;

/// "20261205T230102Z": the suffix of the directories an operation moves aside.
QString utcStamp();

/// The demo's etcd members that still run (not its HAProxy or peer-proxy helper).
QList<qint64> runningMembers(const ClusterManifest &manifest);
/// Stops every running member; Unavailable when one does not stop.
void stopMembers(const ClusterManifest &manifest, QObject *context, Done done);
/// Starts each named member that does not run, records its pid and saves the manifest.
Result<void> startMembers(ClusterManifest &manifest, const QStringList &names, const QString &initialCluster,
    bool newCluster, const QStringList &extraArguments = {});
/// startMembers on a pool thread, its answer delivered on context's thread: a fork per
/// member and a manifest written after each would stall the window's event loop. manifest
/// (an alias into the operation's state, which it keeps alive) must not be touched by
/// anything else until done runs.
void startMembersOffThread(std::shared_ptr<ClusterManifest> manifest, const QStringList &names,
    const QString &initialCluster, bool newCluster, QObject *context, Done done,
    const QStringList &extraArguments = {});
/// Every member's --initial-cluster entry, joined.
QString initialCluster(const ClusterManifest &manifest);

/// Renames from to to, after logging {"event":"aside","member","from","to"} so that an
/// interrupted run knows where the data went. Resumable: when a previous run logged the
/// same move and to exists, the move is done; a data directory that does not exist is
/// nothing to move.
Result<void> moveAside(const StepLog &log, const PendingOperation *previous, const QString &member, const QString &from,
    const QString &to);
/// One data directory for moveAsideOffThread.
struct AsideMove {
    QString member;
    QString from;
    QString to;
};
/// moveAside() of each in turn, on the thread pool (each a line written to disk, then a
/// rename); killPoint (StepLog::killPoint) is passed after the first. done runs on context's
/// thread with the first failure, or none.
void moveAsideOffThread(const StepLog &log, std::optional<PendingOperation> previous, QList<AsideMove> moves,
    const QString &killPoint, QObject *context, Done done);
/// Moves a data directory that no record of the step log accounts for (made between two
/// runs, by hand or by a member started outside them) out of the way, kept as
/// `<dir>.unexpected-<UTC time>`: what the operation did not make, it does not delete.
void keepUnexpected(const QString &dataDir);
/// Copies from to to (through to.partial, renamed once complete, so that to is never half
/// a copy) on a pool thread, logged like moveAside with "copy": true.
void copyAside(
    const StepLog &log, const QString &member, const QString &from, const QString &to, QObject *context, Done done);

/// Polls the endpoints until one reports a leader, for at most timeoutMs; clusterId, when
/// given, receives the cluster id the answer carried (a restore gives the cluster a new one).
void waitForLeader(EtcdClient &client, const QStringList &endpoints, int timeoutMs, QObject *context, Done done,
    uint64_t *clusterId = nullptr);
/// Checks that every endpoint answers (each asked again until it does, for up to 20 s: a
/// member may still be starting once the others have a leader) at revision or later and
/// that their HashKV at it agree (revision 0: the lowest revision any of them reports). notes receives what could
/// not be compared (HashKV needs the root user when authentication is on).
void checkAgreement(
    EtcdClient &client, const QStringList &endpoints, qint64 revision, QStringList *notes, QObject *context, Done done);

/// An operation's details for its answer: its own, and what every demo operation's answer
/// carries (its notes, its step log, the cluster id the members answered with, empty when
/// none did).
QJsonObject closingDetails(QJsonObject own, const QStringList &notes, const QString &stepLog, uint64_t clusterId);
/// Lets go of an operation's client once it is over, on this thread: its last answers may
/// still hold the operation's state.
void releaseClient(std::unique_ptr<EtcdClient> &client);

} // namespace DemoRecoverySteps

#pragma once

#include "common/Result.h"
#include "profile/ClusterManifest.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

/// The demo's processes on this machine: finding etcd and HAProxy, the command line a member
/// starts with, starting it detached (it outlives this program), the pid files, finding what
/// still runs of a cluster, and stopping it. Everything that waits does so on timers of a
/// context object, never blocking its thread.
namespace MemberProcesses {

/// The etcd binary to run: given (must be executable) or found on PATH.
Result<QString> locateEtcd(const QString &given);
/// HAProxy, if installed (empty otherwise).
QString locateHaproxy();

/// The URL of a demo listener: always on the loopback, https when the cluster has TLS.
QString loopbackUrl(quint16 port, bool tls);

/// etcd's flags for member of the cluster in manifest.
QStringList arguments(
    const ClusterManifest &manifest, const LocalMember &member, const QString &initialCluster, bool newCluster);
/// Starts member detached, logging to its log file; records its pid in member and DIR/NAME.pid.
/// extraArguments follow etcd's usual flags (--force-new-cluster, for a recovery).
Result<void> start(const ClusterManifest &manifest, LocalMember &member, const QString &initialCluster, bool newCluster,
    const QStringList &extraArguments = {});
void writePidFile(const QString &dir, const LocalMember &member);

/// The pids recorded in dir (pid files, cluster.json) and the given ones that still run as
/// processes of the cluster in dir: a pid whose command line does not name dir is never
/// counted, so a reused pid is not taken for a member.
QList<qint64> alive(const QString &dir, QList<qint64> pids);
/// SIGTERM (and SIGCONT, for a paused member) to each, SIGKILL after a grace period;
/// done() once they are gone or the wait is over.
void stop(const QList<qint64> &pids, QObject *context, std::function<void()> done);
/// Polls condition every 5 ms until it holds or timeoutMs passes.
void waitUntil(std::function<bool()> condition, int timeoutMs, QObject *context, std::function<void(bool)> done);

/// The last 4 KiB of a member's log.
QString logTail(const LocalMember &member);
/// Why a member exited during start-up, from its log: a port in use, or its last line.
QString diagnoseExit(const LocalMember &member);
/// Moves a data directory out of the way at once and deletes it on a pool thread: a
/// member's data may be gigabytes, and the caller may be the GUI thread.
void discardDirectory(const QString &path);

} // namespace MemberProcesses

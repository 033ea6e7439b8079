#pragma once

#include "cli/CliOptions.h"
#include "cluster/ClusterSnapshot.h"

#include <QJsonObject>
#include <QObject>
#include <functional>

class ClusterMonitor;
class EtcdClient;
class Journal;
struct OperationResult;
struct OperatorAction;

/// Base of every CLI command: runs on the event loop of a QCoreApplication, prints to
/// stdout/stderr, and ends by emitting finished(exit code) exactly once.
class CliCommand : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CliCommand)

public:
    explicit CliCommand(const CliOptions &options, QObject *parent = nullptr);
    ~CliCommand() override;

    virtual void start() = 0;
    /// A termination signal arrived (SIGINT, SIGTERM or SIGHUP). By default the command ends
    /// at once with exitCode; a command with something to put back first (the members of a
    /// half-started demo) overrides this and finishes when that is done.
    virtual void interrupt(int exitCode);

    /// For a command the process ends with: leaves the gRPC client (its channels, its
    /// completion thread and gRPC's own threads) to the process's exit rather than closing
    /// them one by one, which costs a one-shot command 2 to 5 ms, as much as its calls. The
    /// rest of the command, its journal's pending writes included, is still destroyed
    /// in order.
    void leaveClientToProcessExit();
    /// Finished (successfully or not) already: nothing more is to be started.
    bool isFinished() const { return m_finished; }

signals:
    void finished(int exitCode);

protected:
    /// Connects to the cluster and takes one snapshot; fails the command (exit 1) with a
    /// sentence when no endpoint answers, or when the endpoints answer for different clusters.
    void withSnapshot(std::function<void(const ClusterSnapshot &)> next);
    EtcdClient *client();
    ClusterMonitor *monitor();
    /// Takes snapshots (endpoints resolved already) until every member named answers with the
    /// cluster's leader at its term, or timeoutMs passes; then done(last snapshot, the members
    /// that still do not). A change to a member is done only once it is back in the cluster.
    void waitUntilFollowing(const QStringList &members, int timeoutMs,
        std::function<void(const ClusterSnapshot &, const QStringList &notYet)> done);

    /// Fails with why no endpoint answered; over TLS, with the certificate problem in words.
    void explainFailure(const ClusterSnapshot &s);
    /// Journals what the operator did from the command line, as the window journals its own
    /// operations, so that the cluster's history shows both. Written before the command exits.
    void journal(const ClusterSnapshot &s, const QString &action, const QString &target, const OperationResult &r);
    /// The same for an operation on a cluster known by its id alone (a backup file's).
    void journal(uint64_t clusterId, const QString &action, const QString &target, const OperationResult &r);
    /// An action recorded earlier (a step of a long operation, journalled once its cluster
    /// is known), with its own time.
    void journal(uint64_t clusterId, const OperatorAction &action);

    void printOut(const QString &text);
    void printJson(const QJsonObject &object);
    void printErr(const QString &text);
    /// Ends a command with the outcome of an operation: its JSON with -w json, else its
    /// sentence; exit 0, or 1 with the sentence on stderr when it did not succeed.
    void finishWith(const OperationResult &r);
    /// Prints "quorumdeck: <sentence>" on stderr and finishes with code.
    void fail(const QString &sentence, int code = 1);
    void finish(int code);

    CliOptions m_options;

private:
    EtcdClient *m_client = nullptr;
    ClusterMonitor *m_monitor = nullptr;
    Journal *m_journal = nullptr;
    bool m_finished = false;
};

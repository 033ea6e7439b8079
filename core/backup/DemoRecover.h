#pragma once

#include "cluster/OperationResult.h"
#include "common/StepChain.h"

#include <QObject>
#include <memory>

struct ConnectionSettings;

/// `demo recover --from MEMBER`: rebuilds the demo cluster from one surviving member after
/// a majority is lost. Stops every member, copies the survivor's data directory aside and
/// moves every other member's aside (`<data dir>.before-recover-<UTC time>`, kept), starts
/// the survivor once with --force-new-cluster (a cluster of one that keeps its data, its
/// member id and its cluster id), restarts it normally, then adds back each lost member in
/// turn: `member add`, start it with an empty data directory and
/// --initial-cluster-state existing, wait until it has caught up with the survivor, next.
/// Ends when every member is a started voter, a leader leads and the HashKV agree.
///
/// Loses nothing the survivor had applied; loses whatever only the lost members held.
/// Crash-safe like DemoRestore: every step and move is in the step log first; the same
/// command started again continues, DemoRollback undoes.
class DemoRecover : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoRecover)

public:
    explicit DemoRecover(QObject *parent = nullptr);
    ~DemoRecover() override;

    /// credentials: the user and password for `member add` and HashKV when the demo has
    /// authentication on and no client certificate (empty otherwise).
    void run(
        const QString &dir, const QString &survivor, const ConnectionSettings &credentials, OperationCallback done);

    /// The operator's Cancel: honoured before the members are stopped, never after (from
    /// there the run goes on to its end, or leaves its step log to finish or roll back).
    void setStopToken(const StopToken &stop) { m_stop = stop; }

signals:
    void stepStarted(const StepStart &step);
    /// How a step that ran ended, for the journal.
    void stepEnded(const QString &step, const OperationResult &result);

private:
    struct State;
    /// Answers run()'s caller once the step log is closed; unfinished is what the log adds.
    void finished(const std::shared_ptr<State> &state, const Result<void> &result, const QString &unfinished,
        const OperationCallback &done);
    std::shared_ptr<State> m_state;
    StopToken m_stop;
};

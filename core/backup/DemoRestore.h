#pragma once

#include "cluster/OperationResult.h"
#include "common/StepChain.h"

#include <QObject>
#include <memory>

/// `demo restore`: puts a backup back into the demo cluster, end to end. Verifies the file,
/// stops the members, moves each data directory aside (kept, as a sibling named
/// `<data dir>.before-restore-<UTC time>`), restores every member from the file with a new
/// cluster token, starts them, waits for a leader, and checks that every member answers at
/// the backup's revision or later with one HashKV.
///
/// Crash-safe: every step and every move is written to the demo's step log (StepLog) before
/// it happens. A restore of the same file started again after an interruption continues
/// where the last one stopped; DemoRollback puts the old data back instead.
class DemoRestore : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoRestore)

public:
    explicit DemoRestore(QObject *parent = nullptr);
    ~DemoRestore() override;

    /// etcd: the binary for the verification and the restore tool's directory (empty: the
    /// demo's own).
    void run(const QString &dir, const QString &file, const QString &etcd, OperationCallback done);

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

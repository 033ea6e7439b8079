#pragma once

#include "cluster/OperationResult.h"
#include "common/StepChain.h"

#include <QObject>
#include <memory>

/// `demo restore --rollback` and `demo recover --rollback`: puts the demo back as it was
/// before an unfinished restore or recovery. Reads what the run moved aside from the step
/// log, stops the members, moves whatever the run made (restored or re-created data) aside
/// as `<data dir>.rolled-back-<UTC time>` and each old data directory back in its place,
/// puts the old cluster token back and starts the members that have data.
///
/// Nothing is deleted, and the rollback is itself resumable: started again after an
/// interruption, it finishes the moves that remain.
class DemoRollback : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoRollback)

public:
    explicit DemoRollback(QObject *parent = nullptr);
    ~DemoRollback() override;

    /// operation: "restore" or "recover", the one the operator means to undo.
    void run(const QString &dir, const QString &operation, OperationCallback done);

signals:
    void stepStarted(const StepStart &step);
    /// How a step that ran ended, for the journal.
    void stepEnded(const QString &step, const OperationResult &result);

private:
    struct State;
    std::shared_ptr<State> m_state;
};

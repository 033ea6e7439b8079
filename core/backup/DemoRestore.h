#pragma once

#include "cluster/OperationResult.h"

#include <QObject>
#include <memory>

/// `demo restore`: puts a backup back into the demo cluster, end to end. Verifies the file,
/// stops the members, moves each data directory aside (kept, as a sibling named
/// `<data dir>.before-restore-<UTC time>`), restores every member from the file with a new
/// cluster token, starts them, waits for a leader, and checks that every member answers at
/// the backup's revision or later with one HashKV.
///
/// Each step is appended to DIR/restore-steps.log before it runs and when it ends, so that
/// what an interrupted restore did can be read back.
class DemoRestore : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoRestore)

public:
    explicit DemoRestore(QObject *parent = nullptr);
    ~DemoRestore() override;

    /// etcd: the binary for the verification and the restore tool's directory (empty: PATH).
    void run(const QString &dir, const QString &file, const QString &etcd, OperationCallback done);

signals:
    void stepStarted(const QString &step);

private:
    struct State;
    std::shared_ptr<State> m_state;
};

#pragma once

#include "cli/CliCommand.h"
#include "cluster/OperationResult.h"
#include "common/StepChain.h"
#include "demo/LocalCluster.h"
#include "journal/OperatorAction.h"

/// `quorumdeck demo up|down|status|fill|stop|kill|pause|resume|restart`: the local demo
/// cluster.
class DemoCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;
    /// An interrupted demo up stops what it had started before the command ends.
    void interrupt(int exitCode) override;

private:
    QList<OperatorAction> m_steps; ///< the steps of the running restore, rebuild or rollback
    void up();
    void status();
    /// kill, pause, resume, restart or stop one member, named by its demo name or its id.
    void act(const QString &member, LocalCluster::MemberAction action);
    /// A resumed or restarted member is done once it answers with the cluster's leader
    /// again (or the deadline passes, which fails the command with why).
    void finishOnceFollowing(const QString &name, const OperationResult &r);
    static constexpr int kRejoinDeadlineMs = 30000;
    /// Writes until etcd raises NOSPACE (or --size is written), to try the reclaim runbook.
    void fill();
    void restore(const QString &file);
    void recover(const QString &survivor);
    void rollBack(const QString &operation);
    /// Prints each step of a restore, rebuild or rollback as it starts, and keeps how each
    /// ended for the journal.
    template <typename Operation> void followSteps(Operation *op, const QString &action)
    {
        showSteps(op, &Operation::stepStarted);
        connect(op, &Operation::stepEnded, this, [this, action](const QString &step, const OperationResult &r) {
            m_steps << OperatorAction::of(action + QStringLiteral(" step"), step, r);
        });
    }
    /// Journals the steps and then the outcome, under the cluster the operation reports
    /// (a restore gives the demo a new cluster id), else under fallback.
    void journalRecovery(const QString &action, const QString &target, const OperationResult &r, uint64_t fallback);
    /// Prints each step of a long operation on stderr as it starts (not with -w json).
    template <typename Operation> void showSteps(Operation *op, void (Operation::*signal)(const StepStart &))
    {
        if (!m_options.json())
            connect(
                op, signal, this, [this](const StepStart &step) { printErr(QStringLiteral("%1 …\n").arg(step.name)); });
    }
    LocalCluster *cluster();

    LocalCluster *m_cluster = nullptr;
    bool m_starting = false; ///< a demo up is in progress
};

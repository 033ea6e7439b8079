#pragma once

#include "cli/CliCommand.h"
#include "cluster/OperationResult.h"
#include "local/LocalCluster.h"

/// `quorumdeck demo up|down|status|fill|stop|kill|pause|resume|restart`: the local demo
/// cluster.
class DemoCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void up();
    void status();
    /// kill, pause, resume, restart or stop one member, named by its demo name or its id.
    void act(const QString &member, LocalCluster::MemberAction action);
    /// Writes until etcd raises NOSPACE (or --size is written), to try the reclaim runbook.
    void fill();
    LocalCluster *cluster();

    LocalCluster *m_cluster = nullptr;
};

#pragma once

#include "cli/CliCommand.h"

/// `quorumdeck recover plan [--from MEMBER] [--data-dir PATH]`: after quorum loss, the
/// members as they answer (raft index, revision), the ways out with what each loses, and
/// the commands, host by host and in order, that rebuild the cluster from one member.
/// Prints; runs nothing.
class RecoverCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void printPlan(const ClusterSnapshot &s);
};

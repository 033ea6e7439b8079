#pragma once

#include "cli/CliCommand.h"
#include "cluster/OperationResult.h"

class MemberOps;

/// `quorumdeck member list|add|remove|promote`. Every change goes through MemberOps and its
/// pre-flight check; a refusal exits 1 with the reason.
class MemberCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void list(const ClusterSnapshot &s);
    void report(const OperationResult &r);
    MemberOps *ops();

    MemberOps *m_ops = nullptr;
};

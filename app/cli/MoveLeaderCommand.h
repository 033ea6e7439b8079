#pragma once

#include "cli/CliCommand.h"

/// `quorumdeck move-leader [MEMBER]`: finds the leader itself and asks it to hand over.
class MoveLeaderCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;
};

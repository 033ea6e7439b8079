#pragma once

#include "cli/CliCommand.h"

/// `quorumdeck demo chaos [--duration D] [--seed S]`: a seeded schedule of faults against
/// the demo cluster, then a heal and the invariant checks (exit 1 on any violation).
class ChaosCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;
};

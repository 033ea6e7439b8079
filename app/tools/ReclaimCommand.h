#pragma once

#include "cli/CliCommand.h"
#include "storage/ReclaimRunbook.h"

/// `quorumdeck defrag MEMBER|--all` and `quorumdeck reclaim [--compact]`: both run the reclaim
/// runbook — defrag without compaction or disarming, reclaim with both — printing each step
/// as it ends. Exit 0 when every step succeeded, 1 when one failed or the plan was refused.
class ReclaimCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    ReclaimRunbook *m_runbook = nullptr;
};

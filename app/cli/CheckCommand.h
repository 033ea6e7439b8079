#pragma once

#include "cli/CliCommand.h"
#include "cluster/ConsistencyReport.h"

/// `quorumdeck check consistency [-w json]`: every voter's HashKV at one revision they can
/// all hash. Exit 0 when the hashes agree, 2 when they differ (the minority named), 1 when
/// too few members answer to decide.
class CheckCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString table(const ConsistencyReport &report);
};

#pragma once

#include "cli/CliCommand.h"

/// `quorumdeck status`: one snapshot. Exit 0 when there is a leader and every member is
/// reachable, 2 when degraded, 1 when nothing answered or the arguments are wrong (endpoints
/// of different clusters among them).
class StatusCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString table(const ClusterSnapshot &s);
};

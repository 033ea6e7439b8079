#pragma once

#include "cli/CliCommand.h"
#include "cluster/ClusterEvent.h"

/// `quorumdeck events --follow`: ClusterEvents as they happen, one per line (JSON with
/// -w json), until interrupted.
class EventsCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString line(const ClusterEvent &e);
};

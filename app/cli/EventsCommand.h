#pragma once

#include "cli/CliCommand.h"
#include "cluster/ClusterEvent.h"

/// `quorumdeck events --follow`: ClusterEvents as they happen, one per line (JSON with
/// -w json), until interrupted. With a kubeconfig (--kubeconfig, or the profile's) the tools
/// module runs it as ControlPlaneEventsCommand, which adds the control plane's lease changes.
///
/// Whether a command line needs the control plane (and so the tools module).
bool eventsNeedControlPlane(const struct CliOptions &options);

class EventsCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString line(const ClusterEvent &e);

protected:
    void print(const QList<ClusterEvent> &events);
};

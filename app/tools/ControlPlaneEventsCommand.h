#pragma once

#include "cli/EventsCommand.h"

class ControlPlaneSession;

/// `quorumdeck events --follow --kubeconfig FILE` (or a profile naming a kubeconfig): etcd's
/// events as `events --follow` prints them, and the Kubernetes control plane's
/// (ComponentLeaderChanged, ComponentLeaseStale) as its leases are read, every 15 s.
class ControlPlaneEventsCommand : public EventsCommand {
    Q_OBJECT

public:
    using EventsCommand::EventsCommand;
    void start() override;

private:
    ControlPlaneSession *m_plane = nullptr;
};

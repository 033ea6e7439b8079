#pragma once

#include "cli/CliCommand.h"
#include "lb/LbSnapshot.h"

class LbMonitor;

/// `quorumdeck lb [-w json]`: the load balancer's own view of each backend next to the
/// console's probe of it, joined to the member it fronts, with the drift flags. The LB is
/// the demo cluster's (--dir) or any HAProxy (--haproxy-stats URL or --haproxy-socket PATH).
/// Exit 0 when every backend is UP and nothing drifts, 2 otherwise, 1 when the LB's view
/// cannot be read.
class LbCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void readLb(const ClusterSnapshot &cluster);
    void report(const LbSnapshot &lb);

    LbMonitor *m_lb = nullptr;
};

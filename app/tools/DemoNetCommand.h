#pragma once

#include "cli/CliCommand.h"
#include "demo/MemberNetwork.h"

class LocalCluster;

/// `quorumdeck demo net isolate|heal|delay|drop MEMBER`, `demo net status|clear`: network
/// faults on the demo members' peer proxies; and `demo net serve`, the helper process that
/// runs those proxies for a cluster the CLI started.
class DemoNetCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void serve();
    void status();
    void change(const QString &verb, const QString &member);
    /// Builds the member's new fault from its current one and the command line.
    bool nextFault(const QString &verb, NetworkFault *fault, QString *error) const;
    /// Journals what was done (once a snapshot names the cluster), then finishes with r;
    /// with waitForMember, once the member answers with the cluster's leader again.
    void journalAndFinish(
        const QString &action, const QString &target, const OperationResult &r, bool waitForMember = false);
    static constexpr int kRejoinDeadlineMs = 30000;

    LocalCluster *m_cluster = nullptr;
};

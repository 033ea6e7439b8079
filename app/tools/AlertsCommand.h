#pragma once

#include "alerts/AlertEngine.h"
#include "cli/CliCommand.h"
#include "session/MemberInstances.h"

class AlertsSession;
class LbMonitor;
class MetricsCollector;

/// `quorumdeck alerts rules`: the etcd rules as a Prometheus rules file.
/// `quorumdeck alerts watch [--duration D]`: scrape every member, evaluate the rules and
/// print each change of phase as it happens; exit 0 at the end of D or on an interrupt.
/// The rules are etcd's and the console's own over what a command can see: the
/// connection's certificates, and the load balancer --profile names.
/// `quorumdeck alerts --alertmanager URL [--cluster NAME]`: the alerts an Alertmanager holds.
/// `quorumdeck alerts`: what is pending or firing after one evaluation window (exit 2 when
/// anything is).
class AlertsCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;
    void interrupt(int exitCode) override;

    /// How long `alerts` alone scrapes before it answers: rates need two scrapes, and a
    /// member that fails its first scrape is seen down.
    static constexpr int kWindowMs = 5000;
    static constexpr int kScrapeIntervalMs = 1000;

private:
    void watch(qint64 durationMs);
    /// Starts the collector and the rules over every member of the cluster, and the load
    /// balancer's monitor when the profile names one.
    void startWatcher(std::function<void()> ready);
    QJsonObject toJson(const Alert &a) const;
    QString line(const Alert &a) const;
    /// The member's name for the alert's instance label; empty for a cluster-wide alert.
    QString member(const Alert &a) const;
    void printNow();
    /// `alerts --alertmanager URL`: what that Alertmanager holds; no etcd connection.
    void listAlertmanager();

    MetricsCollector *m_collector = nullptr;
    MemberInstances m_instances;
    AlertsSession *m_alerts = nullptr;
    LbMonitor *m_lb = nullptr;
    int m_memberCount = 0;
    bool m_watching = false;
};

#pragma once

#include "cli/CliCommand.h"

/// `quorumdeck metrics query EXPR --prometheus URL [--start T] [--end T] [--step S]`: one
/// PromQL query against a Prometheus-compatible server, instant without --start (at --end,
/// or the server's now), else over a range. -w json prints the API's own `data` object.
class MetricsQueryCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    /// Points a range gets by default: a step of (end - start) / this, at least a second.
    static constexpr int kDefaultPoints = 250;

    /// The `data` object as text: one line per series and value.
    static QString text(const QJsonObject &data);
};

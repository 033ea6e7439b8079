#pragma once

#include "cli/CliCommand.h"

/// `quorumdeck metrics scrape URL [-w json]`: one scrape, parsed. Exit 0 when it parsed
/// cleanly, 2 when some lines were rejected (the rest is printed), 1 when nothing came.
class MetricsCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void print(const QByteArray &payload);
};

#pragma once

#include "cli/CliCommand.h"

struct BackupManifest;

/// `quorumdeck restore plan FILE [--data-dir PATH]`: the commands that restore a real
/// cluster from a backup, per member's host, from the live member list when the cluster
/// answers, else from the backup's manifest. Prints; runs nothing.
class RestoreCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void printPlan(const BackupManifest &manifest, const ClusterSnapshot *live, const QString &why);
};

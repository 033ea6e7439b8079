#pragma once

#include "cli/CliCommand.h"
#include "storage/MemberStorage.h"

/// `quorumdeck volumes [-w json]`: every member's database size, what of it is in use, the
/// fragmentation, the quota and the headroom left, and the alarms raised; for a demo cluster
/// (--dir) also the disk under each member's data directory. Exit 0, or 2 when an alarm is
/// raised or a member does not answer.
class VolumesCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString table(const QList<MemberStorage> &members);
};

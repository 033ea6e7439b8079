#pragma once

#include "cli/CliCommand.h"
#include "storage/KeyspaceSummary.h"

class KeyspaceWalker;

/// `quorumdeck keyspace [--prefix P] [--depth N] [--top K] [-w json]`: key count and bytes
/// (key + value) per prefix of the first N segments, and the K largest keys, read page by
/// page at one revision, with progress on stderr.
class KeyspaceCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString table(const KeyspaceSummary &summary);

private:
    KeyspaceWalker *m_walker = nullptr;
};

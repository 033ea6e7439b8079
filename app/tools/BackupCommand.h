#pragma once

#include "cli/CliCommand.h"

struct BackupEntry;
struct SavedBackup;
struct VerifyReport;

/// `quorumdeck backup save|list|verify`: takes a backup from a member (exit 0, or 1 with
/// one sentence and nothing left on disk), lists the backups of a directory, or verifies a
/// file by restoring it into a throw-away member (exit 0 verified or hash checked, 2 a check
/// failed, 1 the check could not run).
class BackupCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void save();
    void list();
    void verify();
    void printSaved(const SavedBackup &saved);
    static QString table(const QList<BackupEntry> &entries);
};

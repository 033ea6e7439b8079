#pragma once

#include "cli/CliCommand.h"
#include "etcd/EtcdTypes.h"

/// `quorumdeck alarm list` (exit 0 with no alarm, 2 with any) and `quorumdeck alarm disarm
/// [MEMBER]` (every alarm, or the given member's), as etcdctl's alarm commands, with member
/// names beside the ids.
class AlarmCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void list(const ClusterSnapshot &s, const QString &endpoint);
    void disarm(const ClusterSnapshot &s, const QString &endpoint, const QString &member);
    QJsonObject alarmJson(const ClusterSnapshot &s, const AlarmInfo &a) const;
};

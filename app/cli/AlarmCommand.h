#pragma once

#include "cli/CliCommand.h"
#include "etcd/EtcdTypes.h"

/// `quorumdeck alarm list` (exit 0 with no alarm, 2 with any) and `quorumdeck alarm disarm
/// [MEMBER]`, with member names beside the ids. Without a member it disarms every NOSPACE
/// but leaves CORRUPT raised (exit 2, saying why); naming a member disarms all of its alarms.
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

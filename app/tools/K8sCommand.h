#pragma once

#include "cli/CliCommand.h"
#include "kube/KubeVolumes.h"

/// `quorumdeck k8s volumes [-w json] [--kubeconfig FILE] [--context NAME]`: the cluster's
/// PersistentVolumes, PersistentVolumeClaims and StorageClasses from its API server, with
/// Pending claims and Released or Failed volumes marked. Exit 0 when all three lists were
/// read, 1 when any could not be (each failure named in one sentence).
class K8sCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString table(const KubeVolumes &v);
};

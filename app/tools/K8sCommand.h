#pragma once

#include "cli/CliCommand.h"
#include "kube/ControlPlaneReport.h"
#include "kube/KubeConfig.h"
#include "kube/KubeVolumes.h"

#include <optional>

/// `quorumdeck k8s volumes [-w json] [--kubeconfig FILE] [--context NAME]`: the cluster's
/// PersistentVolumes, PersistentVolumeClaims and StorageClasses from its API server, with
/// Pending claims and Released or Failed volumes marked. Exit 0 when all three lists were
/// read, 1 when any could not be (each failure named in one sentence).
///
/// `quorumdeck k8s control-plane [-w json]`: the API servers (each directly, and through the
/// kubeconfig's server), the scheduler's and controller-manager's leases, and the masters
/// with their static pods. Exit 0 healthy, 2 anything not ready or stale (or a list that
/// could not be read), 1 no answer at all.
class K8sCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

    static QString table(const KubeVolumes &v);
    static QString table(const ControlPlaneReport &r);

private:
    /// The kubeconfig's context as --kubeconfig, --profile or the environment name it.
    std::optional<KubeCredentials> credentials();
    void volumes(const KubeCredentials &credentials);
    void controlPlane(const KubeCredentials &credentials);
};

#pragma once

#include "cli/CliCommand.h"
#include "kube/ControlPlaneReport.h"
#include "kube/KubeConfig.h"
#include "kube/KubeVolumes.h"
#include "logs/MemberLogEntry.h"

#include <QHash>

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
///
/// `quorumdeck k8s logs COMPONENT [--follow] [--tail N] [--since D] [-w json]`: one component's
/// logs from every master (its static pods through pods/log), merged by time, leadership
/// lines marked. Exit 0, 1 when a pod's log could not be read; following ends with 0 on an
/// interrupt.
class ControlPlaneLogs;

class K8sCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;
    void interrupt(int exitCode) override;

    static QString table(const KubeVolumes &v);
    static QString table(const ControlPlaneReport &r);

private:
    /// The kubeconfig's context as --kubeconfig, --profile or the environment name it.
    std::optional<KubeCredentials> credentials();
    void volumes(const KubeCredentials &credentials);
    void controlPlane(const KubeCredentials &credentials);
    void logs(const KubeCredentials &credentials);
    void printPending();

    ControlPlaneLogs *m_logs = nullptr;
    QList<MemberLogEntry> m_pending; ///< read, in time order, not yet printed
    QHash<QString, QString> m_podOfNode;
    bool m_holding = false;
    bool m_following = false;
    int m_failures = 0;
};

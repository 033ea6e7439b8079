#pragma once

#include "cluster/OperationResult.h"
#include "profile/ClusterManifest.h"

#include <QObject>

class LocalCluster;

/// The demo cluster a session runs on: the one object through which the window reaches the
/// local processes, so that it never drives a LocalCluster itself. The session owns it (and
/// through it the LocalCluster); the session's own demo operations (member actions, network
/// faults, adding members) go to cluster().
class DemoController : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoController)

public:
    /// What the window may do to one member's process: LocalCluster's actions, named here
    /// so that the window needs no header of the demo's.
    enum class MemberAction { Stop, Kill, Pause, Resume, Restart };

    /// Takes ownership of cluster.
    explicit DemoController(LocalCluster *cluster, QObject *parent = nullptr);
    ~DemoController() override;

    /// Where everything of the demo is: members and their log files, the load balancer,
    /// the certificates. Changes when a member is added or removed (changed()).
    const ClusterManifest &manifest() const;
    /// Stops every process of the demo; its data stays on disk.
    void stop(OperationCallback done);

    /// Reads the demo's manifest again, after a restore or a rebuild changed its processes
    /// (and, for a restore, its cluster token) behind the controller's back.
    void reload();

    /// For the session's operations on the processes.
    LocalCluster *cluster() const { return m_cluster; }

signals:
    void changed();

private:
    LocalCluster *m_cluster;
};

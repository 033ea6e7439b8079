#include "session/DemoController.h"

#include "demo/LocalCluster.h"

DemoController::DemoController(LocalCluster *cluster, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
{
    m_cluster->setParent(this);
    connect(m_cluster, &LocalCluster::changed, this, &DemoController::changed);
}

DemoController::~DemoController() = default;

const ClusterManifest &DemoController::manifest() const
{
    return m_cluster->manifest();
}

void DemoController::stop(OperationCallback done)
{
    m_cluster->down(std::move(done));
}

void DemoController::reload()
{
    // A small file of the demo's own, read where the processes were started.
    if (m_cluster->attach(manifest().dir))
        emit changed();
}

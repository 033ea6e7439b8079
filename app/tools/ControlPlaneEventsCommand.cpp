#include "tools/ControlPlaneEventsCommand.h"

#include "cli/CliOptions.h"
#include "session/ControlPlaneSession.h"

void ControlPlaneEventsCommand::start()
{
    EventsCommand::start();
    if (isFinished())
        return;
    m_plane = new ControlPlaneSession(this);
    m_plane->setKubeconfigPaths(
        {m_options.isSet(QStringLiteral("kubeconfig")) ? m_options.value(QStringLiteral("kubeconfig"))
                                                       : m_options.profile->kubeconfig});
    if (m_options.profile)
        m_plane->setApiServers(m_options.profile->apiServers);
    connect(m_plane, &ControlPlaneSession::eventsOccurred, this, &ControlPlaneEventsCommand::print);
    // The control plane out of reach is said, once each time it changes; etcd's events go on.
    connect(m_plane, &ControlPlaneSession::unavailableChanged, this, [this](const QString &why) {
        if (!why.isEmpty())
            printErr(QStringLiteral("quorumdeck: control plane: %1\n").arg(why));
    });
    auto first = std::make_shared<QMetaObject::Connection>();
    *first = connect(m_plane, &ControlPlaneSession::reportReady, this, [this, first](const ControlPlaneReport &r) {
        disconnect(*first);
        QStringList leaders;
        for (const KubeLease &l : r.leases)
            leaders << QStringLiteral("%1 led by %2")
                           .arg(l.name, l.holder.isEmpty() ? QStringLiteral("nobody") : l.holderNode());
        printErr(QStringLiteral("following the control plane at %1: %2\n")
                     .arg(r.server, leaders.isEmpty() ? QStringLiteral("no component leases") : leaders.join(", ")));
    });
    m_plane->start();
}

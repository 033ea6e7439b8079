#include "kube/ControlPlaneReport.h"

#include <QJsonArray>
#include <algorithm>

bool ControlPlaneReport::unanswered() const
{
    // A server that refuses these credentials tells nothing either.
    const bool anyServer = std::any_of(apiServers.begin(), apiServers.end(), [](const ApiServerState &a) {
        return a.error.isEmpty() && a.ready.httpStatus != 401 && a.ready.httpStatus != 403;
    });
    return !anyServer && leases.isEmpty() && masters.isEmpty();
}

QStringList ControlPlaneReport::drift() const
{
    QStringList out;
    for (const ApiServerState &a : apiServers)
        if (!a.drift.isEmpty())
            out << a.drift;
    return out + strayBackends;
}

bool ControlPlaneReport::isHealthy() const
{
    return problems.isEmpty() && !apiServers.isEmpty() && drift().isEmpty()
        && std::all_of(apiServers.begin(), apiServers.end(), [](const ApiServerState &a) { return a.isReady(); })
        && std::none_of(leases.begin(), leases.end(), [this](const KubeLease &l) { return l.isStale(readAt); })
        && std::all_of(masters.begin(), masters.end(), [](const ControlPlaneNode &m) { return m.isHealthy(); });
}

QJsonObject ControlPlaneReport::toJson() const
{
    QJsonArray servers, leaseList, masterList;
    for (const ApiServerState &a : apiServers)
        servers << a.toJson();
    for (const KubeLease &l : leases)
        leaseList << l.toJson(readAt);
    for (const ControlPlaneNode &m : masters)
        masterList << m.toJson();
    QJsonObject o {{QStringLiteral("server"), server}, {QStringLiteral("context"), context},
        {QStringLiteral("apiServers"), servers}, {QStringLiteral("leases"), leaseList},
        {QStringLiteral("masters"), masterList}, {QStringLiteral("problems"), QJsonArray::fromStringList(problems)}};
    if (balancer) {
        o.insert(QStringLiteral("loadBalancer"), balancer->toJson());
        o.insert(QStringLiteral("drift"), QJsonArray::fromStringList(drift()));
    }
    return o;
}

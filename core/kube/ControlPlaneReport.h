#pragma once

#include "kube/ApiServerBalancer.h"
#include "kube/ApiServerState.h"
#include "kube/ControlPlaneNode.h"
#include "kube/KubeLease.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <optional>

/// The Kubernetes control plane at one moment: its API servers (each directly, and the
/// kubeconfig's server), the scheduler's and controller-manager's leases, and the masters.
struct ControlPlaneReport {
    QString server; ///< the kubeconfig's
    QString context;
    QList<ApiServerState> apiServers; ///< directly first, by address; the kubeconfig's last
    QList<KubeLease> leases; ///< kube-controller-manager, kube-scheduler (those that exist)
    QList<ControlPlaneNode> masters;
    QStringList problems; ///< one sentence for each list that could not be read
    /// The HAProxy in front of the API servers, when the profile names its stats.
    std::optional<ApiServerBalancer> balancer;
    /// Servers of that HAProxy's backend that are no API server, one sentence each.
    QStringList strayBackends;
    QDateTime readAt;

    /// Nothing could be read at all: the API is out of reach (or refuses these credentials).
    bool unanswered() const;
    /// Every API server live and ready, every lease held and renewed, every master ready with
    /// its pods running, every list read, and no drift between the API servers and HAProxy.
    bool isHealthy() const;
    /// The drift between the API servers and the HAProxy in front, one sentence each.
    QStringList drift() const;
    /// apiServers, leases, masters, problems, server, context; loadBalancer and drift when
    /// the HAProxy in front is known.
    QJsonObject toJson() const;
};

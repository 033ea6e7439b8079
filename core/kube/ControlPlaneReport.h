#pragma once

#include "kube/ApiServerState.h"
#include "kube/ControlPlaneNode.h"
#include "kube/KubeLease.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

/// The Kubernetes control plane at one moment: its API servers (each directly, and the
/// kubeconfig's server), the scheduler's and controller-manager's leases, and the masters.
struct ControlPlaneReport {
    QString server; ///< the kubeconfig's
    QString context;
    QList<ApiServerState> apiServers; ///< directly first, by address; the kubeconfig's last
    QList<KubeLease> leases; ///< kube-controller-manager, kube-scheduler (those that exist)
    QList<ControlPlaneNode> masters;
    QStringList problems; ///< one sentence for each list that could not be read
    QDateTime readAt;

    /// Nothing could be read at all: the API is out of reach (or refuses these credentials).
    bool unanswered() const;
    /// Every API server live and ready, every lease held and renewed, every master ready with
    /// its pods running, and every list read.
    bool isHealthy() const;
    /// apiServers, leases, masters, problems, server, context.
    QJsonObject toJson() const;
};

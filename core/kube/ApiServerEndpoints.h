#pragma once

#include <QJsonObject>
#include <QList>
#include <QStringList>

/// The API servers behind the `kubernetes` Service: every address:port of the
/// EndpointSlices (discovery.k8s.io/v1) labelled kubernetes.io/service-name=kubernetes in
/// `default`, each one API server (several may share an IP on different ports).
namespace ApiServerEndpoints {

/// The label selector to list them with.
constexpr const char *kSelector = "kubernetes.io/service-name=kubernetes";

/// "10.0.0.11:6443", "[fd00::11]:6443": each address with each port, sorted, no duplicates;
/// endpoints whose ready condition is false are left out only when `readyOnly`.
QStringList addresses(const QList<QJsonObject> &slices, bool readyOnly = false);

} // namespace ApiServerEndpoints

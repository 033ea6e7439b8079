#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

/// A Kubernetes object as the API server stores it in etcd in protobuf form: "k8s\0" and a
/// runtime.Unknown message naming the object's apiVersion and kind around its bytes.
struct KubeStorageEnvelope {
    QString apiVersion; ///< "v1", "apps/v1"
    QString kind; ///< "Pod", "Deployment"
    QString contentType; ///< usually empty (protobuf) for stored objects
    qint64 rawBytes = 0; ///< the object itself

    static bool looksLikeOne(const QByteArray &value) { return value.startsWith(QByteArrayView("k8s\0", 4)); }
    /// The envelope of a stored value; nullopt when the value is not one, or is damaged.
    static std::optional<KubeStorageEnvelope> decode(const QByteArray &value);
};

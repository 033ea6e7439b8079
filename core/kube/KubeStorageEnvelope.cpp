#include "kube/KubeStorageEnvelope.h"

#include "runtime.pb.h"

std::optional<KubeStorageEnvelope> KubeStorageEnvelope::decode(const QByteArray &value)
{
    if (!looksLikeOne(value))
        return std::nullopt;
    quorumdeck::k8s::Unknown unknown;
    if (!unknown.ParseFromArray(value.constData() + 4, int(value.size() - 4)))
        return std::nullopt;
    KubeStorageEnvelope e;
    e.apiVersion = QString::fromStdString(unknown.typemeta().apiversion());
    e.kind = QString::fromStdString(unknown.typemeta().kind());
    e.contentType = QString::fromStdString(unknown.contenttype());
    e.rawBytes = qint64(unknown.raw().size());
    if (e.kind.isEmpty())
        return std::nullopt;
    return e;
}

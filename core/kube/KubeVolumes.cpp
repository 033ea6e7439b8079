#include "kube/KubeVolumes.h"

#include <QJsonArray>

namespace {

QDateTime timestamp(const QJsonObject &metadata)
{
    return QDateTime::fromString(metadata.value(QStringLiteral("creationTimestamp")).toString(), Qt::ISODate);
}

QStringList modesOf(const QJsonObject &spec)
{
    QStringList out;
    for (const QJsonValue &m : spec.value(QStringLiteral("accessModes")).toArray())
        out << shortAccessMode(m.toString());
    return out;
}

QString text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QJsonObject object(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toObject();
}

/// The volume plugin a PV's spec names, with what identifies the volume in it.
QString volumeSource(const QJsonObject &spec)
{
    if (const QJsonObject nfs = object(spec, "nfs"); !nfs.isEmpty())
        return QStringLiteral("nfs %1:%2").arg(text(nfs, "server"), text(nfs, "path"));
    if (const QJsonObject csi = object(spec, "csi"); !csi.isEmpty())
        return QStringLiteral("csi %1").arg(text(csi, "driver"));
    if (const QJsonObject host = object(spec, "hostPath"); !host.isEmpty())
        return QStringLiteral("hostPath %1").arg(text(host, "path"));
    if (const QJsonObject local = object(spec, "local"); !local.isEmpty())
        return QStringLiteral("local %1").arg(text(local, "path"));
    if (const QJsonObject iscsi = object(spec, "iscsi"); !iscsi.isEmpty())
        return QStringLiteral("iscsi %1").arg(text(iscsi, "targetPortal"));
    if (const QJsonObject fc = object(spec, "fc"); !fc.isEmpty())
        return QStringLiteral("fc");
    if (const QJsonObject rbd = object(spec, "rbd"); !rbd.isEmpty())
        return QStringLiteral("rbd %1").arg(text(rbd, "image"));
    if (const QJsonObject ceph = object(spec, "cephfs"); !ceph.isEmpty())
        return QStringLiteral("cephfs");
    if (const QJsonObject ebs = object(spec, "awsElasticBlockStore"); !ebs.isEmpty())
        return QStringLiteral("awsElasticBlockStore %1").arg(text(ebs, "volumeID"));
    if (const QJsonObject gce = object(spec, "gcePersistentDisk"); !gce.isEmpty())
        return QStringLiteral("gcePersistentDisk %1").arg(text(gce, "pdName"));
    if (const QJsonObject azure = object(spec, "azureDisk"); !azure.isEmpty())
        return QStringLiteral("azureDisk %1").arg(text(azure, "diskName"));
    // Any other in-tree plugin: its key is the one object in the spec that is none of the
    // generic fields.
    static const QStringList generic = {QStringLiteral("capacity"), QStringLiteral("accessModes"),
        QStringLiteral("claimRef"), QStringLiteral("nodeAffinity"), QStringLiteral("mountOptions")};
    for (auto it = spec.begin(); it != spec.end(); ++it)
        if (it.value().isObject() && !generic.contains(it.key()))
            return it.key();
    return {};
}

} // namespace

QString shortAccessMode(const QString &mode)
{
    if (mode == QLatin1String("ReadWriteOnce"))
        return QStringLiteral("RWO");
    if (mode == QLatin1String("ReadOnlyMany"))
        return QStringLiteral("ROX");
    if (mode == QLatin1String("ReadWriteMany"))
        return QStringLiteral("RWX");
    if (mode == QLatin1String("ReadWriteOncePod"))
        return QStringLiteral("RWOP");
    return mode;
}

QString kubeAge(const QDateTime &created, const QDateTime &now)
{
    if (!created.isValid())
        return QStringLiteral("<unknown>");
    const qint64 s = qMax<qint64>(0, created.secsTo(now));
    if (s < 120)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600 * 3)
        return QStringLiteral("%1m").arg(s / 60);
    if (s < 86400 * 2)
        return QStringLiteral("%1h").arg(s / 3600);
    if (s < 86400 * 365 * 2)
        return QStringLiteral("%1d").arg(s / 86400);
    return QStringLiteral("%1y").arg(s / (86400 * 365));
}

bool KubePersistentVolume::needsAttention() const
{
    return phase == QLatin1String("Released") || phase == QLatin1String("Failed");
}

KubePersistentVolume KubePersistentVolume::fromJson(const QJsonObject &item)
{
    const QJsonObject metadata = object(item, "metadata");
    const QJsonObject spec = object(item, "spec");
    const QJsonObject status = object(item, "status");
    KubePersistentVolume v;
    v.name = text(metadata, "name");
    v.created = timestamp(metadata);
    v.capacity = text(object(spec, "capacity"), "storage");
    v.accessModes = modesOf(spec);
    v.reclaimPolicy = text(spec, "persistentVolumeReclaimPolicy");
    v.storageClass = text(spec, "storageClassName");
    v.phase = text(status, "phase");
    v.reason = text(status, "message");
    if (v.reason.isEmpty())
        v.reason = text(status, "reason");
    if (const QJsonObject claim = object(spec, "claimRef"); !claim.isEmpty())
        v.claim = text(claim, "namespace") + QLatin1Char('/') + text(claim, "name");
    v.source = volumeSource(spec);
    return v;
}

QJsonObject KubePersistentVolume::toJson() const
{
    return {
        {QStringLiteral("name"), name},
        {QStringLiteral("capacity"), capacity},
        {QStringLiteral("accessModes"), QJsonArray::fromStringList(accessModes)},
        {QStringLiteral("reclaimPolicy"), reclaimPolicy},
        {QStringLiteral("phase"), phase},
        {QStringLiteral("claim"), claim},
        {QStringLiteral("storageClass"), storageClass},
        {QStringLiteral("source"), source},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("created"), created.toString(Qt::ISODate)},
        {QStringLiteral("needsAttention"), needsAttention()},
    };
}

bool KubeVolumeClaim::needsAttention() const
{
    return phase == QLatin1String("Pending") || phase == QLatin1String("Lost");
}

KubeVolumeClaim KubeVolumeClaim::fromJson(const QJsonObject &item)
{
    const QJsonObject metadata = object(item, "metadata");
    const QJsonObject spec = object(item, "spec");
    const QJsonObject status = object(item, "status");
    KubeVolumeClaim c;
    c.ns = text(metadata, "namespace");
    c.name = text(metadata, "name");
    c.created = timestamp(metadata);
    c.phase = text(status, "phase");
    c.volume = text(spec, "volumeName");
    c.capacity = text(object(status, "capacity"), "storage");
    if (c.capacity.isEmpty())
        c.capacity = text(object(object(spec, "resources"), "requests"), "storage");
    c.accessModes = modesOf(status.contains(QLatin1String("accessModes")) ? status : spec);
    c.storageClass = text(spec, "storageClassName");
    return c;
}

QJsonObject KubeVolumeClaim::toJson() const
{
    return {
        {QStringLiteral("namespace"), ns},
        {QStringLiteral("name"), name},
        {QStringLiteral("phase"), phase},
        {QStringLiteral("volume"), volume},
        {QStringLiteral("capacity"), capacity},
        {QStringLiteral("accessModes"), QJsonArray::fromStringList(accessModes)},
        {QStringLiteral("storageClass"), storageClass},
        {QStringLiteral("created"), created.toString(Qt::ISODate)},
        {QStringLiteral("needsAttention"), needsAttention()},
    };
}

KubeStorageClass KubeStorageClass::fromJson(const QJsonObject &item)
{
    const QJsonObject metadata = object(item, "metadata");
    KubeStorageClass c;
    c.name = text(metadata, "name");
    c.created = timestamp(metadata);
    c.provisioner = text(item, "provisioner");
    c.reclaimPolicy = text(item, "reclaimPolicy");
    if (c.reclaimPolicy.isEmpty())
        c.reclaimPolicy = QStringLiteral("Delete");
    c.bindingMode = text(item, "volumeBindingMode");
    if (c.bindingMode.isEmpty())
        c.bindingMode = QStringLiteral("Immediate");
    c.allowExpansion = item.value(QStringLiteral("allowVolumeExpansion")).toBool();
    const QJsonObject annotations = object(metadata, "annotations");
    c.isDefault = text(annotations, "storageclass.kubernetes.io/is-default-class") == QLatin1String("true")
        || text(annotations, "storageclass.beta.kubernetes.io/is-default-class") == QLatin1String("true");
    return c;
}

QJsonObject KubeStorageClass::toJson() const
{
    return {
        {QStringLiteral("name"), name},
        {QStringLiteral("provisioner"), provisioner},
        {QStringLiteral("reclaimPolicy"), reclaimPolicy},
        {QStringLiteral("volumeBindingMode"), bindingMode},
        {QStringLiteral("allowVolumeExpansion"), allowExpansion},
        {QStringLiteral("default"), isDefault},
        {QStringLiteral("created"), created.toString(Qt::ISODate)},
    };
}

QJsonObject KubeVolumes::toJson() const
{
    QJsonArray pvs, pvcs, scs;
    for (const auto &v : volumes)
        pvs << v.toJson();
    for (const auto &c : claims)
        pvcs << c.toJson();
    for (const auto &c : classes)
        scs << c.toJson();
    return {
        {QStringLiteral("server"), server},
        {QStringLiteral("context"), context},
        {QStringLiteral("persistentVolumes"), pvs},
        {QStringLiteral("persistentVolumeClaims"), pvcs},
        {QStringLiteral("storageClasses"), scs},
        {QStringLiteral("errors"), QJsonArray::fromStringList(errors)},
    };
}

#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

/// A PersistentVolume (core/v1), reduced to what an operator scans for.
struct KubePersistentVolume {
    QString name;
    QString capacity; ///< as the API writes it: "10Gi"
    QStringList accessModes; ///< short forms: RWO, ROX, RWX, RWOP
    QString reclaimPolicy; ///< Retain, Delete, Recycle
    QString phase; ///< Pending, Available, Bound, Released, Failed
    QString claim; ///< "namespace/name" of the claim bound to it
    QString storageClass;
    QString source; ///< "nfs 10.0.0.5:/exports/a", "csi ebs.csi.aws.com", "hostPath /mnt/data", ...
    QString reason; ///< status.message / reason, for Failed volumes
    QDateTime created;

    /// Released and Failed volumes need a person: their data is still there, unclaimed.
    bool needsAttention() const;
    QJsonObject toJson() const;
    static KubePersistentVolume fromJson(const QJsonObject &item);
};

/// A PersistentVolumeClaim (core/v1).
struct KubeVolumeClaim {
    QString ns;
    QString name;
    QString phase; ///< Pending, Bound, Lost
    QString volume; ///< spec.volumeName
    QString capacity; ///< granted (status.capacity), else requested
    QStringList accessModes;
    QString storageClass;
    QDateTime created;

    /// Pending claims leave pods waiting; Lost ones lost their volume.
    bool needsAttention() const;
    QJsonObject toJson() const;
    static KubeVolumeClaim fromJson(const QJsonObject &item);
};

/// A StorageClass (storage.k8s.io/v1).
struct KubeStorageClass {
    QString name;
    QString provisioner;
    QString reclaimPolicy; ///< Delete when the API leaves it out
    QString bindingMode; ///< Immediate, WaitForFirstConsumer
    bool allowExpansion = false;
    bool isDefault = false;
    QDateTime created;

    QJsonObject toJson() const;
    static KubeStorageClass fromJson(const QJsonObject &item);
};

/// Everything `k8s volumes` shows: the three lists, and for each list that could not be read
/// the sentence saying why.
struct KubeVolumes {
    QString server;
    QString context;
    QList<KubePersistentVolume> volumes;
    QList<KubeVolumeClaim> claims;
    QList<KubeStorageClass> classes;
    QStringList errors;

    bool ok() const { return errors.isEmpty(); }
    QJsonObject toJson() const;
};

/// "RWO" for "ReadWriteOnce" and so on, as kubectl prints them.
QString shortAccessMode(const QString &mode);
/// kubectl's age: "45s", "12m", "5h", "3d", "2y".
QString kubeAge(const QDateTime &created, const QDateTime &now = QDateTime::currentDateTimeUtc());

Q_DECLARE_METATYPE(KubeVolumes)

#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

/// A control-plane component's pod on a master (kube-apiserver, etcd, kube-scheduler,
/// kube-controller-manager: kubeadm runs them as static pods in kube-system).
struct StaticPod {
    QString name; ///< "kube-apiserver-master1"
    QString component; ///< its `component` label, e.g. "kube-apiserver"
    QString node; ///< spec.nodeName
    QString phase; ///< Pending, Running, Succeeded, Failed, Unknown
    bool ready = false; ///< every container ready
    int restarts = 0; ///< summed over its containers
    QString lastTermination; ///< the last terminated state's reason, e.g. "OOMKilled", "Error"
    QString waiting; ///< a container's waiting reason now, e.g. "CrashLoopBackOff"

    static StaticPod fromJson(const QJsonObject &pod);
    /// kubeadm labels its static pods tier=control-plane.
    static bool isControlPlane(const QJsonObject &pod);
    QJsonObject toJson() const;
};

/// A master: a node labelled node-role.kubernetes.io/control-plane (or the older
/// node-role.kubernetes.io/master), its Ready condition and kubelet, and its static pods.
struct ControlPlaneNode {
    QString name;
    bool ready = false; ///< the Ready condition's status is "True"
    QDateTime readySince; ///< the Ready condition's lastTransitionTime
    QString readyReason; ///< its reason when not ready, e.g. "KubeletNotReady"
    QString kubeletVersion;
    QList<StaticPod> pods;

    static bool isControlPlane(const QJsonObject &node);
    static ControlPlaneNode fromJson(const QJsonObject &node);
    /// Masters among nodes, each with its control-plane pods, sorted by name.
    static QList<ControlPlaneNode> fromLists(const QList<QJsonObject> &nodes, const QList<QJsonObject> &pods);
    /// Ready, and every pod running and ready.
    bool isHealthy() const;
    /// name, ready, readySince, kubeletVersion, pods.
    QJsonObject toJson() const;
};

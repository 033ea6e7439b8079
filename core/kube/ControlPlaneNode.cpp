#include "kube/ControlPlaneNode.h"

#include <QJsonArray>
#include <algorithm>

namespace {

QJsonObject object(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toObject();
}

} // namespace

StaticPod StaticPod::fromJson(const QJsonObject &pod)
{
    StaticPod p;
    const QJsonObject metadata = object(pod, "metadata");
    p.name = metadata[QStringLiteral("name")].toString();
    p.component = object(metadata, "labels")[QStringLiteral("component")].toString();
    p.node = object(pod, "spec")[QStringLiteral("nodeName")].toString();
    const QJsonObject status = object(pod, "status");
    p.phase = status[QStringLiteral("phase")].toString();
    const QJsonArray containers = status[QStringLiteral("containerStatuses")].toArray();
    p.ready = !containers.isEmpty();
    for (const QJsonValue &c : containers) {
        p.ready &= c[QStringLiteral("ready")].toBool();
        p.restarts += c[QStringLiteral("restartCount")].toInt();
        const QString terminated
            = c[QStringLiteral("lastState")][QStringLiteral("terminated")][QStringLiteral("reason")].toString();
        if (!terminated.isEmpty())
            p.lastTermination = terminated;
        const QString waiting
            = c[QStringLiteral("state")][QStringLiteral("waiting")][QStringLiteral("reason")].toString();
        if (!waiting.isEmpty())
            p.waiting = waiting;
    }
    return p;
}

bool StaticPod::isControlPlane(const QJsonObject &pod)
{
    return object(object(pod, "metadata"), "labels")[QStringLiteral("tier")].toString()
        == QLatin1String("control-plane");
}

QJsonObject StaticPod::toJson() const
{
    auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    return {{QStringLiteral("name"), name}, {QStringLiteral("component"), component}, {QStringLiteral("phase"), phase},
        {QStringLiteral("ready"), ready}, {QStringLiteral("restarts"), restarts},
        {QStringLiteral("lastTermination"), orNull(lastTermination)}, {QStringLiteral("waiting"), orNull(waiting)}};
}

bool ControlPlaneNode::isControlPlane(const QJsonObject &node)
{
    const QJsonObject labels = object(object(node, "metadata"), "labels");
    return labels.contains(QStringLiteral("node-role.kubernetes.io/control-plane"))
        || labels.contains(QStringLiteral("node-role.kubernetes.io/master"));
}

ControlPlaneNode ControlPlaneNode::fromJson(const QJsonObject &node)
{
    ControlPlaneNode n;
    n.name = object(node, "metadata")[QStringLiteral("name")].toString();
    const QJsonObject status = object(node, "status");
    n.kubeletVersion = object(status, "nodeInfo")[QStringLiteral("kubeletVersion")].toString();
    for (const QJsonValue &c : status[QStringLiteral("conditions")].toArray()) {
        if (c[QStringLiteral("type")].toString() != QLatin1String("Ready"))
            continue;
        n.ready = c[QStringLiteral("status")].toString() == QLatin1String("True");
        n.readySince = QDateTime::fromString(c[QStringLiteral("lastTransitionTime")].toString(), Qt::ISODate).toUTC();
        if (!n.ready)
            n.readyReason = c[QStringLiteral("reason")].toString();
    }
    return n;
}

QList<ControlPlaneNode> ControlPlaneNode::fromLists(const QList<QJsonObject> &nodes, const QList<QJsonObject> &pods)
{
    QList<ControlPlaneNode> out;
    for (const QJsonObject &node : nodes) {
        if (isControlPlane(node))
            out << fromJson(node);
    }
    for (const QJsonObject &json : pods) {
        if (!StaticPod::isControlPlane(json))
            continue;
        const StaticPod pod = StaticPod::fromJson(json);
        for (ControlPlaneNode &n : out) {
            if (n.name == pod.node)
                n.pods << pod;
        }
    }
    std::sort(
        out.begin(), out.end(), [](const ControlPlaneNode &a, const ControlPlaneNode &b) { return a.name < b.name; });
    for (ControlPlaneNode &n : out) {
        std::sort(n.pods.begin(), n.pods.end(),
            [](const StaticPod &a, const StaticPod &b) { return a.component < b.component; });
    }
    return out;
}

bool ControlPlaneNode::isHealthy() const
{
    return ready && std::all_of(pods.begin(), pods.end(), [](const StaticPod &p) {
        return p.ready && p.phase == QLatin1String("Running");
    });
}

QJsonObject ControlPlaneNode::toJson() const
{
    QJsonArray list;
    for (const StaticPod &p : pods)
        list << p.toJson();
    return {{QStringLiteral("name"), name}, {QStringLiteral("ready"), ready},
        {QStringLiteral("readySince"),
            readySince.isValid() ? QJsonValue(readySince.toString(Qt::ISODate)) : QJsonValue()},
        {QStringLiteral("kubeletVersion"), kubeletVersion}, {QStringLiteral("pods"), list}};
}

#include "tools/K8sCommand.h"

#include "cli/TextTable.h"
#include "kube/ControlPlaneReader.h"
#include "kube/KubeClient.h"
#include "kube/KubeConfig.h"

void K8sCommand::start()
{
    const QString sub = m_options.positional.value(0);
    if (m_options.positional.size() != 1
        || (sub != QLatin1String("volumes") && sub != QLatin1String("control-plane"))) {
        fail(QStringLiteral("usage: quorumdeck k8s volumes|control-plane [--kubeconfig FILE] [--context NAME]"));
        return;
    }
    const std::optional<KubeCredentials> resolved = credentials();
    if (!resolved)
        return;
    if (sub == QLatin1String("volumes"))
        volumes(*resolved);
    else
        controlPlane(*resolved);
}

std::optional<KubeCredentials> K8sCommand::credentials()
{
    QStringList paths = KubeConfig::defaultPaths();
    if (m_options.isSet(QStringLiteral("kubeconfig")))
        paths = {m_options.value(QStringLiteral("kubeconfig"))};
    else if (m_options.profile && !m_options.profile->kubeconfig.isEmpty())
        paths = {m_options.profile->kubeconfig};
    const Result<KubeCredentials> resolved
        = KubeConfig::credentialsFrom(paths, m_options.value(QStringLiteral("context")));
    if (!resolved) {
        fail(resolved.error().describe());
        return std::nullopt;
    }
    return resolved.value();
}

void K8sCommand::volumes(const KubeCredentials &credentials)
{
    auto *kube = new KubeClient(credentials, this);
    kube->setTimeoutMs(qMax(m_options.settings.deadlines.readMs, 10000));
    kube->listVolumes([this](const KubeVolumes &v) {
        if (m_options.json())
            printJson(v.toJson());
        else
            printOut(table(v));
        if (!v.ok()) {
            for (const QString &e : v.errors)
                printErr(QStringLiteral("quorumdeck: %1\n").arg(e));
            finish(1);
            return;
        }
        finish(0);
    });
}

void K8sCommand::controlPlane(const KubeCredentials &credentials)
{
    auto *reader = new ControlPlaneReader(credentials, this);
    if (m_options.profile)
        reader->setApiServers(m_options.profile->apiServers);
    reader->setTimeoutMs(qMax(m_options.settings.deadlines.readMs, 5000));
    reader->read([this](const ControlPlaneReport &r) {
        if (m_options.json())
            printJson(r.toJson());
        else
            printOut(table(r));
        for (const QString &p : r.problems)
            printErr(QStringLiteral("quorumdeck: %1\n").arg(p));
        finish(r.unanswered() ? 1 : r.isHealthy() ? 0 : 2);
    });
}

QString K8sCommand::table(const ControlPlaneReport &r)
{
    QString out = QStringLiteral("context %1 · %2\n\n").arg(r.context, r.server);
    TextTable servers(
        {QStringLiteral("API SERVER"), QStringLiteral("VIA"), QStringLiteral("LIVE"), QStringLiteral("READY"),
            QStringLiteral("VERSION"), QStringLiteral("RESPONSE"), QStringLiteral("CERT EXPIRES")});
    for (const ApiServerState &a : r.apiServers) {
        const QString ready = !a.error.isEmpty() ? QStringLiteral("no answer: ") + a.error
            : a.ready.ok                         ? QStringLiteral("ready")
                                                 : a.ready.describe(QStringLiteral("ready"));
        servers.addRow({a.address, a.viaLoadBalancer ? QStringLiteral("kubeconfig") : QStringLiteral("direct"),
            a.error.isEmpty() ? (a.live.ok ? QStringLiteral("live") : a.live.describe(QStringLiteral("live")))
                              : QStringLiteral("-"),
            ready, a.version.isEmpty() ? QStringLiteral("-") : a.version,
            a.responseMs >= 0 ? QStringLiteral("%1 ms").arg(a.responseMs) : QStringLiteral("-"),
            a.certExpiry.isValid() ? a.certExpiry.toString(Qt::ISODate) : QStringLiteral("-")});
    }
    TextTable leases({QStringLiteral("LEASE"), QStringLiteral("HOLDER"), QStringLiteral("RENEWED"),
        QStringLiteral("DURATION"), QStringLiteral("TRANSITIONS"), QStringLiteral("STATE")});
    for (const KubeLease &l : r.leases)
        leases.addRow({l.name, l.holder.isEmpty() ? QStringLiteral("(none)") : l.holderNode(),
            l.renewTime.isValid() ? QStringLiteral("%1 s ago").arg(l.renewTime.secsTo(r.readAt)) : QStringLiteral("-"),
            QStringLiteral("%1 s").arg(l.leaseDurationSeconds), QString::number(l.transitions),
            l.isStale(r.readAt) ? QStringLiteral("STALE") : QStringLiteral("held")});
    TextTable masters({QStringLiteral("MASTER"), QStringLiteral("READY"), QStringLiteral("KUBELET"),
        QStringLiteral("POD"), QStringLiteral("PHASE"), QStringLiteral("READY"), QStringLiteral("RESTARTS"),
        QStringLiteral("LAST TERMINATION")});
    for (const ControlPlaneNode &m : r.masters) {
        const QString nodeReady = m.ready ? QStringLiteral("yes") : QStringLiteral("no (%1)").arg(m.readyReason);
        if (m.pods.isEmpty())
            masters.addRow(
                {m.name, nodeReady, m.kubeletVersion, QStringLiteral("-"), QString(), QString(), QString(), QString()});
        for (qsizetype i = 0; i < m.pods.size(); ++i) {
            const StaticPod &p = m.pods[i];
            masters.addRow(
                {i == 0 ? m.name : QString(), i == 0 ? nodeReady : QString(), i == 0 ? m.kubeletVersion : QString(),
                    p.component, p.waiting.isEmpty() ? p.phase : QStringLiteral("%1 (%2)").arg(p.phase, p.waiting),
                    p.ready ? QStringLiteral("yes") : QStringLiteral("no"), QString::number(p.restarts),
                    p.lastTermination.isEmpty() ? QStringLiteral("-") : p.lastTermination});
        }
    }
    out += servers.toString() + QLatin1Char('\n') + leases.toString() + QLatin1Char('\n') + masters.toString();
    return out;
}

QString K8sCommand::table(const KubeVolumes &v)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString out = QStringLiteral("context %1 · %2\n\n").arg(v.context, v.server);
    // "!" marks what needs a person, so that it stands out in a long listing.
    TextTable pvs({QString(), QStringLiteral("PERSISTENT VOLUME"), QStringLiteral("CAPACITY"), QStringLiteral("ACCESS"),
        QStringLiteral("RECLAIM"), QStringLiteral("STATUS"), QStringLiteral("CLAIM"), QStringLiteral("STORAGECLASS"),
        QStringLiteral("SOURCE"), QStringLiteral("AGE")});
    for (const KubePersistentVolume &p : v.volumes)
        pvs.addRow({p.needsAttention() ? QStringLiteral("!") : QString(), p.name, p.capacity,
            p.accessModes.join(QLatin1Char(',')), p.reclaimPolicy, p.phase, p.claim, p.storageClass, p.source,
            kubeAge(p.created, now)});
    TextTable pvcs({QString(), QStringLiteral("NAMESPACE"), QStringLiteral("CLAIM"), QStringLiteral("STATUS"),
        QStringLiteral("VOLUME"), QStringLiteral("CAPACITY"), QStringLiteral("ACCESS"), QStringLiteral("STORAGECLASS"),
        QStringLiteral("AGE")});
    for (const KubeVolumeClaim &c : v.claims)
        pvcs.addRow({c.needsAttention() ? QStringLiteral("!") : QString(), c.ns, c.name, c.phase, c.volume, c.capacity,
            c.accessModes.join(QLatin1Char(',')), c.storageClass, kubeAge(c.created, now)});
    TextTable scs({QStringLiteral("STORAGECLASS"), QStringLiteral("PROVISIONER"), QStringLiteral("RECLAIM"),
        QStringLiteral("BINDING"), QStringLiteral("EXPANSION"), QStringLiteral("AGE")});
    for (const KubeStorageClass &c : v.classes)
        scs.addRow({c.name + (c.isDefault ? QStringLiteral(" (default)") : QString()), c.provisioner, c.reclaimPolicy,
            c.bindingMode, c.allowExpansion ? QStringLiteral("yes") : QStringLiteral("no"), kubeAge(c.created, now)});
    out += pvs.toString() + QLatin1Char('\n') + pvcs.toString() + QLatin1Char('\n') + scs.toString();
    return out;
}

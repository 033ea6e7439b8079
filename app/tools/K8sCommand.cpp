#include "tools/K8sCommand.h"

#include "cli/TextTable.h"
#include "kube/KubeClient.h"
#include "kube/KubeConfig.h"

void K8sCommand::start()
{
    if (m_options.positional != QStringList {QStringLiteral("volumes")}) {
        fail(QStringLiteral("usage: quorumdeck k8s volumes [--kubeconfig FILE] [--context NAME]"));
        return;
    }
    QStringList paths = KubeConfig::defaultPaths();
    if (m_options.isSet(QStringLiteral("kubeconfig")))
        paths = {m_options.value(QStringLiteral("kubeconfig"))};
    else if (m_options.profile && !m_options.profile->kubeconfig.isEmpty())
        paths = {m_options.profile->kubeconfig};
    KubeConfig config;
    if (const Result<void> loaded = config.load(paths); !loaded) {
        fail(loaded.error().describe());
        return;
    }
    const Result<KubeCredentials> resolved = config.resolve(m_options.value(QStringLiteral("context")));
    if (!resolved) {
        fail(resolved.error().describe());
        return;
    }
    const KubeCredentials &credentials = resolved.value();
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

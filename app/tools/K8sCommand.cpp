#include "tools/K8sCommand.h"

#include "cli/TextTable.h"
#include "etcd/ConnectionSettings.h"
#include "kube/ControlPlaneLogs.h"
#include "kube/ControlPlaneReader.h"
#include "kube/KubeClient.h"
#include "kube/KubeConfig.h"
#include "logs/LogTimeline.h"

#include <QDateTime>
#include <QJsonObject>
#include <QTimer>

void K8sCommand::start()
{
    const QString sub = m_options.positional.value(0);
    const bool logsCommand = sub == QLatin1String("logs") && m_options.positional.size() == 2;
    if (!logsCommand
        && (m_options.positional.size() != 1
            || (sub != QLatin1String("volumes") && sub != QLatin1String("control-plane")))) {
        fail(QStringLiteral("usage: quorumdeck k8s volumes|control-plane|logs COMPONENT [--kubeconfig FILE] "
                            "[--context NAME]"));
        return;
    }
    for (const char *name : {"follow", "tail", "since"}) {
        if (!logsCommand && m_options.isSet(QLatin1String(name))) {
            fail(QStringLiteral("--%1 applies to k8s logs").arg(QLatin1String(name)));
            return;
        }
    }
    for (const char *name : {"haproxy-stats", "haproxy-socket", "backend"}) {
        if (sub != QLatin1String("control-plane") && m_options.isSet(QLatin1String(name))) {
            fail(QStringLiteral("--%1 applies to k8s control-plane").arg(QLatin1String(name)));
            return;
        }
    }
    const std::optional<KubeCredentials> resolved = credentials();
    if (!resolved)
        return;
    if (logsCommand)
        logs(*resolved);
    else if (sub == QLatin1String("volumes"))
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
    if (m_options.profile) {
        reader->setApiServers(m_options.profile->apiServers);
        reader->setLoadBalancer(m_options.profile->apiLbStats, m_options.profile->apiLbBackend);
    }
    const QString stats = m_options.value(QStringLiteral("haproxy-stats"));
    const QString socket = m_options.value(QStringLiteral("haproxy-socket"));
    if (!stats.isEmpty() && !socket.isEmpty()) {
        fail(QStringLiteral("give --haproxy-stats or --haproxy-socket, not both"));
        return;
    }
    if (!stats.isEmpty() || !socket.isEmpty())
        reader->setLoadBalancer(stats.isEmpty() ? socket : stats, m_options.value(QStringLiteral("backend")));
    else if (m_options.isSet(QStringLiteral("backend"))
        && (!m_options.profile || m_options.profile->apiLbStats.isEmpty())) {
        fail(QStringLiteral("--backend names a backend of the HAProxy given by --haproxy-stats or --haproxy-socket"));
        return;
    }
    reader->setTimeoutMs(qMax(m_options.settings.deadlines.readMs, 5000));
    reader->read([this](const ControlPlaneReport &r) {
        if (m_options.json())
            printJson(r.toJson());
        else
            printOut(table(r));
        for (const QString &p : r.problems)
            printErr(QStringLiteral("quorumdeck: %1\n").arg(p));
        for (const QString &d : r.drift())
            printErr(QStringLiteral("quorumdeck: drift: %1\n").arg(d));
        finish(r.unanswered() ? 1 : r.isHealthy() ? 0 : 2);
    });
}

void K8sCommand::logs(const KubeCredentials &credentials)
{
    ControlPlaneLogs::Options o;
    o.component = ControlPlaneLogs::componentNamed(m_options.positional.value(1));
    if (o.component.isEmpty()) {
        fail(QStringLiteral("k8s logs takes one of %1, not \"%2\"")
                 .arg(ControlPlaneLogs::components().join(QStringLiteral(", ")), m_options.positional.value(1)));
        return;
    }
    o.follow = m_options.isSet(QStringLiteral("follow"));
    if (m_options.isSet(QStringLiteral("tail"))) {
        bool ok = false;
        o.tailLines = m_options.value(QStringLiteral("tail")).toInt(&ok);
        if (!ok || o.tailLines < 0) {
            fail(QStringLiteral("--tail takes a number of lines per master, 0 for the whole log"));
            return;
        }
    }
    if (m_options.isSet(QStringLiteral("since"))) {
        const auto ms = ConnectionSettings::parseDurationMs(m_options.value(QStringLiteral("since")));
        if (!ms || *ms < 1000) {
            fail(QStringLiteral("--since takes a time of at least 1s, such as 10m"));
            return;
        }
        o.sinceSeconds = int(*ms / 1000);
    }
    auto *kube = new KubeClient(credentials, this);
    kube->setTimeoutMs(qMax(m_options.settings.deadlines.readMs, 10000));
    m_logs = new ControlPlaneLogs(kube, o, this);
    connect(m_logs, &ControlPlaneLogs::podsFound, this, [this](const QList<ControlPlaneLogs::Pod> &pods) {
        for (const ControlPlaneLogs::Pod &p : pods)
            m_podOfNode.insert(p.node.isEmpty() ? p.name : p.node, p.name);
        if (!pods.isEmpty() && m_following && !m_options.json())
            printErr(QStringLiteral("following %1 pod(s); interrupt to stop\n").arg(pods.size()));
    });
    connect(m_logs, &ControlPlaneLogs::linesRead, this, [this](const QList<MemberLogEntry> &lines) {
        LogTimeline::merge(m_pending, lines);
        // The masters' first lines arrive one pod after another: held for a moment so that
        // they print in time order; after that each line prints as it comes.
        if (!m_holding)
            printPending();
    });
    connect(m_logs, &ControlPlaneLogs::failed, this, [this](const QString &why) {
        ++m_failures;
        printErr(QStringLiteral("quorumdeck: %1\n").arg(why));
    });
    connect(m_logs, &ControlPlaneLogs::finished, this, [this] {
        printPending();
        finish(m_failures ? 1 : 0);
    });
    m_following = o.follow;
    m_holding = true;
    if (o.follow)
        QTimer::singleShot(1000, this, [this] {
            m_holding = false;
            printPending();
        });
    m_logs->start();
}

void K8sCommand::printPending()
{
    for (const MemberLogEntry &e : std::as_const(m_pending)) {
        const QString time
            = e.timeMs ? QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
        if (m_options.json()) {
            printJson(QJsonObject {{QStringLiteral("time"), e.timeMs ? QJsonValue(time) : QJsonValue()},
                {QStringLiteral("node"), e.source}, {QStringLiteral("pod"), m_podOfNode.value(e.source)},
                {QStringLiteral("level"), MemberLogEntry::levelName(e.level)}, {QStringLiteral("caller"), e.caller},
                {QStringLiteral("message"), e.message}, {QStringLiteral("leadership"), e.isLeadership()}});
        } else {
            printOut(QStringLiteral("%1  %2  %3  %4%5\n")
                         .arg(time.leftJustified(24), e.source, MemberLogEntry::levelName(e.level).leftJustified(5),
                             e.isLeadership() ? QStringLiteral("[leadership] ") : QString(), e.message));
        }
    }
    m_pending.clear();
}

void K8sCommand::interrupt(int exitCode)
{
    // Following ends when the operator says so: that is success, as for events --follow.
    if (m_following) {
        printPending();
        finish(0);
        return;
    }
    finish(exitCode);
}

QString K8sCommand::table(const ControlPlaneReport &r)
{
    QString out = QStringLiteral("context %1 · %2\n\n").arg(r.context, r.server);
    QStringList columns {QStringLiteral("API SERVER"), QStringLiteral("VIA"), QStringLiteral("LIVE"),
        QStringLiteral("READY"), QStringLiteral("VERSION"), QStringLiteral("RESPONSE"), QStringLiteral("CERT EXPIRES")};
    const bool balancer = r.balancer && r.balancer->error.isEmpty();
    if (balancer)
        columns << QStringLiteral("HAPROXY (%1)").arg(r.balancer->backend);
    TextTable servers(columns);
    for (const ApiServerState &a : r.apiServers) {
        const QString ready = !a.error.isEmpty() ? QStringLiteral("no answer: ") + a.error
            : a.ready.ok                         ? QStringLiteral("ready")
                                                 : a.ready.describe(QStringLiteral("ready"));
        QStringList row {a.address, a.viaLoadBalancer ? QStringLiteral("kubeconfig") : QStringLiteral("direct"),
            a.error.isEmpty() ? (a.live.ok ? QStringLiteral("live") : a.live.describe(QStringLiteral("live")))
                              : QStringLiteral("-"),
            ready, a.version.isEmpty() ? QStringLiteral("-") : a.version,
            a.responseMs >= 0 ? QStringLiteral("%1 ms").arg(a.responseMs) : QStringLiteral("-"),
            a.certExpiry.isValid() ? a.certExpiry.toString(Qt::ISODate) : QStringLiteral("-")};
        if (balancer)
            row << (a.lbStatus.isEmpty() ? QStringLiteral("-")
                                         : a.lbStatus + (a.drift.isEmpty() ? QString() : QStringLiteral(" DRIFT")));
        servers.addRow(row);
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

#include "tools/LbCommand.h"

#include "cli/TextTable.h"
#include "cluster/ClusterMonitor.h"
#include "common/Format.h"
#include "lb/LbMonitor.h"
#include "profile/ClusterManifest.h"
#include "tls/HttpTls.h"

void LbCommand::start()
{
    if (!m_options.positional.isEmpty()) {
        fail(QStringLiteral("lb takes no arguments; give --dir DIR, --haproxy-stats URL or --haproxy-socket PATH"));
        return;
    }
    LbDefinition definition;
    // Probes answer within milliseconds when healthy; half a second tells a stuck member.
    if (m_options.isSet(QStringLiteral("command-timeout")))
        definition.timeoutMs = m_options.settings.deadlines.readMs;
    const QString stats = m_options.value(QStringLiteral("haproxy-stats"));
    const QString socket = m_options.value(QStringLiteral("haproxy-socket"));
    bool joinCluster = m_options.isSet(QStringLiteral("endpoints"));
    if (!stats.isEmpty() || !socket.isEmpty()) {
        if (m_options.dirGiven) {
            fail(QStringLiteral("give either --dir or --haproxy-stats / --haproxy-socket, not both"));
            return;
        }
        definition.kind = LbDefinition::Kind::Haproxy;
        definition.statsUrl = stats;
        definition.socketPath = socket;
        if (m_options.isSet(QStringLiteral("backend")))
            definition.backendProxy = m_options.value(QStringLiteral("backend"));
    } else if (m_options.profile && m_options.profile->lbKind != LbDefinition::Kind::None && !m_options.dirGiven) {
        // The profile's load balancer, joined to the profile's cluster.
        const int timeoutMs = definition.timeoutMs;
        definition = m_options.profile->lbDefinition();
        definition.timeoutMs = timeoutMs;
        if (m_options.isSet(QStringLiteral("backend")))
            definition.backendProxy = m_options.value(QStringLiteral("backend"));
        joinCluster = true;
        m_options.settings.endpoints = m_options.profile->endpoints;
    } else {
        const Result<ClusterManifest> read = ClusterManifest::read(m_options.dir);
        if (!read) {
            fail(read.error().describe());
            return;
        }
        const ClusterManifest &manifest = read.value();
        if (!manifest.lb.running()) {
            fail(QStringLiteral("the demo cluster in %1 has no load balancer: %2")
                     .arg(m_options.dir,
                         manifest.lb.unavailable.isEmpty() ? QStringLiteral("it was started without one")
                                                           : manifest.lb.unavailable));
            return;
        }
        definition.kind = LbDefinition::Kind::Haproxy;
        definition.statsUrl = manifest.lb.statsUrl;
        definition.socketPath = manifest.lb.socketPath;
        definition.frontend = manifest.lb.frontend;
        if (m_options.isSet(QStringLiteral("backend")))
            definition.backendProxy = m_options.value(QStringLiteral("backend"));
        joinCluster = true;
        if (!m_options.isSet(QStringLiteral("endpoints")))
            m_options.settings.endpoints = manifest.endpoints();
        m_options.useDemoCredentials(manifest);
    }
    if (m_options.settings.tls.enabled()) {
        // A cluster that speaks TLS answers /health over HTTPS, verified like any call.
        // Said now, in words, rather than as every probe failing.
        if (const Result<QSslConfiguration> tls = HttpTls::configuration(m_options.settings.tls); !tls) {
            fail(tls.error().describe());
            return;
        }
        definition.probeTls = m_options.settings.tls;
        definition.probe = LbDefinition::ProbeKind::Https;
        definition.probePeerName = m_options.settings.tls.serverName;
    }
    m_lb = new LbMonitor(this);
    m_lb->setDefinition(definition);
    if (!joinCluster) {
        readLb(ClusterSnapshot());
        return;
    }
    if (m_options.isSet(QStringLiteral("endpoints"))) {
        if (const QString e = m_options.resolveEndpoints(); !e.isEmpty()) {
            fail(e);
            return;
        }
    }
    // The cluster's own view, for joining and health; the LB is read whatever it says.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection
        = connect(monitor(), &ClusterMonitor::snapshotReady, this, [this, connection](const ClusterSnapshot &s) {
              disconnect(*connection);
              readLb(s);
          });
    monitor()->refresh();
}

void LbCommand::readLb(const ClusterSnapshot &cluster)
{
    m_lb->setCluster(cluster);
    connect(m_lb, &LbMonitor::snapshotReady, this, &LbCommand::report);
    m_lb->refresh();
}

void LbCommand::report(const LbSnapshot &lb)
{
    if (m_options.json()) {
        printJson(lb.toJson());
    } else {
        TextTable t({QStringLiteral("NAME"), QStringLiteral("ADDRESS"), QStringLiteral("MEMBER"), QStringLiteral("LB"),
            QStringLiteral("CHECK"), QStringLiteral("PROBE"), QStringLiteral("LATENCY"), QStringLiteral("SESSIONS"),
            QStringLiteral("DRIFT")});
        for (const LbBackend &b : lb.backends) {
            QString drift;
            if (b.driftRoutesToUnhealthy)
                drift = QStringLiteral("in rotation but unhealthy");
            else if (b.driftHoldsHealthyDown)
                drift = QStringLiteral("DOWN but healthy");
            t.addRow({b.name, b.address, b.memberName, b.lbStatus, b.checkStatus,
                LbBackend::probeName(b.probe)
                    + (b.probeError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(b.probeError)),
                b.probe == LbBackend::Probe::NotProbed ? QString() : Format::millis(b.probeLatencyMs),
                QString::number(b.sessions), drift});
        }
        QString head = QStringLiteral("load balancer %1").arg(lb.source);
        if (!lb.frontend.isEmpty()) {
            head += lb.frontendReachable
                ? QStringLiteral(" · frontend %1 reachable (%2)").arg(lb.frontend, Format::millis(lb.frontendLatencyMs))
                : QStringLiteral(" · frontend %1 UNREACHABLE: %2").arg(lb.frontend, lb.frontendError);
        }
        printOut(head + QLatin1Char('\n') + t.toString());
    }
    if (!lb.statsError.isEmpty()) {
        fail(lb.statsError);
        return;
    }
    if (lb.backends.isEmpty()) {
        fail(QStringLiteral("HAProxy's stats list no server in backend \"%1\"; name the backend in front of etcd "
                            "with --backend")
                 .arg(m_lb->definition().backendProxy));
        return;
    }
    bool allUp = true;
    for (const LbBackend &b : lb.backends)
        allUp = allUp && b.inRotation();
    const bool frontendDown = !lb.frontend.isEmpty() && !lb.frontendReachable;
    finish(allUp && !lb.hasDrift() && !frontendDown ? 0 : 2);
}

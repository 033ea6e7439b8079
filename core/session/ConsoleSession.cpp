#include "session/ConsoleSession.h"

#include "session/DemoController.h"

#include "cluster/ClusterMonitor.h"
#include "cluster/MemberOps.h"
#include "cluster/Preflight.h"
#include "common/MemberId.h"
#include "demo/LocalCluster.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"
#include "lb/LbMonitor.h"
#include "profile/ConnectionProfile.h"
#include "scrape/MetricsCollector.h"
#include "session/AlertsSession.h"
#include "session/BackupSession.h"
#include "session/ConsistencySession.h"
#include "session/ControlPlaneSession.h"
#include "session/KeyspaceSession.h"
#include "session/PrometheusHistory.h"
#include "session/StorageSession.h"

#include <QDateTime>
#include <QUrl>
#include <algorithm>

namespace {

/// How long a member added to the demo is followed before its add is reported without it
/// having caught up (a demo's log is small: it takes a second or two).
constexpr int kCatchUpTimeoutMs = 60 * 1000;

} // namespace

ConsoleSession::ConsoleSession(
    const ConnectionSettings &settings, Journal *journal, DemoController *demo, QObject *parent)
    : QObject(parent)
    , m_client(new EtcdClient(settings, this))
    , m_monitor(new ClusterMonitor(m_client, this))
    , m_ops(new MemberOps(m_client, this))
    , m_metrics(new MetricsCollector(SeriesStore::kDefaultRetentionMs, this))
    , m_storage(new StorageSession(m_client, settings.tls, this))
    , m_backups(new BackupSession(m_client, this))
    , m_consistency(new ConsistencySession(m_client, this))
    , m_keyspace(new KeyspaceSession(m_client, this))
    , m_alerts(new AlertsSession(m_metrics, &m_instances, this))
    , m_controlPlane(new ControlPlaneSession(this))
    , m_extraTargets(settings.metricTargets)
    , m_journal(journal)
    , m_demo(demo)
{
    // The operator's read deadline (--command-timeout, ETCDCTL_COMMAND_TIMEOUT) bounds each tick.
    m_monitor->setTickDeadline(settings.deadlines.readMs);
    if (settings.tls.enabled())
        m_metrics->setTls(settings.tls);
    if (m_demo && m_demo->manifest().network.enabled())
        m_network = new NetworkWatch(m_demo->manifest().network.socketPath, this);
    if (m_demo && m_demo->manifest().lb.running()) {
        const LocalLoadBalancer &demoLb = m_demo->manifest().lb;
        LbDefinition lb;
        lb.kind = LbDefinition::Kind::Haproxy;
        lb.statsUrl = demoLb.statsUrl;
        lb.socketPath = demoLb.socketPath;
        lb.frontend = demoLb.frontend;
        if (m_demo->manifest().tls.enabled()) {
            // The members demand client certificates: probe them as the console connects.
            lb.probe = LbDefinition::ProbeKind::Https;
            lb.probeTls = settings.tls;
            lb.probePeerName = settings.tls.serverName;
        }
        m_lb = new LbMonitor(this);
        m_lb->setDefinition(lb);
        connect(m_lb, &LbMonitor::snapshotReady, this, &ConsoleSession::onLbSnapshot);
    } else if (m_demo) {
        m_lbUnavailable = m_demo->manifest().lb.unavailable.isEmpty()
            ? QStringLiteral("this demo cluster was started without a load balancer")
            : m_demo->manifest().lb.unavailable;
    } else {
        m_lbUnavailable = QStringLiteral("no load balancer is defined for this connection");
    }
    if (m_demo)
        m_demo->setParent(this);
    connect(m_storage, &StorageSession::operationStarted, this, &ConsoleSession::beginOperation);
    connect(m_storage, &StorageSession::leaderTransferRequested, m_monitor, &ClusterMonitor::expectLeaderTransfer);
    connect(m_storage, &StorageSession::operationFinished, this, &ConsoleSession::finishOperation);
    if (m_demo)
        m_backups->setDemoDirectory(m_demo->manifest().dir);
    connect(m_backups, &BackupSession::operationStarted, this, &ConsoleSession::beginOperation);
    connect(m_backups, &BackupSession::operationFinished, this,
        [this](const QString &action, const QString &target, const OperationResult &result) {
            if (m_demo && action.startsWith(QLatin1String("demo-")))
                m_demo->reload();
            finishOperation(action, target, result);
        });
    connect(m_backups, &BackupSession::progress, this, &ConsoleSession::progress);
    connect(m_backups, &BackupSession::stepStarted, this, [this](const QString &sentence, const StepStart &step) {
        emit operationStep(sentence, step.index, step.count, step.stoppable);
    });
    connect(m_backups, &BackupSession::stepEnded, this,
        [this](const QString &action, const QString &step, const OperationResult &result) {
            const OperatorAction a = OperatorAction::of(action + QStringLiteral(" step"), step, result);
            m_actions << a;
            if (m_journal && m_clusterId)
                m_journal->recordAction(m_clusterId, a);
        });
    connect(m_backups, &BackupSession::scheduleEvent, this, [this](const ClusterEvent &e) { appendEvents({e}); });
    connect(m_alerts, &AlertsSession::eventsOccurred, this, &ConsoleSession::appendEvents);
    connect(m_controlPlane, &ControlPlaneSession::eventsOccurred, this, &ConsoleSession::appendEvents);
    // Members are named before anyone else hears of the snapshot.
    connect(
        m_monitor, &ClusterMonitor::snapshotReady, this, [this](const ClusterSnapshot &s) { m_instances.update(s); });
    connect(m_monitor, &ClusterMonitor::snapshotReady, m_alerts, &AlertsSession::onSnapshot);
    connect(m_consistency, &ConsistencySession::reportReady, m_alerts, &AlertsSession::onConsistencyReport);
    connect(m_ops, &MemberOps::leaderTransferRequested, m_monitor, &ClusterMonitor::expectLeaderTransfer);
    connect(m_ops, &MemberOps::progress, this, &ConsoleSession::progress);
    connect(m_monitor, &ClusterMonitor::snapshotReady, this, &ConsoleSession::onSnapshot);
    connect(m_monitor, &ClusterMonitor::eventsOccurred, this, [this](const QList<ClusterEvent> &events) {
        m_events << events;
        if (m_journal && m_clusterId)
            m_journal->recordEvents(m_clusterId, events);
        emit eventsAppended(events);
    });
    if (m_journal) {
        connect(m_journal, &Journal::historyLoaded, this,
            [this](uint64_t clusterId, const QList<ClusterEvent> &events, const QList<OperatorAction> &actions) {
                if (clusterId != m_clusterId)
                    return;
                // The journal's copy, plus whatever this session saw after asking for it.
                QList<ClusterEvent> merged = events;
                for (const ClusterEvent &e : std::as_const(m_events)) {
                    if (!merged.contains(e))
                        merged.append(e);
                }
                QList<OperatorAction> mergedActions = actions;
                for (const OperatorAction &a : std::as_const(m_actions)) {
                    if (!mergedActions.contains(a))
                        mergedActions.append(a);
                }
                auto byTime = [](const auto &a, const auto &b) { return a.timeMs < b.timeMs; };
                std::stable_sort(merged.begin(), merged.end(), byTime);
                std::stable_sort(mergedActions.begin(), mergedActions.end(), byTime);
                m_events = merged;
                m_actions = mergedActions;
                emit historyReset();
            });
    }
}

ConsoleSession::~ConsoleSession() = default;

const ClusterSnapshot &ConsoleSession::snapshot() const
{
    return m_monitor->last();
}

void ConsoleSession::useProfile(const ConnectionProfile &profile)
{
    if (!profile.kubeconfig.isEmpty()) {
        m_storage->setKubeconfigPaths({profile.kubeconfig});
        m_controlPlane->setKubeconfigPaths({profile.kubeconfig});
    }
    m_controlPlane->setApiServers(profile.apiServers);
    m_controlPlane->setLoadBalancer(profile.apiLbStats, profile.apiLbBackend);
    m_controlPlane->setPkiDirectory(profile.pkiDir);
    m_backups->setProfile(profile.name, BackupSchedule {profile.backupEveryHours, profile.backupKeep});
    m_instances.setCorrections(profile.memberInstanceMap());
    if (!profile.prometheusUrl.isEmpty())
        setPrometheus(profile.prometheusUrl, profile.apiBearerTokenFile, profile.clusterLabel);
    if (!profile.alertmanagerUrl.isEmpty())
        m_alerts->setAlertmanager(
            profile.alertmanagerUrl, profile.clusterLabel, profile.apiBearerTokenFile, m_client->settings().tls);
    if (m_demo || profile.lbKind == LbDefinition::Kind::None)
        return;
    delete m_lb;
    m_lb = new LbMonitor(this);
    m_lb->setDefinition(profile.lbDefinition(m_client->settings().tls));
    m_lbUnavailable.clear();
    connect(m_lb, &LbMonitor::snapshotReady, this, &ConsoleSession::onLbSnapshot);
}

void ConsoleSession::setPrometheus(const QString &url, const QString &bearerTokenFile, const QString &cluster)
{
    delete m_history;
    m_history = url.isEmpty() ? nullptr
                              : new PrometheusHistory(url, bearerTokenFile, m_client->settings().tls, cluster, this);
    emit prometheusChanged();
}

void ConsoleSession::start()
{
    m_monitor->start();
    m_alerts->watchCertificates(m_client->settings().tls);
    m_controlPlane->start();
    if (m_lb)
        m_lb->start(kLbPollMs);
    if (m_network)
        m_network->start();
}

void ConsoleSession::stop()
{
    m_monitor->stop();
    m_controlPlane->stop();
    m_storage->stop();
    m_backups->stop();
    m_consistency->stop();
    m_keyspace->cancel();
    m_alerts->stop();
    if (m_lb)
        m_lb->stop();
}

void ConsoleSession::onLbSnapshot(const LbSnapshot &lb)
{
    m_alerts->onLbSnapshot(lb);
    // Drift becomes an event once it has outlasted the LB's own reaction time (fall ×
    // inter and a tick: about 1.5 s for the demo): every kill or restart disagrees for
    // that long while HAProxy's checks catch up, and that is not news. It ends as an event
    // only if it started as one.
    constexpr qint64 kDriftGraceMs = 1500;
    QList<ClusterEvent> events;
    for (const LbBackend &b : lb.backends) {
        const QString now = b.driftRoutesToUnhealthy ? QStringLiteral("in rotation while its member is unhealthy")
            : b.driftHoldsHealthyDown                ? QStringLiteral("held DOWN while its member is healthy")
                                                     : QString();
        Drift &drift = m_lbDrift[b.name];
        if (now != drift.kind) {
            drift.kind = now;
            drift.sinceMs = lb.timeMs;
        }
        const bool shouldReport = !now.isEmpty() && lb.timeMs - drift.sinceMs >= kDriftGraceMs;
        const QString reportedNow = shouldReport ? now : (now.isEmpty() ? QString() : drift.reported);
        if (reportedNow == drift.reported)
            continue;
        drift.reported = reportedNow;
        ClusterEvent e;
        e.timeMs = now.isEmpty() ? lb.timeMs : drift.sinceMs; // a drift dates from when it began
        e.member = b.memberId;
        e.type = now.isEmpty() ? ClusterEvent::Type::LbDriftEnded : ClusterEvent::Type::LbDriftStarted;
        e.detail = now.isEmpty() ? QStringLiteral("load balancer agrees again on %1").arg(b.name)
                                 : QStringLiteral("load balancer backend %1 %2 (LB %3, probe %4)")
                                       .arg(b.name, now, b.lbStatus, LbBackend::probeName(b.probe));
        events << e;
    }
    appendEvents(events);
    emit lbSnapshotReady(lb);
}

void ConsoleSession::lbServerState(const QString &server, const QString &state)
{
    const QString action = QStringLiteral("lb-%1").arg(state == QLatin1String("ready") ? QStringLiteral("enable")
            : state == QLatin1String("maint")                                          ? QStringLiteral("disable")
                                                                                       : state);
    beginOperation();
    if (!m_lb) {
        finishOperation(action, server, OperationResult::refused(m_lbUnavailable));
        return;
    }
    m_lb->setServerState(server, state, [=, this](const Result<void> &changed) {
        finishOperation(action, server,
            changed ? OperationResult::done(
                QStringLiteral("load balancer: %1 %2")
                    .arg(server,
                        state == QLatin1String("ready")       ? QStringLiteral("enabled")
                            : state == QLatin1String("maint") ? QStringLiteral("disabled (maintenance)")
                                                              : QStringLiteral("draining")))
                    : OperationResult::failed(changed.error().describe()));
        m_lb->refresh();
    });
}

void ConsoleSession::onSnapshot(const ClusterSnapshot &snapshot)
{
    // The backup facts change with the schedule, the directory and the clock; a tick is
    // often enough and costs a look at a short list.
    const BackupEntry *newest = m_backups->newestVerified();
    m_alerts->onBackups(
        m_backups->schedule(), m_backups->isListed(), newest ? newest->manifest->time.toMSecsSinceEpoch() : -1);
    if (snapshot.clusterId() && snapshot.clusterId() != m_clusterId) {
        m_clusterId = snapshot.clusterId();
        // What was seen and done before the id was known is journalled now, then the
        // cluster's history loaded.
        if (m_journal) {
            if (!m_events.isEmpty())
                m_journal->recordEvents(m_clusterId, m_events);
            for (const OperatorAction &a : std::as_const(m_actions))
                m_journal->recordAction(m_clusterId, a);
            m_journal->loadHistory(m_clusterId);
        }
    }
    updateScrapeTargets(snapshot);
    if (m_demo) {
        // Members come and go in a demo cluster: the data directories follow its manifest.
        QHash<QString, QString> dirs;
        for (const LocalMember &m : m_demo->manifest().members)
            dirs.insert(m.name, m.dataDir);
        m_storage->setLocalDataDirs(dirs);
    }
    m_storage->setSnapshot(snapshot);
    m_backups->setSnapshot(snapshot);
    m_consistency->setSnapshot(snapshot);
    m_keyspace->setSnapshot(snapshot);
    if (m_lb)
        m_lb->setCluster(snapshot);
    emit snapshotReady(snapshot);
    followJoining(snapshot);
}

void ConsoleSession::appendEvents(const QList<ClusterEvent> &events)
{
    if (events.isEmpty())
        return;
    m_events << events;
    if (m_journal && m_clusterId)
        m_journal->recordEvents(m_clusterId, events);
    emit eventsAppended(events);
}

void ConsoleSession::updateScrapeTargets(const ClusterSnapshot &snapshot)
{
    QList<ScrapeTarget> targets;
    for (const MemberState &m : snapshot.members()) {
        if (!m.clientUrls.isEmpty())
            targets.append(ScrapeTarget::at(m.clientUrls.front()));
    }
    for (const QString &url : std::as_const(m_extraTargets))
        targets.append(ScrapeTarget::at(url));
    if (targets.isEmpty() && !m_targets.isEmpty())
        return; // an unanswered tick lists no members; keep scraping (failures show as gaps)
    if (targets != m_targets) {
        m_targets = targets;
        m_metrics->setTargets(targets);
    }
}

void ConsoleSession::beginOperation()
{
    if (m_busy++ == 0)
        emit busyChanged(true);
}

void ConsoleSession::finishOperation(const QString &action, const QString &target, const OperationResult &result)
{
    const OperatorAction a = OperatorAction::of(action, target, result);
    m_actions << a;
    if (m_journal && m_clusterId)
        m_journal->recordAction(m_clusterId, a);
    if (--m_busy == 0)
        emit busyChanged(false);
    emit operationFinished(action, result);
    // Show the outcome at once rather than at the next tick.
    m_monitor->refresh();
}

void ConsoleSession::stopOperation()
{
    m_backups->requestStop();
}

void ConsoleSession::moveLeader(const QString &target)
{
    beginOperation();
    m_ops->moveLeader(snapshot(), target,
        [this, target](const OperationResult &r) { finishOperation(QStringLiteral("move-leader"), target, r); });
}

QString ConsoleSession::proposePeerUrl() const
{
    if (!m_demo)
        return {};
    const Result<LocalCluster::MemberUrls> urls = m_demo->cluster()->reserveUrls();
    return urls ? urls->peer : QString();
}

void ConsoleSession::addMember(const QString &name, const QStringList &peerUrls, bool learner)
{
    beginOperation();
    const QString action = learner ? QStringLiteral("member-add-learner") : QStringLiteral("member-add");
    if (m_demo) {
        // Checked before anything is committed: a demo member's process can only listen on
        // this machine's loopback.
        for (const QString &url : peerUrls) {
            const QString host = QUrl(url).host();
            if (host != QLatin1String("127.0.0.1") && host != QLatin1String("localhost")) {
                finishOperation(action, name,
                    OperationResult::refused(
                        QStringLiteral("demo members listen on 127.0.0.1 only; %1 is elsewhere").arg(url)));
                return;
            }
        }
    }
    m_ops->addMember(snapshot(), name, peerUrls, learner, [=, this](const OperationResult &added) {
        if (!added.ok() || !m_demo) {
            finishOperation(action, name, added);
            return;
        }
        // On the demo cluster, start the process that joins as this member.
        const Result<LocalCluster::MemberUrls> urls = m_demo->cluster()->reserveUrls();
        if (!urls) {
            undoAdd(action, name, added, OperationResult::failed(urls.error().describe()));
            return;
        }
        const QString client = urls->client;
        emit progress(QStringLiteral("starting %1 so that it joins the cluster").arg(name));
        m_demo->cluster()->startJoiningMember(
            name, peerUrls.first(), client, added.details.value(QStringLiteral("initialCluster")).toString(),
            [=, this](const OperationResult &started) {
                if (!started.ok()) {
                    undoAdd(action, name, added, started);
                    return;
                }
                // The add ends once the member holds what the cluster held when it joined.
                OperationResult result
                    = OperationResult::done(added.sentence + QStringLiteral("; ") + started.sentence, added.details);
                m_joining.emplace(Joining {action, result,
                    CatchUp(name, peerUrls.first(), QDateTime::currentMSecsSinceEpoch(), kCatchUpTimeoutMs)});
                emit operationAmount(QStringLiteral("%1 is starting").arg(name), 0, 0);
                m_monitor->refresh();
            },
            learner);
    });
}

void ConsoleSession::followJoining(const ClusterSnapshot &snapshot)
{
    if (!m_joining)
        return;
    const CatchUp::Reading r = m_joining->catchUp.read(snapshot);
    emit operationAmount(r.sentence, qint64(std::min(r.index, r.target)), qint64(r.target));
    if (!r.finished())
        return;
    // Not caught up in time is worth saying, and the member is added all the same: it
    // goes on catching up on its own, and the overview shows its lag.
    Joining joining = std::move(*m_joining);
    m_joining.reset();
    OperationResult result = joining.added;
    result.sentence += QStringLiteral("; ") + r.sentence;
    finishOperation(joining.action, joining.catchUp.name(), result);
}

void ConsoleSession::undoAdd(
    const QString &action, const QString &name, const OperationResult &added, const OperationResult &why)
{
    // A member whose process never started would only cost the cluster a voter: take it
    // out again rather than leave the quorum weaker than before.
    const uint64_t id = MemberId::fromHex(added.details.value(QStringLiteral("id")).toString()).value_or(0);
    const QString endpoint = Preflight::writeEndpoint(snapshot());
    m_client->memberRemove(endpoint, id, this, [=, this](const EtcdResult<MemberListInfo> &r) {
        finishOperation(action, name,
            OperationResult::failed(QStringLiteral("%1; %2").arg(why.sentence,
                r.ok() ? QStringLiteral("the member was removed again")
                       : QStringLiteral("removing the member again failed too: %1").arg(r.error.sentence))));
    });
}

void ConsoleSession::removeMember(const QString &member, bool force)
{
    beginOperation();
    const MemberState *m = snapshot().findMember(member);
    const QString name = m ? m->name : QString();
    m_ops->removeMember(snapshot(), member, force, [=, this](const OperationResult &r) {
        if (r.ok() && m_demo && m_demo->manifest().member(name)) {
            m_demo->cluster()->discardMember(name,
                [=, this](const OperationResult &) { finishOperation(QStringLiteral("member-remove"), member, r); });
            return;
        }
        finishOperation(QStringLiteral("member-remove"), member, r);
    });
}

void ConsoleSession::promoteMember(const QString &member)
{
    beginOperation();
    m_ops->promoteMember(snapshot(), member, [=, this](const OperationResult &r) {
        const MemberState *m = snapshot().findMember(member);
        if (!r.ok() || !m_demo || !m) {
            finishOperation(QStringLiteral("member-promote"), member, r);
            return;
        }
        // A voter now: the demo's load balancer may send it clients.
        m_demo->cluster()->enableLoadBalancerServer(m->name, [=, this](const Result<void> &enabled) {
            finishOperation(QStringLiteral("member-promote"), member,
                enabled
                    ? r
                    : OperationResult::done(r.sentence + QStringLiteral("; ") + enabled.error().describe(), r.details));
        });
    });
}

void ConsoleSession::demoAction(const QString &member, DemoController::MemberAction action)
{
    using A = LocalCluster::MemberAction;
    static constexpr A actions[] = {A::Stop, A::Kill, A::Pause, A::Resume, A::Restart};
    static const char *const names[] = {"demo-stop", "demo-kill", "demo-pause", "demo-resume", "demo-restart"};
    const QString name = QString::fromLatin1(names[int(action)]);
    beginOperation();
    if (!m_demo) {
        finishOperation(name, member, OperationResult::refused(QStringLiteral("this is not a demo cluster")));
        return;
    }
    m_demo->cluster()->memberAction(
        member, actions[int(action)], [=, this](const OperationResult &r) { finishOperation(name, member, r); });
}

void ConsoleSession::setNetworkFault(const QString &member, const NetworkFault &fault)
{
    // Named as the CLI names the same operations, so the journal reads alike.
    QString name = QStringLiteral("demo-net-heal");
    if (fault.isolated)
        name = QStringLiteral("demo-net-isolate");
    else if (fault.delayMs > 0 || fault.jitterMs > 0)
        name = QStringLiteral("demo-net-delay");
    else if (fault.dropPercent > 0)
        name = QStringLiteral("demo-net-drop");
    beginOperation();
    if (!m_demo) {
        finishOperation(name, member, OperationResult::refused(QStringLiteral("this is not a demo cluster")));
        return;
    }
    m_demo->cluster()->setNetworkFault(
        member, fault, [=, this](const OperationResult &r) { finishOperation(name, member, r); });
}

void ConsoleSession::clearNetworkFaults()
{
    beginOperation();
    if (!m_demo) {
        finishOperation(QStringLiteral("demo-net-clear"), {},
            OperationResult::refused(QStringLiteral("this is not a demo cluster")));
        return;
    }
    m_demo->cluster()->clearNetworkFaults(
        [=, this](const OperationResult &r) { finishOperation(QStringLiteral("demo-net-clear"), {}, r); });
}

void ConsoleSession::killLeader()
{
    const MemberState *leader = snapshot().leader();
    if (!m_demo || !leader) {
        beginOperation();
        finishOperation(QStringLiteral("demo-kill-leader"), QString(),
            OperationResult::refused(m_demo ? QStringLiteral("the cluster has no leader to kill")
                                            : QStringLiteral("this is not a demo cluster")));
        return;
    }
    demoAction(leader->name, DemoController::MemberAction::Kill);
}

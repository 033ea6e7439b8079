#include "chaos/ChaosRunner.h"

#include "cluster/ClusterMonitor.h"
#include "cluster/MemberOps.h"
#include "cluster/Preflight.h"
#include "common/MemberId.h"
#include "demo/LocalCluster.h"
#include "etcd/EtcdClient.h"

#include <QDateTime>
#include <QFile>
#include <QTimer>

namespace {
constexpr int kWriteEveryMs = 100;
constexpr int kSettleMs = 10000;
} // namespace

ChaosRunner::ChaosRunner(LocalCluster *cluster, EtcdClient *client, const Options &options, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_client(client)
    , m_monitor(new ClusterMonitor(client, this))
    , m_ops(new MemberOps(client, this))
    , m_writer(new QTimer(this))
    , m_options(options)
{
    m_monitor->setInterval(options.intervalMs);
    m_monitor->setTickDeadline(options.tickDeadlineMs);
    connect(m_monitor, &ClusterMonitor::snapshotReady, this, &ChaosRunner::record);
    connect(m_monitor, &ClusterMonitor::eventsOccurred, this,
        [this](const QList<ClusterEvent> &events) { m_history.events << events; });
    connect(m_ops, &MemberOps::leaderTransferRequested, m_monitor, &ClusterMonitor::expectLeaderTransfer);
    m_writer->setInterval(kWriteEveryMs);
    connect(m_writer, &QTimer::timeout, this, &ChaosRunner::writeOnce);
    m_history.tickDeadlineMs = options.tickDeadlineMs;
    m_history.tickMarginMs = options.tickMarginMs;
    m_history.convergeLimitMs = options.convergeLimitMs;
}

ChaosRunner::~ChaosRunner() = default;

void ChaosRunner::start(std::function<void(const ChaosVerdict &, const QJsonObject &)> done)
{
    m_done = std::move(done);
    m_schedule = ChaosSchedule::generate(m_options.seed, m_options.durationMs);
    m_clock.start();
    m_startedWallMs = QDateTime::currentMSecsSinceEpoch();
    m_monitor->start();
    m_writer->start();
    emit progress(QStringLiteral("chaos with seed %1 for %2 s: %3 fault(s) planned")
                      .arg(m_options.seed)
                      .arg(m_options.durationMs / 1000.0)
                      .arg(m_schedule.size()));
    whenHealthy(kSettleMs, [this](bool) { nextFault(); });
}

void ChaosRunner::record(const ClusterSnapshot &s)
{
    m_last = s;
    TickRecord t;
    t.startMs = s.timeMs();
    t.tickMs = s.tickMs();
    for (const MemberState &m : s.members())
        t.members << MemberSighting {m.id, m.reachable, m.reachable && m.leaderSeen == m.id, m.term};
    m_history.ticks << t;
}

void ChaosRunner::writeOnce()
{
    if (m_writing)
        return;
    const QString endpoint = Preflight::writeEndpoint(m_last);
    if (endpoint.isEmpty())
        return;
    m_writing = true;
    m_client->put(endpoint, QByteArrayLiteral("quorumdeck/chaos"), QByteArray::number(elapsed()), this,
        [this](const EtcdResult<ResponseHeaderInfo> &r) {
            m_writing = false;
            r.ok() ? ++m_writesOk : ++m_writesFailed;
        });
}

QString ChaosRunner::nameOf(uint64_t id) const
{
    const MemberState *m = m_last.member(id);
    return m ? m->name : QString();
}

QString ChaosRunner::pickMember(ChaosFault::Target target) const
{
    if (target == ChaosFault::Target::Leader && m_last.hasLeader())
        return nameOf(m_last.leaderId());
    QStringList followers;
    for (const MemberState &m : m_last.members()) {
        if (m.id != m_last.leaderId() && m.reachable && !m.name.isEmpty())
            followers << m.name;
    }
    if (followers.isEmpty())
        return {};
    // Which follower is part of the schedule too: same seed, same pick.
    return followers.at(int((m_options.seed + uint(m_next)) % uint(followers.size())));
}

void ChaosRunner::whenHealthy(int timeoutMs, std::function<void(bool)> next)
{
    const qint64 giveUpAt = elapsed() + timeoutMs;
    auto *poll = new QTimer(this);
    poll->setInterval(50);
    connect(poll, &QTimer::timeout, this, [=, this] {
        const bool healthy = m_last.isValid() && m_last.isHealthy();
        if (!healthy && elapsed() < giveUpAt)
            return;
        poll->stop();
        poll->deleteLater();
        next(healthy);
    });
    poll->start();
}

void ChaosRunner::nextFault()
{
    if (m_next >= m_schedule.size() || elapsed() >= m_options.durationMs) {
        healEverything();
        return;
    }
    const ChaosFault fault = m_schedule.at(m_next);
    const QString member = pickMember(fault.target);
    ++m_next;
    if (member.isEmpty()) {
        QTimer::singleShot(fault.gapMs, this, [this] { whenHealthy(kSettleMs, [this](bool) { nextFault(); }); });
        return;
    }
    QJsonObject applied = fault.toJson();
    applied.insert(QStringLiteral("atMs"), elapsed());
    applied.insert(QStringLiteral("member"), member);
    m_applied.append(applied);
    emit progress(QStringLiteral("%1s  %2: %3").arg(elapsed() / 1000.0, 5, 'f', 1).arg(member, fault.describe()));
    apply(fault, member, [=, this] {
        QTimer::singleShot(fault.holdMs, this, [=, this] {
            undo(fault, member, [=, this] {
                QTimer::singleShot(fault.gapMs, this, [this] {
                    whenHealthy(kSettleMs, [this](bool healthy) {
                        if (!healthy)
                            ++m_unsettled;
                        nextFault();
                    });
                });
            });
        });
    });
}

void ChaosRunner::apply(const ChaosFault &fault, const QString &member, std::function<void()> next)
{
    auto report = [=, this](const OperationResult &r) {
        if (!r.ok())
            emit progress(QStringLiteral("        not applied: %1").arg(r.sentence));
        next();
    };
    using K = ChaosFault::Kind;
    switch (fault.kind) {
    case K::Kill:
        m_killed << member;
        m_cluster->memberAction(member, LocalCluster::MemberAction::Kill, report);
        return;
    case K::Pause:
        m_paused << member;
        m_cluster->memberAction(member, LocalCluster::MemberAction::Pause, report);
        return;
    case K::Isolate: {
        NetworkFault f;
        f.isolated = true;
        m_cluster->setNetworkFault(member, f, report);
        return;
    }
    case K::Delay: {
        NetworkFault f;
        f.delayMs = fault.delayMs;
        f.jitterMs = fault.jitterMs;
        m_cluster->setNetworkFault(member, f, report);
        return;
    }
    case K::MoveLeader:
        m_ops->moveLeader(m_last, member, report);
        return;
    }
}

void ChaosRunner::undo(const ChaosFault &fault, const QString &member, std::function<void()> next)
{
    auto report = [=, this](const OperationResult &r) {
        if (!r.ok())
            emit progress(QStringLiteral("        not undone: %1").arg(r.sentence));
        next();
    };
    using K = ChaosFault::Kind;
    switch (fault.kind) {
    case K::Kill:
        m_killed.remove(member);
        m_cluster->memberAction(member, LocalCluster::MemberAction::Restart, report);
        return;
    case K::Pause:
        m_paused.remove(member);
        m_cluster->memberAction(member, LocalCluster::MemberAction::Resume, report);
        return;
    case K::Isolate:
    case K::Delay:
        m_cluster->setNetworkFault(member, {}, report);
        return;
    case K::MoveLeader:
        next();
        return;
    }
}

void ChaosRunner::healEverything()
{
    emit progress(QStringLiteral("%1s  healing everything").arg(elapsed() / 1000.0, 5, 'f', 1));
    m_writer->stop();
    for (const QString &m : std::as_const(m_paused))
        m_cluster->memberAction(m, LocalCluster::MemberAction::Resume, [](const OperationResult &) {});
    m_paused.clear();
    const QStringList killed(m_killed.begin(), m_killed.end());
    m_killed.clear();
    auto restarts = std::make_shared<int>(int(killed.size()));
    auto afterRestarts = [this] {
        m_cluster->clearNetworkFaults([this](const OperationResult &) {
            m_healedAt = elapsed();
            awaitConvergence();
        });
    };
    if (killed.isEmpty())
        return afterRestarts();
    for (const QString &m : killed) {
        m_cluster->memberAction(m, LocalCluster::MemberAction::Restart, [=](const OperationResult &) {
            if (--*restarts == 0)
                afterRestarts();
        });
    }
}

void ChaosRunner::awaitConvergence()
{
    auto *poll = new QTimer(this);
    poll->setInterval(20);
    auto lastSeen = std::make_shared<qint64>(0);
    connect(poll, &QTimer::timeout, this, [=, this] {
        if (m_last.timeMs() == *lastSeen)
            return; // judge each tick once
        *lastSeen = m_last.timeMs();
        QString problem;
        QSet<int64_t> revisions;
        for (const MemberState &m : m_last.members()) {
            if (!m.reachable)
                problem = QStringLiteral("%1 is unreachable").arg(m.name);
            revisions.insert(m.revision);
        }
        if (!m_last.hasLeader())
            problem = QStringLiteral("no leader");
        else if (m_last.disagreement())
            problem = m_last.disagreementDetail();
        else if (problem.isEmpty() && revisions.size() > 1)
            problem = QStringLiteral("the members are at %1 different revisions").arg(revisions.size());
        const qint64 waited = elapsed() - m_healedAt;
        if (problem.isEmpty() || waited > m_options.convergeLimitMs) {
            poll->stop();
            poll->deleteLater();
            m_history.convergedInMs = problem.isEmpty() ? waited : -1;
            m_history.convergeProblem = problem;
            finishRun();
        }
    });
    poll->start();
}

void ChaosRunner::finishRun()
{
    m_monitor->stop();
    // The members' own account of every election since the run began.
    for (const LocalMember &member : m_cluster->manifest().members) {
        QFile log(member.logFile);
        if (!log.open(QIODevice::ReadOnly))
            continue;
        while (!log.atEnd()) {
            const QByteArray line = log.readLine();
            if (!line.contains("became leader"))
                continue;
            const auto l = LeadershipLine::of(MemberLogEntry::parse(line));
            if (l && l->timeMs >= m_startedWallMs)
                m_history.leadershipLines << *l;
        }
    }
    const ChaosVerdict verdict = InvariantChecker::check(m_history);
    QJsonObject summary = verdict.toJson();
    summary.insert(QStringLiteral("seed"), qint64(m_options.seed));
    summary.insert(QStringLiteral("durationMs"), m_options.durationMs);
    summary.insert(QStringLiteral("faults"), m_applied);
    summary.insert(QStringLiteral("faultsApplied"), m_applied.size());
    summary.insert(QStringLiteral("ticks"), m_history.ticks.size());
    summary.insert(QStringLiteral("intervalMs"), m_options.intervalMs);
    summary.insert(QStringLiteral("tickDeadlineMs"), m_options.tickDeadlineMs);
    summary.insert(QStringLiteral("healedInMs"), m_history.convergedInMs);
    summary.insert(QStringLiteral("writesAccepted"), m_writesOk);
    summary.insert(QStringLiteral("writesRefused"), m_writesFailed);
    summary.insert(QStringLiteral("unsettledFaults"), m_unsettled);
    int leaderEvents = 0;
    for (const ClusterEvent &e : std::as_const(m_history.events))
        leaderEvents += e.type == ClusterEvent::Type::LeaderChanged || e.type == ClusterEvent::Type::ElectionsUnseen;
    summary.insert(QStringLiteral("leaderEvents"), leaderEvents);
    m_done(verdict, summary);
}

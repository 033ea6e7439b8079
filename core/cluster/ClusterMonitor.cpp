#include "cluster/ClusterMonitor.h"

#include "cluster/SnapshotDiff.h"
#include "common/Endpoint.h"
#include "etcd/EtcdClient.h"

#include <QDateTime>
#include <QSet>

namespace {

constexpr qint64 kTransferExpectationMs = 30000;

} // namespace

/// What one tick has gathered so far.
struct ClusterMonitor::Tick {
    quint64 id = 0; // answers are matched to their tick by id, not by address
    qint64 startedWallMs = 0;
    QElapsedTimer elapsed;
    int outstanding = 0;
    bool listDone = false;
    QStringList listCandidates;
    int listAttempt = 0;
    std::optional<MemberListInfo> list;
    QString listError;
    QSet<QString> asked; // canonical endpoints sent a Status
    QHash<uint64_t, StatusObservation> byMember; // answers, by the answering member's id
    QHash<QString, StatusObservation> failures; // failures, by canonical endpoint
    QHash<uint64_t, StatusObservation> failuresByMember; // failures of an endpoint asked for a member
    QHash<QString, uint64_t> clusterOf; // canonical endpoint -> the cluster id its answer carried
};

ClusterMonitor::ClusterMonitor(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ClusterMonitor::beginTick);
}

ClusterMonitor::~ClusterMonitor() = default;

QString ClusterMonitor::canonical(const QString &endpoint) const
{
    // A tick names each member's URL several times; parsing a URL costs microseconds, and
    // every one spent before the calls go out is spent on the tick.
    if (const auto it = m_canonical.constFind(endpoint); it != m_canonical.constEnd())
        return *it;
    if (m_canonical.size() > 1024)
        m_canonical.clear(); // members come and go; never let the memo grow without bound
    const Result<Endpoint> e = Endpoint::parse(endpoint, endpoint.startsWith(QLatin1String("https")));
    return *m_canonical.insert(endpoint, e ? e.value().toString() : endpoint);
}

void ClusterMonitor::setInterval(int ms)
{
    m_intervalMs = std::max(kMinimumIntervalMs, ms);
}

void ClusterMonitor::setTickDeadline(int ms)
{
    m_tickDeadlineMs = std::max(50, ms);
}

void ClusterMonitor::start()
{
    if (m_running)
        return;
    m_running = true;
    if (!m_tick)
        beginTick();
}

void ClusterMonitor::stop()
{
    m_running = false;
    m_timer.stop();
}

void ClusterMonitor::refresh()
{
    if (m_tick)
        return; // the tick under way delivers a snapshot soon enough
    m_timer.stop();
    beginTick();
}

void ClusterMonitor::expectLeaderTransfer(uint64_t target)
{
    m_expectedLeader = target;
    m_expectedSince.start();
}

int ClusterMonitor::remainingMs() const
{
    return int(m_tickDeadlineMs - m_tick->elapsed.elapsed());
}

QStringList ClusterMonitor::memberListCandidates() const
{
    // The leader is the likeliest to answer; then what the operator named; then any voter.
    // A member is reached where it last answered Status.
    auto where = [this](const MemberState &m) {
        const QString route = m_route.value(m.id);
        return canonical(route.isEmpty() ? m.clientUrls.value(0) : route);
    };
    QStringList out;
    if (const MemberState *leader = m_last.leader(); leader && !leader->clientUrls.isEmpty())
        out << where(*leader);
    for (const QString &e : m_client->endpoints()) {
        // A learner serves no MemberList.
        const MemberState *m = m_last.member(m_routeOwner.value(canonical(e)));
        if (!m || m->isVoter())
            out << canonical(e);
    }
    for (const MemberState &m : m_last.members()) {
        if (m.isVoter() && !m.clientUrls.isEmpty())
            out << where(m);
    }
    out.removeDuplicates();
    // An endpoint of another cluster than the rest would list that cluster's members.
    QStringList foreign;
    for (const QString &e : m_last.foreignEndpoints())
        foreign << canonical(e);
    if (!foreign.isEmpty()) {
        QStringList ours = out;
        ours.removeIf([&foreign](const QString &e) { return foreign.contains(e); });
        if (!ours.isEmpty())
            out = ours;
    }
    return out;
}

void ClusterMonitor::beginTick()
{
    if (m_tick)
        return; // ticks never overlap
    m_tick = std::make_unique<Tick>();
    m_tick->id = ++m_ticksStarted;
    m_tick->startedWallMs = QDateTime::currentMSecsSinceEpoch();
    m_tick->elapsed.start();
    m_tick->listCandidates = memberListCandidates();

    if (m_knownMembers) {
        for (const MemberInfo &m : m_knownMembers->members) {
            if (const QString e = statusEndpoint(m); !e.isEmpty())
                askStatus(e, m.id);
        }
    }
    // The operator's endpoints too, unless one was just asked as a member's route: a member
    // reached only through them stays visible, and a load balancer among them shows which
    // member it forwards to.
    for (const QString &e : m_client->endpoints())
        askStatus(e);
    askMemberList();
}

void ClusterMonitor::askMemberList()
{
    Tick *tick = m_tick.get();
    const quint64 id = tick->id;
    const int remaining = remainingMs();
    if (tick->listAttempt >= tick->listCandidates.size() || remaining <= 0) {
        tick->listDone = true;
        if (tick->listError.isEmpty())
            tick->listError = QStringLiteral("no endpoint answered MemberList within %1 ms").arg(m_tickDeadlineMs);
        finishIfDone();
        return;
    }
    const bool last = tick->listAttempt + 1 == tick->listCandidates.size();
    // Leave time for a fail-over: a hung endpoint may take half of what is left, no more.
    const int budget = last ? remaining : std::max(std::min(remaining, 100), remaining / 2);
    const QString endpoint = tick->listCandidates.at(tick->listAttempt++);
    m_client->memberList(
        endpoint, this,
        [this, tick, id, endpoint](const EtcdResult<MemberListInfo> &r) {
            if (!m_tick || m_tick->id != id)
                return;
            if (!r.ok()) {
                tick->listError = r.error.sentence;
                askMemberList();
                return;
            }
            tick->list = *r;
            tick->listDone = true;
            tick->clusterOf.insert(endpoint, r->header.clusterId); // candidates are canonical
            for (const MemberInfo &m : r->members) {
                if (!m.clientUrls.isEmpty() && !tick->asked.contains(canonical(m.clientUrls.first())))
                    askStatus(m.clientUrls.first());
            }
            finishIfDone();
        },
        budget);
}

QString ClusterMonitor::statusEndpoint(const MemberInfo &m) const
{
    if (const QString route = m_route.value(m.id); !route.isEmpty())
        return route;
    return ownUrl(m);
}

QString ClusterMonitor::ownUrl(const MemberInfo &m) const
{
    if (m.clientUrls.isEmpty())
        return {};
    return m.clientUrls.at(m_urlChoice.value(m.id) % m.clientUrls.size());
}

void ClusterMonitor::learnRoute(const QString &endpoint, const QString &key, uint64_t answeredBy)
{
    if (m_sharedEndpoints.contains(key))
        return;
    const uint64_t owner = m_routeOwner.value(key);
    if (owner != 0 && owner != answeredBy) {
        // Two members answer here: a load balancer, no route to either of them.
        m_sharedEndpoints.insert(key);
        if (canonical(m_route.value(owner)) == key)
            m_route.remove(owner);
        return;
    }
    if (m_routeOwner.size() > 1024) { // bounded: members and endpoints are few
        m_routeOwner.clear();
        m_route.clear();
    }
    m_routeOwner.insert(key, answeredBy);
    m_route.insert(answeredBy, endpoint);
}

void ClusterMonitor::forgetRoute(uint64_t expected, const QString &key)
{
    if (expected == 0)
        return;
    if (canonical(m_route.value(expected)) == key)
        m_route.remove(expected); // back to the member's own URLs next tick
    else
        ++m_urlChoice[expected]; // the next of its client URLs next tick
}

void ClusterMonitor::askOwnUrl(uint64_t member)
{
    if (!m_knownMembers)
        return;
    for (const MemberInfo &m : m_knownMembers->members) {
        if (const QString url = ownUrl(m); m.id == member && !url.isEmpty())
            askStatus(url, m.id);
    }
}

void ClusterMonitor::askStatus(const QString &endpoint, uint64_t expected)
{
    Tick *tick = m_tick.get();
    const quint64 id = tick->id;
    const QString key = canonical(endpoint);
    if (tick->asked.contains(key))
        return;
    const int remaining = remainingMs();
    if (remaining <= 0)
        return;
    tick->asked.insert(key);
    ++tick->outstanding;
    m_client->status(
        endpoint, this,
        [this, tick, id, key, endpoint, expected](const EtcdResult<StatusInfo> &r) {
            if (!m_tick || m_tick->id != id)
                return;
            --tick->outstanding;
            StatusObservation obs;
            obs.latencyMs = r.latencyMs;
            obs.endpoint = key;
            if (r.ok()) {
                obs.status = *r;
                tick->byMember.insert(r->header.memberId, obs);
                tick->clusterOf.insert(key, r->header.clusterId);
                learnRoute(endpoint, key, r->header.memberId);
                if (expected != 0 && r->header.memberId != expected)
                    askOwnUrl(expected); // its route now leads elsewhere: a load balancer
            } else {
                obs.error = r.error;
                tick->failures.insert(key, obs);
                if (expected != 0)
                    tick->failuresByMember.insert(expected, obs);
                forgetRoute(expected, key);
            }
            finishIfDone();
        },
        remaining);
}

void ClusterMonitor::finishIfDone()
{
    Tick *tick = m_tick.get();
    if (!tick->listDone || tick->outstanding > 0)
        return;

    bool fresh = false;
    if (tick->list) {
        m_knownMembers = tick->list;
        fresh = true;
    }
    const MemberListInfo list = m_knownMembers.value_or(MemberListInfo {});
    QHash<uint64_t, StatusObservation> observations = tick->byMember;
    for (const MemberInfo &m : list.members) {
        if (observations.contains(m.id))
            continue;
        if (const auto f = tick->failuresByMember.constFind(m.id); f != tick->failuresByMember.constEnd()) {
            observations.insert(m.id, *f);
            continue;
        }
        for (const QString &url : m.clientUrls) {
            const auto f = tick->failures.constFind(canonical(url));
            if (f != tick->failures.constEnd()) {
                observations.insert(m.id, *f);
                break;
            }
        }
    }

    QList<EndpointAnswer> endpoints;
    for (const QString &e : m_client->endpoints())
        endpoints.append({e, tick->clusterOf.value(canonical(e))});
    ClusterSnapshot snapshot
        = ClusterSnapshot::build(tick->startedWallMs, list, fresh, observations, tick->listError, endpoints);
    snapshot.setTickMs(tick->elapsed.nsecsElapsed() / 1e6);

    if (m_expectedLeader && m_expectedSince.elapsed() > kTransferExpectationMs)
        m_expectedLeader = 0;
    if (m_last.leaderId() && m_last.leaderId() != m_lastKnownLeader) {
        m_lastKnownLeader = m_last.leaderId();
        m_lastKnownTerm = m_last.term();
    } else if (m_last.leaderId()) {
        m_lastKnownTerm = std::max(m_lastKnownTerm, m_last.term());
    }
    const QList<ClusterEvent> events
        = SnapshotDiff::between(m_last, snapshot, m_expectedLeader, m_lastKnownLeader, m_lastKnownTerm);
    for (const ClusterEvent &e : events) {
        if (e.type == ClusterEvent::Type::LeaderChanged && e.requested)
            m_expectedLeader = 0;
        if (e.type == ClusterEvent::Type::LeaderChanged) {
            // Its term may be later than the members report yet; the next samples are
            // compared with it, not with what they reported.
            m_lastKnownLeader = e.to;
            m_lastKnownTerm = e.term;
        }
    }
    const qint64 tookMs = tick->elapsed.elapsed();
    m_last = snapshot;
    m_tick.reset();

    if (m_running)
        m_timer.start(int(std::max<qint64>(0, m_intervalMs - tookMs)));
    emit snapshotReady(m_last);
    if (!events.isEmpty())
        emit eventsOccurred(events);
}

#pragma once

#include "cluster/ClusterEvent.h"
#include "cluster/ClusterSnapshot.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>
#include <optional>

class EtcdClient;

/// Watches one etcd cluster. Each tick asks MemberList from one live voting endpoint
/// (failing over to the next) and Status from every member at once, each call bounded by
/// the tick's deadline, and folds the answers into one ClusterSnapshot. A hung member costs
/// one deadline, never more: a tick ends within its deadline whatever any member does.
/// A member is asked where it last answered: an endpoint the operator gave (its advertised
/// URL may not be reachable from here), else its own client URLs in turn. The operator's
/// endpoints are asked every tick too.
/// Consecutive snapshots are compared by SnapshotDiff and the differences emitted as events.
///
/// Lives on the thread of its EtcdClient; all signals are emitted there.
class ClusterMonitor : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterMonitor)

public:
    static constexpr int kDefaultIntervalMs = 500;
    static constexpr int kMinimumIntervalMs = 100;
    static constexpr int kDefaultTickDeadlineMs = 1000;

    explicit ClusterMonitor(EtcdClient *client, QObject *parent = nullptr);
    ~ClusterMonitor() override;

    /// Time from the start of one tick to the start of the next; at least 100 ms. A tick
    /// that overruns delays the next one; ticks never overlap.
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }
    /// How long a tick waits for any member.
    void setTickDeadline(int ms);
    int tickDeadline() const { return m_tickDeadlineMs; }

    void start();
    void stop();
    bool isRunning() const { return m_running; }
    /// Runs one tick now unless one is already under way.
    void refresh();
    bool isTicking() const { return m_tick != nullptr; }

    /// The last snapshot (invalid before the first tick ends).
    const ClusterSnapshot &last() const { return m_last; }

    /// Marks the next leader change to target (within 30 s) as one the console asked for.
    void expectLeaderTransfer(uint64_t target);

signals:
    void snapshotReady(const ClusterSnapshot &snapshot);
    void eventsOccurred(const QList<ClusterEvent> &events);

private:
    struct Tick;

    void beginTick();
    void askMemberList();
    /// expected: the member this endpoint is asked for (0: an endpoint the operator gave).
    void askStatus(const QString &endpoint, uint64_t expected = 0);
    /// Where to ask a member for its Status this tick; empty when it has no client URL.
    QString statusEndpoint(const MemberInfo &m) const;
    /// The member's own client URL to try this tick (the next one after a failure), or empty.
    QString ownUrl(const MemberInfo &m) const;
    /// Asks a member on its own client URL in this tick (when not asked there already).
    void askOwnUrl(uint64_t member);
    void learnRoute(const QString &endpoint, const QString &key, uint64_t answeredBy);
    void forgetRoute(uint64_t expected, const QString &key);
    void finishIfDone();
    int remainingMs() const;
    QStringList memberListCandidates() const;
    /// The endpoint as EtcdClient names it ("http://host:port"), remembered.
    QString canonical(const QString &endpoint) const;

    EtcdClient *m_client;
    QTimer m_timer;
    int m_intervalMs = kDefaultIntervalMs;
    int m_tickDeadlineMs = kDefaultTickDeadlineMs;
    bool m_running = false;
    std::unique_ptr<Tick> m_tick;
    quint64 m_ticksStarted = 0;
    ClusterSnapshot m_last;
    std::optional<MemberListInfo> m_knownMembers;
    uint64_t m_expectedLeader = 0;
    uint64_t m_lastKnownLeader = 0;
    // The term m_lastKnownLeader led in: the latest its samples reported, or the term its
    // LeaderChanged carried when that is later (members report a new leader at the old term).
    uint64_t m_lastKnownTerm = 0;
    QElapsedTimer m_expectedSince;
    mutable QHash<QString, QString> m_canonical;
    // Where each member last answered Status. A member's advertised client URL is not always
    // reachable from the console (localhost, 0.0.0.0, names only the cluster's network
    // resolves, NAT): the endpoint the operator gave that answered for it is kept instead.
    QHash<uint64_t, QString> m_route;
    QHash<QString, uint64_t> m_routeOwner; // canonical endpoint -> the member it answered for
    QSet<QString> m_sharedEndpoints; // answered for different members: a load balancer
    QHash<uint64_t, int> m_urlChoice; // which of a member's client URLs to try next
};

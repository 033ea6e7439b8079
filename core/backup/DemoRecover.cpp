#include "backup/DemoRecover.h"

#include "backup/DemoRecoverySteps.h"
#include "backup/StepLog.h"
#include "common/MemberId.h"
#include "demo/MemberProcesses.h"
#include "etcd/EtcdClient.h"
#include "profile/ClusterManifest.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>

namespace {

constexpr int kLeaderTimeoutMs = 60 * 1000;
constexpr int kCatchUpTimeoutMs = 2 * 60 * 1000;
constexpr int kAddTimeoutMs = 30 * 1000;
constexpr int kPollMs = 200;
/// "set the data aside": the first step that changes the demo.
constexpr int kFirstChange = 2;

QString asideName(const LocalMember &m, const QString &stamp)
{
    return m.dataDir + QStringLiteral(".before-recover-") + stamp;
}

/// Polls endpoint until it answers with a raft index at or past target.
void waitUntilCaughtUp(EtcdClient &client, const QString &name, const QString &endpoint, quint64 target,
    QObject *context, std::function<void(Result<void>)> done)
{
    const qint64 giveUpAt = QDateTime::currentMSecsSinceEpoch() + kCatchUpTimeoutMs;
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [&client, name, endpoint, target, context, done, giveUpAt, weak = std::weak_ptr(poll)] {
        auto self = weak.lock();
        client.status(
            endpoint, context,
            [name, target, context, done, giveUpAt, self](const auto &st) {
                if (st.ok() && st->raftIndex >= target && st->leader != 0)
                    return done({});
                if (QDateTime::currentMSecsSinceEpoch() > giveUpAt)
                    return done(Error::timeout(
                        QStringLiteral("%1 did not catch up within %2 s").arg(name).arg(kCatchUpTimeoutMs / 1000)));
                QTimer::singleShot(kPollMs, context, [self] { (*self)(); });
            },
            2000);
    };
    (*poll)();
}

/// member add, tried again while etcd calls the refusal passing: right after the survivor
/// (or a member just added) starts, the leader does not yet count every voter as active.
void addWithRetry(EtcdClient &client, const QString &endpoint, const QString &peerUrl, QObject *context,
    EtcdCallback<MemberAddInfo> done)
{
    const qint64 giveUpAt = QDateTime::currentMSecsSinceEpoch() + kAddTimeoutMs;
    auto attempt = std::make_shared<std::function<void()>>();
    *attempt = [&client, endpoint, peerUrl, context, done, giveUpAt, weak = std::weak_ptr(attempt)] {
        auto self = weak.lock();
        client.memberAdd(endpoint, {peerUrl}, false, context,
            [&client, endpoint, peerUrl, context, done, giveUpAt, self](const auto &added) {
                const bool passing = added.error.code == EtcdError::Unavailable
                    || added.error.code == EtcdError::DeadlineExceeded
                    || added.error.code == EtcdError::FailedPrecondition;
                if (added.ok() || !passing || QDateTime::currentMSecsSinceEpoch() > giveUpAt)
                    return done(added);
                // An add that timed out may have been committed all the same: then it is done.
                client.memberList(endpoint, context, [context, peerUrl, done, added, self](const auto &list) {
                    if (list.ok()) {
                        for (const MemberInfo &info : list->members) {
                            if (!info.peerUrls.contains(peerUrl))
                                continue;
                            EtcdResult<MemberAddInfo> listed = added;
                            listed.error = {};
                            listed.value = MemberAddInfo {list->header, info, list->members};
                            return done(listed);
                        }
                    }
                    QTimer::singleShot(kPollMs * 2, context, [self] { (*self)(); });
                });
            });
    };
    (*attempt)();
}

} // namespace

struct DemoRecover::State {
    QString dir;
    QString survivorName;
    ConnectionSettings credentials;
    StepLog log;
    std::optional<PendingOperation> previous;
    ClusterManifest manifest;
    QString stamp;
    std::unique_ptr<EtcdClient> client;
    bool changed = false;
    uint64_t clusterId = 0; ///< once the rebuilt cluster answers (it keeps its id)
    QStringList notes;

    const LocalMember &survivor() const { return *manifest.member(survivorName); }
    QList<LocalMember> lost() const
    {
        QList<LocalMember> out = manifest.members;
        out.removeIf([this](const LocalMember &m) { return m.name == survivorName; });
        return out;
    }
    /// "name=peerUrl" for every member etcd lists, named from the manifest (an added member
    /// has no name until it starts).
    QString initialClusterOf(const QList<MemberInfo> &listed) const
    {
        QStringList entries;
        for (const MemberInfo &info : listed)
            for (const LocalMember &m : manifest.members)
                if (info.peerUrls.contains(m.peerUrl))
                    entries << m.initialClusterEntry();
        return entries.join(QLatin1Char(','));
    }
    QStringList keptAside() const
    {
        QStringList out;
        for (const LocalMember &m : manifest.members)
            if (QFileInfo::exists(asideName(m, stamp)))
                out << asideName(m, stamp);
        return out;
    }
};

DemoRecover::DemoRecover(QObject *parent)
    : QObject(parent)
{
}

DemoRecover::~DemoRecover() = default;

void DemoRecover::run(
    const QString &dir, const QString &survivor, const ConnectionSettings &credentials, OperationCallback done)
{
    auto state = std::shared_ptr<State>(new State {dir, survivor, credentials, StepLog(dir)});
    const Result<StepLog::Start> start = state->log.start(QStringLiteral("recover"), QStringLiteral("from"), survivor);
    if (!start)
        return done(OperationResult::failed(start.problem()));
    if (start->previous) {
        state->previous = start->previous;
        state->stamp = start->previous->begin.value(QStringLiteral("stamp")).toString();
    }
    m_state = state;
    using Next = StepChain<State>::Next;
    LoggedSteps<State> steps(this, state->log, QStringLiteral("recover"), start->resumeAt,
        [this](const QString &step, const Result<void> &r) {
            emit stepEnded(step, r ? OperationResult::done(step) : OperationResult::failed(r.problem()));
        });

    steps.always(QStringLiteral("read the demo's manifest"), [this](State &s, Next next) {
        Result<ClusterManifest> m = ClusterManifest::read(s.dir);
        if (!m)
            return next(m.error());
        s.manifest = m.value();
        if (!s.manifest.member(s.survivorName))
            return next(Error::notFound(QStringLiteral("the demo has no member %1").arg(s.survivorName)));
        if (!s.previous && !QFileInfo::exists(s.survivor().dataDir + QStringLiteral("/member")))
            return next(Error::invalid(QStringLiteral("%1 has no data to recover from (%2 holds no member directory)")
                                           .arg(s.survivorName, s.survivor().dataDir)));
        ConnectionSettings settings = s.manifest.connectionSettings();
        settings.user = s.manifest.authUser.isEmpty() || s.manifest.tls.enabled() ? QString() : s.credentials.user;
        settings.password = settings.user.isEmpty() ? QString() : s.credentials.password;
        s.client = std::make_unique<EtcdClient>(settings);
        if (s.previous)
            return next({});
        s.stamp = DemoRecoverySteps::utcStamp();
        s.log.appendEventThen(this, QStringLiteral("begin"),
            {{QStringLiteral("operation"), QStringLiteral("recover")}, {QStringLiteral("from"), s.survivorName},
                {QStringLiteral("firstChange"), kFirstChange}, {QStringLiteral("stamp"), s.stamp},
                {QStringLiteral("previousToken"), s.manifest.token}},
            next);
    });
    steps.pointOfNoReturn();
    steps.always(QStringLiteral("stop the members"),
        [this](State &s, Next next) { DemoRecoverySteps::stopMembers(s.manifest, this, next); });
    steps.add(QStringLiteral("set the data aside"), [this](State &s, Next next) {
        s.changed = true;
        // The survivor's data stay in place (it is rebuilt from them); a copy is what a
        // rollback puts back, since --force-new-cluster rewrites its membership.
        DemoRecoverySteps::copyAside(s.log, s.survivorName, s.survivor().dataDir, asideName(s.survivor(), s.stamp),
            this, [this, &s, next](Result<void> copied) {
                if (!copied)
                    return next(copied);
                StepLog::killPoint(QStringLiteral("recover:2.1"));
                QList<DemoRecoverySteps::AsideMove> moves;
                for (const LocalMember &m : s.lost())
                    moves.append({m.name, m.dataDir, asideName(m, s.stamp)});
                DemoRecoverySteps::moveAsideOffThread(s.log, s.previous, moves, QString(), this, next);
            });
    });
    // Members start on the pool (a fork and a manifest written to disk each): the
    // manifest is an alias that keeps the state alive until they have.
    const auto manifest = std::shared_ptr<ClusterManifest>(state, &state->manifest);
    steps.add(QStringLiteral("force a new cluster of one from the survivor"), [this, manifest](State &s, Next next) {
        s.changed = true;
        const QString endpoint = s.survivor().clientUrl;
        DemoRecoverySteps::startMembersOffThread(manifest, {s.survivorName}, s.survivor().initialClusterEntry(), false,
            this,
            [this, &s, next, endpoint](Result<void> started) {
                if (!started)
                    return next(started);
                DemoRecoverySteps::waitForLeader(
                    *s.client, {endpoint}, kLeaderTimeoutMs, this,
                    [this, &s, next](auto led) {
                        if (!led)
                            return next(Error::unavailable(QStringLiteral("%1 did not lead a cluster of one: %2")
                                                               .arg(s.survivorName, led.problem())));
                        // Never left running with the flag: it would rewrite the membership
                        // again at its next start, after the others have joined.
                        DemoRecoverySteps::stopMembers(s.manifest, this, next);
                    },
                    &s.clusterId);
            },
            {QStringLiteral("--force-new-cluster")});
    });
    steps.always(QStringLiteral("start the survivor"), [this, manifest](State &s, Next next) {
        DemoRecoverySteps::startMembersOffThread(
            manifest, {s.survivorName}, s.survivor().initialClusterEntry(), false, this, next);
    });
    steps.always(QStringLiteral("add the lost members back, one at a time"), [this, manifest](State &s, Next next) {
        auto remaining = std::make_shared<QList<LocalMember>>(s.lost());
        auto addNext = std::make_shared<std::function<void()>>();
        const QString survivorUrl = s.survivor().clientUrl;
        *addNext = [this, &s, manifest, next, remaining, survivorUrl, weak = std::weak_ptr(addNext)] {
            if (remaining->isEmpty())
                return next({});
            auto self = weak.lock();
            const LocalMember m = remaining->takeFirst();
            const auto caughtUp = [this, &s, m, next, self] {
                s.log.appendEventThen(this, QStringLiteral("caughtUp"), {{QStringLiteral("member"), m.name}},
                    [&s, m, next, self](Result<void> r) {
                        if (!r)
                            return next(r);
                        if (m.name == s.lost().first().name)
                            StepLog::killPoint(QStringLiteral("recover:5.1"));
                        (*self)();
                    });
            };
            // Starts m as a member of the listed cluster, then waits for it to catch up.
            const auto startAndWait
                = [this, &s, manifest, m, next, survivorUrl, caughtUp](const QList<MemberInfo> &listed) {
                      DemoRecoverySteps::startMembersOffThread(manifest, {m.name}, s.initialClusterOf(listed), false,
                          this, [this, &s, m, next, survivorUrl, caughtUp](Result<void> started) {
                              if (!started)
                                  return next(started);
                              s.client->status(survivorUrl, this, [this, &s, m, next, caughtUp](const auto &st) {
                                  if (!st.ok())
                                      return next(Error::unavailable(st.error.sentence));
                                  waitUntilCaughtUp(*s.client, m.name, m.clientUrl, st->raftIndex, this,
                                      [next, caughtUp](Result<void> r) { r ? caughtUp() : next(r); });
                              });
                          });
                  };
            if (s.previous && s.previous->has(QStringLiteral("caughtUp"), m.name)) {
                // Rejoined in an earlier run: it only needs to run.
                return DemoRecoverySteps::startMembersOffThread(manifest, {m.name},
                    DemoRecoverySteps::initialCluster(s.manifest), false, this,
                    [next, self](Result<void> started) { started ? (*self)() : next(started); });
            }
            // A member add needs a leader: the survivor alone, or with the members already back.
            DemoRecoverySteps::waitForLeader(*s.client, {survivorUrl}, kLeaderTimeoutMs, this,
                [this, &s, m, next, survivorUrl, startAndWait](Result<void> led) {
                    if (!led)
                        return next(led);
                    s.client->memberList(
                        survivorUrl, this, [this, &s, m, next, survivorUrl, startAndWait](const auto &list) {
                            if (!list.ok())
                                return next(Error::unavailable(list.error.sentence));
                            for (const MemberInfo &info : list->members)
                                if (info.peerUrls.contains(m.peerUrl))
                                    return startAndWait(list->members); // added by an interrupted run
                            // Its old data went aside before. What an attempt whose member add
                            // never happened left here is ours to discard; anything else is kept.
                            if (QFileInfo::exists(m.dataDir)) {
                                if (s.previous && s.previous->has(QStringLiteral("adding"), m.name))
                                    MemberProcesses::discardDirectory(m.dataDir);
                                else
                                    DemoRecoverySteps::keepUnexpected(m.dataDir);
                            }
                            s.log.appendEventThen(this, QStringLiteral("adding"), {{QStringLiteral("member"), m.name}},
                                [this, &s, m, next, survivorUrl, startAndWait](Result<void> r) {
                                    if (!r)
                                        return next(r);
                                    addWithRetry(*s.client, survivorUrl, m.peerUrl, this,
                                        [this, &s, m, next, startAndWait](const EtcdResult<MemberAddInfo> &added) {
                                            if (!added.ok())
                                                return next(Error::refused(QStringLiteral("cannot add %1 back: %2")
                                                                               .arg(m.name, added.error.sentence)));
                                            const QList<MemberInfo> members = added->members;
                                            s.log.appendEventThen(this, QStringLiteral("added"),
                                                {{QStringLiteral("member"), m.name},
                                                    {QStringLiteral("id"), MemberId::toHex(added->added.id)}},
                                                [next, startAndWait, members](Result<void> r) {
                                                    if (!r)
                                                        return next(r);
                                                    startAndWait(members);
                                                });
                                        });
                                });
                        });
                });
        };
        (*addNext)();
    });
    steps.always(QStringLiteral("wait for a leader"), [this](State &s, Next next) {
        DemoRecoverySteps::waitForLeader(*s.client, s.manifest.endpoints(), kLeaderTimeoutMs, this, next, &s.clusterId);
    });
    steps.always(QStringLiteral("check every member is a voter and their HashKV agree"), [this](State &s, Next next) {
        s.client->memberList(s.survivor().clientUrl, this, [this, &s, next](const auto &list) {
            if (!list.ok())
                return next(Error::unavailable(list.error.sentence));
            QStringList problems;
            for (const LocalMember &m : std::as_const(s.manifest.members)) {
                const auto it = std::find_if(list->members.begin(), list->members.end(),
                    [&m](const MemberInfo &info) { return info.peerUrls.contains(m.peerUrl); });
                if (it == list->members.end())
                    problems << QStringLiteral("%1 is not a member").arg(m.name);
                else if (it->isLearner || it->name.isEmpty())
                    problems << QStringLiteral("%1 is %2")
                                    .arg(m.name,
                                        it->isLearner ? QStringLiteral("a learner") : QStringLiteral("not started"));
            }
            if (list->members.size() != s.manifest.members.size())
                problems << QStringLiteral("etcd lists %1 members, the demo has %2")
                                .arg(list->members.size())
                                .arg(s.manifest.members.size());
            if (!problems.isEmpty())
                return next(Error::invalid(problems.join(QStringLiteral("; "))));
            DemoRecoverySteps::checkAgreement(*s.client, s.manifest.endpoints(), 0, &s.notes, this, next);
        });
    });

    steps.chain().run(
        state, [this](const StepStart &step) { emit stepStarted(step); },
        [this, state, done](Result<void> result, State &s) {
            s.log.finishThen(this, QStringLiteral("recover"), result.ok(), s.changed || s.previous,
                [this, state, done, result](const QString &unfinished) { finished(state, result, unfinished, done); });
        },
        m_stop);
}

void DemoRecover::finished(const std::shared_ptr<State> &state, const Result<void> &result, const QString &unfinished,
    const OperationCallback &done)
{
    State &s = *state;
    const QJsonObject details = DemoRecoverySteps::closingDetails(
        {{QStringLiteral("from"), s.survivorName},
            {QStringLiteral("keptAside"), QJsonArray::fromStringList(s.keptAside())}},
        s.notes, s.log.path(), s.clusterId);
    DemoRecoverySteps::releaseClient(s.client);
    if (m_state == state)
        m_state.reset();
    if (!result) {
        const QString problem = result.problem() + unfinished;
        done(OperationResult::failed(problem, details));
        return;
    }
    done(OperationResult::done(QStringLiteral("rebuilt the demo from %1: %2 voters agree; the data before the "
                                              "recovery are kept: %3")
                                   .arg(s.survivorName)
                                   .arg(s.manifest.members.size())
                                   .arg(s.keptAside().join(QStringLiteral(", "))),
        details));
}

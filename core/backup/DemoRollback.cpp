#include "backup/DemoRollback.h"

#include "backup/DemoRecoverySteps.h"
#include "backup/StepLog.h"
#include "common/MemberId.h"
#include "common/StepChain.h"
#include "etcd/EtcdClient.h"
#include "profile/ClusterManifest.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace {

constexpr int kLeaderTimeoutMs = 30 * 1000;

} // namespace

struct DemoRollback::State {
    QString dir;
    QString operation;
    StepLog log;
    PendingOperation pending;
    ClusterManifest manifest;
    QString stamp;
    QStringList putBack;
    QStringList keptAside;
    QStringList notes;
    bool begun = false; ///< the step log holds a rollback of this run's
    uint64_t clusterId = 0; ///< when a member answered
    std::unique_ptr<EtcdClient> client;
};

DemoRollback::DemoRollback(QObject *parent)
    : QObject(parent)
{
}

DemoRollback::~DemoRollback() = default;

void DemoRollback::run(const QString &dir, const QString &operation, OperationCallback done)
{
    auto state = std::shared_ptr<State>(new State {dir, operation, StepLog(dir)});
    m_state = state;
    using Next = StepChain<State>::Next;
    StepChain<State> chain;
    int index = 0;
    // Each step is logged before it runs, as the operation's were, and may be interrupted.
    auto logged = [this, &index](const QString &name, StepChain<State>::Step step) {
        const QString point = QStringLiteral("rollback:%1").arg(index++);
        return [this, name, point, step](State &s, Next next) {
            s.log.appendEventThen(this, QStringLiteral("rollback"), {{QStringLiteral("step"), name}},
                [this, name, point, step, &s, next](Result<void> logged) {
                    if (!logged)
                        return next(logged);
                    s.begun = true;
                    StepLog::killPoint(point);
                    step(s, [this, name, next](Result<void> r) {
                        emit stepEnded(name, r ? OperationResult::done(name) : OperationResult::failed(r.problem()));
                        next(r);
                    });
                });
        };
    };

    chain.add(QStringLiteral("read the step log and the demo's manifest"), [](State &s, Next next) {
        const Result<std::optional<PendingOperation>> pending = s.log.pending();
        if (!pending)
            return next(pending.error());
        if (!pending.value() || !pending.value()->changedAnything())
            return next(Error::notFound(
                QStringLiteral("nothing to roll back: the step log %1 holds no unfinished restore or recovery")
                    .arg(s.log.path())));
        if (pending.value()->operation != s.operation)
            return next(Error::invalid(QStringLiteral("the unfinished operation is a %1, not a %2: run `quorumdeck "
                                                      "demo %1 --rollback`")
                                           .arg(pending.value()->operation, s.operation)));
        s.pending = *pending.value();
        Result<ClusterManifest> m = ClusterManifest::read(s.dir);
        if (!m)
            return next(m.error());
        s.manifest = m.value();
        s.stamp = DemoRecoverySteps::utcStamp();
        next({});
    });
    chain.add(QStringLiteral("stop the members"),
        logged(QStringLiteral("stop the members"),
            [this](State &s, Next next) { DemoRecoverySteps::stopMembers(s.manifest, this, next); }));
    chain.add(QStringLiteral("put the old data back"),
        logged(QStringLiteral("put the old data back"), [](State &s, Next next) {
            QList<QJsonObject> moves = s.pending.records(QStringLiteral("aside"));
            std::reverse(moves.begin(), moves.end());
            for (const QJsonObject &move : std::as_const(moves)) {
                const QString from = move.value(QStringLiteral("from")).toString();
                const QString aside = move.value(QStringLiteral("to")).toString();
                // Gone: never moved (the run was killed before the rename), or put back by
                // an interrupted rollback. Either way the old data are where they belong.
                if (!QFileInfo::exists(aside))
                    continue;
                if (QFileInfo::exists(from)) {
                    // What the run made is kept too: the operator may want to look at it.
                    const QString made = from + QStringLiteral(".rolled-back-") + s.stamp;
                    if (!QDir().rename(from, made))
                        return next(Error::io(QStringLiteral("cannot move %1 aside to %2").arg(from, made)));
                    s.keptAside << made;
                }
                if (!QDir().rename(aside, from))
                    return next(Error::io(QStringLiteral("cannot move %1 back to %2").arg(aside, from)));
                s.putBack << from;
            }
            // Members that had no data before the run, and were given some by it.
            for (const LocalMember &m : std::as_const(s.manifest.members)) {
                const bool made = s.pending.has(QStringLiteral("restoring"), m.name)
                    || s.pending.has(QStringLiteral("adding"), m.name);
                if (!made || s.pending.has(QStringLiteral("aside"), m.name) || !QFileInfo::exists(m.dataDir))
                    continue;
                const QString kept = m.dataDir + QStringLiteral(".rolled-back-") + s.stamp;
                if (!QDir().rename(m.dataDir, kept))
                    return next(Error::io(QStringLiteral("cannot move %1 aside to %2").arg(m.dataDir, kept)));
                s.keptAside << kept;
            }
            next({});
        }));
    chain.add(QStringLiteral("start the members that have data"),
        logged(QStringLiteral("start the members that have data"),
            [this, manifest = std::shared_ptr<ClusterManifest>(state, &state->manifest)](State &s, Next next) {
                const QString token = s.pending.begin.value(QStringLiteral("previousToken")).toString();
                if (!token.isEmpty())
                    s.manifest.token = token;
                QStringList names;
                for (const LocalMember &m : std::as_const(s.manifest.members))
                    if (QFileInfo::exists(m.dataDir))
                        names << m.name;
                    else
                        s.notes << QStringLiteral("%1 has no data directory and was not started").arg(m.name);
                DemoRecoverySteps::startMembersOffThread(
                    manifest, names, DemoRecoverySteps::initialCluster(s.manifest), false, this, next);
            }));
    chain.add(QStringLiteral("wait for a leader"), [this](State &s, Next next) {
        ConnectionSettings settings = s.manifest.connectionSettings();
        settings.user.clear();
        s.client = std::make_unique<EtcdClient>(settings);
        DemoRecoverySteps::waitForLeader(
            *s.client, s.manifest.endpoints(), kLeaderTimeoutMs, this,
            [&s, next](Result<void> leader) {
                // The cluster is back as it was, and it may have had no quorum then.
                if (!leader)
                    s.notes << QStringLiteral("no leader yet: %1").arg(leader.problem());
                next({});
            },
            &s.clusterId);
    });

    chain.run(
        state, [this](const StepStart &step) { emit stepStarted(step); },
        [this, state, done](Result<void> result, State &s) {
            // What answers the caller, once the log is closed.
            const auto answer = [this, state, done, result] {
                State &s = *state;
                const QJsonObject details = DemoRecoverySteps::closingDetails(
                    {{QStringLiteral("putBack"), QJsonArray::fromStringList(s.putBack)},
                        {QStringLiteral("keptAside"), QJsonArray::fromStringList(s.keptAside)}},
                    s.notes, s.log.path(), s.clusterId);
                DemoRecoverySteps::releaseClient(s.client);
                if (m_state == state)
                    m_state.reset();
                if (!result) {
                    done(OperationResult::failed(result.problem()
                            + (s.begun ? QStringLiteral("; run the rollback again to finish it") : QString()),
                        details));
                    return;
                }
                done(OperationResult::done(
                    QStringLiteral("rolled back the %1: %2 data directories put back%3")
                        .arg(s.operation)
                        .arg(s.putBack.size())
                        .arg(s.keptAside.isEmpty() ? QString()
                                                   : QStringLiteral("; what it made is kept in %1")
                                                         .arg(s.keptAside.join(QStringLiteral(", ")))),
                    details));
            };
            if (!result)
                return answer();
            s.log.appendEventThen(this, QStringLiteral("end"),
                {{QStringLiteral("outcome"), QStringLiteral("rolledBack")}}, [answer](Result<void>) { answer(); });
        });
}

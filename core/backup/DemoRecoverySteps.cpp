#include "backup/DemoRecoverySteps.h"

#include "backup/OffThread.h"
#include "common/MemberId.h"
#include "demo/MemberProcesses.h"
#include "etcd/EtcdClient.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QTimer>

namespace {

constexpr int kPollMs = 200;
constexpr int kMemberStartMs = 20000; ///< how long a restarted member may take to answer

/// A recursive copy keeping permissions (etcd's data directories are 0700); false on the
/// first failure.
bool copyTree(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to) || !QFile::setPermissions(to, QFileInfo(from).permissions()))
        return false;
    QDirIterator it(from, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = QDir(to).filePath(it.fileName());
        if (it.fileInfo().isDir() && !it.fileInfo().isSymLink()) {
            if (!copyTree(source, target))
                return false;
        } else if (!QFile::copy(source, target)) {
            return false;
        }
    }
    return true;
}

} // namespace

namespace DemoRecoverySteps {

QString utcStamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
}

QList<qint64> runningMembers(const ClusterManifest &manifest)
{
    QList<qint64> members;
    for (const LocalMember &m : manifest.members) {
        members << m.pid;
        // A member started by a run killed before it saved the manifest is only in its pid file.
        if (QFile f(QDir(manifest.dir).filePath(m.name + QStringLiteral(".pid"))); f.open(QIODevice::ReadOnly))
            members << f.readAll().trimmed().toLongLong();
    }
    QList<qint64> running = MemberProcesses::alive(manifest.dir, members);
    running.removeIf([&members](qint64 pid) { return !members.contains(pid); });
    return running;
}

void stopMembers(const ClusterManifest &manifest, QObject *context, Done done)
{
    // The members only: the load balancer and the peer proxies serve the cluster after.
    MemberProcesses::stop(runningMembers(manifest), context, [manifest, done] {
        if (!runningMembers(manifest).isEmpty())
            return done(Error::unavailable(QStringLiteral("a member did not stop")));
        done({});
    });
}

Result<void> startMembers(ClusterManifest &manifest, const QStringList &names, const QString &initialCluster,
    bool newCluster, const QStringList &extraArguments)
{
    const QList<qint64> running = runningMembers(manifest);
    for (const QString &name : names) {
        LocalMember *m = manifest.member(name);
        if (!m)
            return Error::notFound(QStringLiteral("the demo has no member %1").arg(name));
        if (running.contains(m->pid))
            continue;
        if (Result<void> started = MemberProcesses::start(manifest, *m, initialCluster, newCluster, extraArguments);
            !started)
            return started;
        // Saved after each start, so that a run killed halfway leaves every pid recorded.
        if (Result<void> saved = manifest.save(); !saved)
            return saved;
    }
    return manifest.save();
}

void startMembersOffThread(std::shared_ptr<ClusterManifest> manifest, const QStringList &names,
    const QString &initialCluster, bool newCluster, QObject *context, Done done, const QStringList &extraArguments)
{
    OffThread::run(
        context,
        [manifest, names, initialCluster, newCluster, extraArguments] {
            return startMembers(*manifest, names, initialCluster, newCluster, extraArguments);
        },
        std::move(done));
}

QString initialCluster(const ClusterManifest &manifest)
{
    QStringList entries;
    for (const LocalMember &m : manifest.members)
        entries << m.initialClusterEntry();
    return entries.join(QLatin1Char(','));
}

void keepUnexpected(const QString &dataDir)
{
    if (!QFileInfo::exists(dataDir))
        return;
    QString kept = dataDir + QStringLiteral(".unexpected-") + utcStamp();
    for (int n = 2; QFileInfo::exists(kept); ++n)
        kept = dataDir + QStringLiteral(".unexpected-") + utcStamp() + QLatin1Char('-') + QString::number(n);
    QDir().rename(dataDir, kept);
}

Result<void> moveAside(
    const StepLog &log, const PendingOperation *previous, const QString &member, const QString &from, const QString &to)
{
    if (previous) {
        for (const QJsonObject &line : previous->records(QStringLiteral("aside"))) {
            if (line.value(QStringLiteral("member")).toString() != member)
                continue;
            // A previous run moved this member's data already (or logged the move and was
            // killed before the rename): finish that move, never start a second one.
            const QString earlier = line.value(QStringLiteral("to")).toString();
            if (QFileInfo::exists(earlier))
                return {};
            if (!QFileInfo::exists(from))
                return {};
            if (!QDir().rename(from, earlier))
                return Error::io(QStringLiteral("cannot move %1 aside to %2").arg(from, earlier));
            return {};
        }
    }
    if (!QFileInfo::exists(from))
        return {};
    if (Result<void> logged = log.appendEvent(QStringLiteral("aside"),
            {{QStringLiteral("member"), member}, {QStringLiteral("from"), from}, {QStringLiteral("to"), to}});
        !logged)
        return logged;
    // Renamed, never deleted: the operator decides when the old data may go.
    if (!QDir().rename(from, to))
        return Error::io(QStringLiteral("cannot move %1 aside to %2").arg(from, to));
    return {};
}

void moveAsideOffThread(const StepLog &log, std::optional<PendingOperation> previous, QList<AsideMove> moves,
    const QString &killPoint, QObject *context, Done done)
{
    OffThread::run(
        context,
        [log, previous = std::move(previous), moves = std::move(moves), killPoint]() -> Result<void> {
            for (qsizetype i = 0; i < moves.size(); ++i) {
                const AsideMove &m = moves.at(i);
                if (Result<void> moved = moveAside(log, previous ? &*previous : nullptr, m.member, m.from, m.to);
                    !moved)
                    return moved;
                if (i == 0)
                    StepLog::killPoint(killPoint);
            }
            return {};
        },
        std::move(done));
}

void copyAside(
    const StepLog &log, const QString &member, const QString &from, const QString &to, QObject *context, Done done)
{
    if (QFileInfo::exists(to))
        return done({}); // a previous run made the copy
    OffThread::run(
        context,
        [log, member, from, to]() -> Result<void> {
            if (Result<void> logged = log.appendEvent(QStringLiteral("aside"),
                    {{QStringLiteral("member"), member}, {QStringLiteral("from"), from}, {QStringLiteral("to"), to},
                        {QStringLiteral("copy"), true}});
                !logged)
                return logged;
            const QString partial = to + QStringLiteral(".partial");
            if (QFileInfo::exists(partial))
                QDir(partial).removeRecursively();
            if (!copyTree(from, partial) || !QDir().rename(partial, to))
                return Error::io(QStringLiteral("cannot copy %1 to %2").arg(from, to));
            return {};
        },
        std::move(done));
}

void waitForLeader(
    EtcdClient &client, const QStringList &endpoints, int timeoutMs, QObject *context, Done done, uint64_t *clusterId)
{
    const qint64 giveUpAt = QDateTime::currentMSecsSinceEpoch() + timeoutMs;
    auto poll = std::make_shared<std::function<void(int)>>();
    // Each answer holds the function for the next poll; nothing holds it after the last.
    *poll = [&client, endpoints, timeoutMs, context, done, giveUpAt, clusterId, weak = std::weak_ptr(poll)](int turn) {
        auto self = weak.lock();
        const QString endpoint = endpoints.at(turn % endpoints.size());
        client.status(
            endpoint, context,
            [context, done, giveUpAt, timeoutMs, clusterId, self, turn](const auto &st) {
                if (st.ok() && clusterId)
                    *clusterId = st->header.clusterId;
                if (st.ok() && st->leader != 0)
                    return done({});
                if (QDateTime::currentMSecsSinceEpoch() > giveUpAt)
                    return done(Error::timeout(QStringLiteral("no leader within %1 s").arg(timeoutMs / 1000)));
                QTimer::singleShot(kPollMs, context, [self, turn] { (*self)(turn + 1); });
            },
            2000);
    };
    (*poll)(0);
}

void checkAgreement(
    EtcdClient &client, const QStringList &endpoints, qint64 revision, QStringList *notes, QObject *context, Done done)
{
    struct Round {
        int left = 0;
        QStringList problems;
        QMap<QString, qint64> revisions;
        QMap<QString, quint32> hashes;
    };
    auto round = std::make_shared<Round>();
    round->left = int(endpoints.size());
    auto hashAll = [&client, endpoints, revision, notes, context, done, round] {
        if (!round->problems.isEmpty())
            return done(Error::invalid(round->problems.join(QStringLiteral("; "))));
        const QList<qint64> seen = round->revisions.values();
        const qint64 at = revision > 0 ? revision : *std::min_element(seen.begin(), seen.end());
        for (auto it = round->revisions.cbegin(); it != round->revisions.cend(); ++it)
            if (it.value() < at)
                round->problems
                    << QStringLiteral("%1 is at revision %2, below %3").arg(it.key()).arg(it.value()).arg(at);
        if (!round->problems.isEmpty())
            return done(Error::invalid(round->problems.join(QStringLiteral("; "))));
        round->left = int(endpoints.size());
        for (const QString &endpoint : endpoints) {
            client.hashKV(endpoint, at, context, [endpoint, at, notes, done, round](const auto &h) {
                if (h.ok())
                    round->hashes.insert(endpoint, h->hash);
                if (--round->left > 0)
                    return;
                const QList<quint32> values = round->hashes.values();
                if (values.isEmpty()) {
                    *notes << QStringLiteral("HashKV not compared: authentication is on");
                    return done({});
                }
                if (std::count(values.begin(), values.end(), values.first()) != values.size())
                    return done(Error::invalid(QStringLiteral("the members' HashKV differ at revision %1").arg(at)));
                done({});
            });
        }
    };
    // A leader needs only a majority: the last member may still be opening its database.
    // Each is asked until it answers, for as long as a member may take to start.
    const qint64 giveUpAt = QDateTime::currentMSecsSinceEpoch() + kMemberStartMs;
    for (const QString &endpoint : endpoints) {
        auto ask = std::make_shared<std::function<void()>>();
        *ask = [&client, endpoint, round, hashAll, context, giveUpAt, weak = std::weak_ptr(ask)] {
            auto self = weak.lock();
            client.status(
                endpoint, context,
                [endpoint, round, hashAll, context, giveUpAt, self](const auto &st) {
                    if (!st.ok() && QDateTime::currentMSecsSinceEpoch() < giveUpAt) {
                        QTimer::singleShot(kPollMs, context, [self] { (*self)(); });
                        return;
                    }
                    if (st.ok())
                        round->revisions.insert(endpoint, st->header.revision);
                    else
                        round->problems << QStringLiteral("%1: %2").arg(endpoint, st.error.sentence);
                    if (--round->left == 0)
                        hashAll();
                },
                2000);
        };
        (*ask)();
    }
}

QJsonObject closingDetails(QJsonObject own, const QStringList &notes, const QString &stepLog, uint64_t clusterId)
{
    own.insert(QStringLiteral("notes"), QJsonArray::fromStringList(notes));
    own.insert(QStringLiteral("stepLog"), stepLog);
    own.insert(QStringLiteral("clusterId"), clusterId ? MemberId::toHex(clusterId) : QString());
    return own;
}

void releaseClient(std::unique_ptr<EtcdClient> &client)
{
    if (client)
        client.release()->deleteLater();
}

} // namespace DemoRecoverySteps

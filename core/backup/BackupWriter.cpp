#include "backup/BackupWriter.h"

#include "backup/BackupCatalog.h"
#include "backup/OffThread.h"
#include "backup/SnapshotFile.h"
#include "backup/StagingFile.h"
#include "common/MemberId.h"
#include "etcd/EtcdClient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <atomic>

namespace {

constexpr int kTrailingHash = 32;
constexpr int kProgressMs = 200;

/// The member to stream from when none is named: a follower of the leader that has applied
/// the most (the leader's disk and network stay for the cluster's clients), else the leader,
/// else, without a leader, whoever answers with the most applied: a backup is most wanted
/// when quorum is gone.
const MemberState *defaultSource(const ClusterSnapshot &snapshot)
{
    const MemberState *best = nullptr;
    auto better
        = [](const MemberState &m, const MemberState *than) { return !than || m.appliedIndex > than->appliedIndex; };
    for (const MemberState &m : snapshot.members())
        if (m.role == MemberRole::Follower && m.reachable && m.followsLeader && !m.clientUrls.isEmpty()
            && better(m, best))
            best = &m;
    if (best)
        return best;
    if (const MemberState *leader = snapshot.leader(); leader && leader->reachable && !leader->clientUrls.isEmpty())
        return leader;
    for (const MemberState &m : snapshot.members())
        if (m.reachable && !m.clientUrls.isEmpty() && better(m, best))
            best = &m;
    return best;
}

} // namespace

/// One save. The stream's thread writes to it while the stream runs, then the thread pool
/// reads it, never both at once.
struct BackupWriter::Job {
    BackupPlan plan;
    BackupOptions options;
    BackupManifest manifest;
    Done done;

    StagingFile file;
    bool opened = false;
    QCryptographicHash whole {QCryptographicHash::Sha256};
    QCryptographicHash content {QCryptographicHash::Sha256}; ///< all but the trailing hash
    QByteArray tail; ///< the last bytes seen, held back from content
    std::atomic<qint64> received {0};
    std::atomic<qint64> total {0};

    Result<void> take(QByteArrayView chunk, quint64 remaining)
    {
        if (!opened) {
            if (!QDir().mkpath(plan.directory))
                return Error::io(QStringLiteral("cannot create the directory %1").arg(plan.directory));
            if (Result<void> r = file.open(plan.directory); !r)
                return r;
            opened = true;
        }
        if (Result<void> r = file.write(chunk.data(), chunk.size()); !r)
            return r;
        whole.addData(chunk);
        tail.append(chunk);
        if (tail.size() > kTrailingHash) {
            content.addData(QByteArrayView(tail).first(tail.size() - kTrailingHash));
            tail = tail.right(kTrailingHash);
        }
        received += chunk.size();
        total = received + qint64(remaining);
        return {};
    }
};

BackupWriter::BackupWriter(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_progressTimer.setInterval(kProgressMs);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_job)
            emit progress(m_job->received, m_job->total);
    });
}

BackupWriter::~BackupWriter() = default;

BackupPlan BackupWriter::plan(const ClusterSnapshot &snapshot, const BackupOptions &options)
{
    BackupPlan p;
    if (!snapshot.anyAnswered()) {
        p.sentence = QStringLiteral("no member answers, so there is nothing to back up from");
        return p;
    }
    const MemberState *source = nullptr;
    if (options.from.isEmpty()) {
        source = defaultSource(snapshot);
        if (!source) {
            p.sentence = QStringLiteral("no member with a client URL answers");
            return p;
        }
    } else {
        source = snapshot.findMember(options.from);
        if (!source) {
            p.sentence
                = QStringLiteral("no member has the id or name \"%1\"; see quorumdeck member list").arg(options.from);
            return p;
        }
        if (!source->reachable || source->clientUrls.isEmpty()) {
            p.sentence = QStringLiteral("%1 does not answer, so it cannot stream a backup").arg(source->displayName());
            return p;
        }
    }
    p.allowed = true;
    p.memberId = source->id;
    p.memberName = source->displayName();
    p.endpoint = source->clientUrls.first();
    p.directory = options.directory.isEmpty() ? BackupCatalog::defaultDirectory(MemberId::toHex(snapshot.clusterId()))
                                              : QDir(options.directory).absolutePath();
    p.sentence = QStringLiteral("back up from %1 into %2").arg(p.memberName, p.directory);
    return p;
}

void BackupWriter::save(const ClusterSnapshot &snapshot, const BackupOptions &options, Done done)
{
    if (m_job) {
        done(Error::refused(QStringLiteral("a backup is being taken already")));
        return;
    }
    const BackupPlan p = plan(snapshot, options);
    if (!p.allowed) {
        done(Error::refused(p.sentence));
        return;
    }
    auto job = std::make_shared<Job>();
    job->plan = p;
    job->options = options;
    job->done = std::move(done);
    BackupManifest &m = job->manifest;
    m.clusterId = MemberId::toHex(snapshot.clusterId());
    for (const MemberState &member : snapshot.members())
        m.members << BackupManifest::Member {
            MemberId::toHex(member.id), member.name, member.peerUrls, member.clientUrls};
    const MemberState *source = snapshot.member(p.memberId);
    m.etcdVersion = source ? source->version : QString();
    m.sourceId = MemberId::toHex(p.memberId);
    m.sourceName = source ? source->name : QString();
    // Whole seconds: the time is part of the file's name.
    m.time = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    m_job = job;
    m_progressTimer.start();
    m_client->snapshot(
        p.endpoint, [job](QByteArrayView chunk, quint64 remaining) { return job->take(chunk, remaining); }, this,
        [this, job](const EtcdResult<SnapshotInfo> &r) {
            if (job == m_job)
                streamed(r.ok() ? QString() : r.error.sentence);
        });
}

void BackupWriter::streamed(const QString &error)
{
    if (!error.isEmpty()) {
        finish(Error::unavailable(
            QStringLiteral("the snapshot from %1 failed; nothing was saved: %2").arg(m_job->plan.memberName, error)));
        return;
    }
    std::shared_ptr<Job> job = m_job;
    OffThread::run(
        this,
        [job]() -> Result<BackupManifest> {
            const qint64 size = job->received;
            if (size % 512 != kTrailingHash || job->tail.size() != kTrailingHash)
                return Error::invalid(
                    QStringLiteral("the snapshot does not end in etcd's SHA-256 (%1 bytes); nothing was saved")
                        .arg(size));
            if (job->content.result() != job->tail)
                return Error::invalid(SnapshotFile::hashMismatch());
            if (Result<void> synced = job->file.sync(); !synced)
                return synced.error();
            Result<SnapshotStatus> status = SnapshotFile::status(job->file.readablePath());
            if (!status)
                return status.error().context(QStringLiteral("the snapshot does not read as an etcd database"));
            BackupManifest m = job->manifest;
            m.revision = status->revision;
            m.totalKey = status->totalKey;
            m.hash = status->hash;
            m.size = size;
            m.sha256 = QString::fromLatin1(job->whole.result().toHex());
            return m;
        },
        [this, job](Result<BackupManifest> m) {
            if (job == m_job)
                described(std::move(m));
        });
}

void BackupWriter::described(Result<BackupManifest> described)
{
    if (!described) {
        finish(described.error());
        return;
    }
    std::shared_ptr<Job> job = m_job;
    BackupManifest manifest = described.value();
    // The source's HashKV at the backup's revision: a restored copy must give the same.
    const qint64 revision = qMax<qint64>(manifest.revision, 1); // see restoredRevision()
    m_client->hashKV(job->plan.endpoint, revision, this, [this, job, manifest, revision](const auto &hash) mutable {
        if (job != m_job)
            return;
        if (hash.ok() && hash->compactRevision < revision) {
            manifest.hashKV = hash->hash;
            manifest.hashKVCompactRevision = hash->compactRevision;
        }
        OffThread::run(
            this,
            [job, manifest]() -> Result<SavedBackup> {
                SavedBackup saved;
                saved.manifest = manifest;
                const QString name = manifest.fileName();
                if (QFile::exists(QDir(job->plan.directory).filePath(name)))
                    return Error::refused(QStringLiteral("a backup of revision %1 was taken within the same second "
                                                         "already: %2")
                                              .arg(manifest.revision)
                                              .arg(name));
                if (Result<void> published = job->file.publish(name); !published)
                    return published.error();
                saved.path = QDir(job->plan.directory).filePath(name);
                if (Result<void> written = manifest.save(BackupManifest::manifestPathFor(saved.path)); !written) {
                    QFile::remove(saved.path);
                    return written.error().context(QStringLiteral("nothing was saved"));
                }
                if (job->options.keep > 0) {
                    Result<QStringList> pruned
                        = BackupCatalog::prune(job->plan.directory, manifest.clusterId, job->options.keep);
                    if (pruned)
                        saved.pruned = pruned.value();
                    else
                        saved.warning = pruned.problem();
                }
                return saved;
            },
            [this, job](Result<SavedBackup> saved) {
                if (job == m_job)
                    finish(saved);
            });
    });
}

void BackupWriter::finish(const Result<SavedBackup> &result)
{
    m_progressTimer.stop();
    std::shared_ptr<Job> job = std::move(m_job);
    if (job->opened)
        emit progress(job->received, job->total);
    job->done(result);
}

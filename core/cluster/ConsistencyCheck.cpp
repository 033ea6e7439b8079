#include "cluster/ConsistencyCheck.h"

#include "etcd/EtcdClient.h"

#include <QSet>
#include <QTimer>
#include <memory>

namespace {

constexpr int kSettleRetries = 3;
constexpr int kSettleMs = 500;

/// A voter that answered the snapshot (or the last round) is asked for its hash.
bool toAsk(const MemberHash &h)
{
    return h.currentRevision > 0 && h.outcome != MemberHash::Outcome::Learner;
}

} // namespace

ConsistencyCheck::ConsistencyCheck(EtcdClient *client, QObject *parent)
    : QObject(parent)
{
    m_hash = [this, client](const QString &endpoint, int64_t revision, EtcdCallback<HashKVInfo> done) {
        // A hash reads every key of every revision kept: give it a defragmentation's time.
        client->hashKV(endpoint, revision, this, std::move(done), client->settings().deadlines.defragmentMs);
    };
}

ConsistencyCheck::ConsistencyCheck(HashCall hash, QObject *parent)
    : QObject(parent)
    , m_hash(std::move(hash))
{
}

bool ConsistencyCheck::start(const ClusterSnapshot &snapshot)
{
    if (m_running)
        return false;
    m_running = true;
    ++m_run;
    m_settleRetries = 0;
    m_targets.clear();
    m_voters = 0;
    m_clusterId = snapshot.clusterId();
    int64_t lowest = 0;
    for (const MemberState &m : snapshot.members()) {
        Target t;
        t.hash.id = m.id;
        t.hash.name = m.displayName();
        t.endpoint = m.clientUrls.value(0);
        if (m.isLearner) {
            t.hash.outcome = MemberHash::Outcome::Learner;
            t.hash.error = QStringLiteral("a learner: etcd serves HashKV only on voting members");
        } else {
            ++m_voters;
            if (!m.reachable || t.endpoint.isEmpty()) {
                t.hash.error = QStringLiteral("does not answer");
            } else {
                t.hash.currentRevision = m.revision;
                lowest = lowest == 0 ? m.revision : qMin(lowest, m.revision);
            }
        }
        m_targets << t;
    }
    if (lowest <= 0) {
        finish(ConsistencyReport::undecided(
            QStringLiteral("no voting member answers, so there is nothing to compare"), rows()));
        return true;
    }
    // Every member is at or past the lowest revision any of them reported: all can hash it.
    hashAll(lowest, true);
    return true;
}

QList<MemberHash> ConsistencyCheck::rows() const
{
    QList<MemberHash> out;
    for (const Target &t : m_targets)
        out << t.hash;
    return out;
}

void ConsistencyCheck::hashAll(int64_t revision, bool mayRetry)
{
    auto pending = std::make_shared<int>(0);
    for (const Target &t : std::as_const(m_targets))
        *pending += toAsk(t.hash);
    const quint64 run = m_run;
    for (int i = 0; i < m_targets.size(); ++i) {
        MemberHash &h = m_targets[i].hash;
        if (!toAsk(h))
            continue;
        h.outcome = MemberHash::Outcome::NoAnswer;
        m_hash(m_targets.at(i).endpoint, revision, [=, this](const EtcdResult<HashKVInfo> &r) {
            if (run != m_run)
                return;
            MemberHash &h = m_targets[i].hash;
            if (r.ok()) {
                h.outcome = MemberHash::Outcome::Hashed;
                h.error.clear();
                h.hash = r->hash;
                h.compactRevision = r->compactRevision;
                h.currentRevision = r->header.revision;
                // etcd 3.4 does not say; it hashed exactly the revision asked for.
                h.hashRevision = r->hashRevision > 0 ? r->hashRevision : revision;
            } else {
                h.error = r.error.isCompacted() ? QStringLiteral("compacted at or past revision %1").arg(revision)
                                                : r.error.sentence;
                if (r.error.isCompacted())
                    h.compactRevision = revision; // at least; learnCompaction reads the figure
            }
            if (--*pending > 0)
                return;
            bool compacted = false;
            for (const Target &t : std::as_const(m_targets))
                compacted |= !t.hash.hashed() && t.hash.error.startsWith(QLatin1String("compacted at or past"));
            if (compacted && mayRetry) {
                learnCompaction(revision);
                return;
            }
            // A compaction that some members have applied and others not yet settles within
            // moments: hash again at the same revision a few times before giving no verdict.
            QSet<int64_t> compactions;
            for (const Target &t : std::as_const(m_targets))
                if (t.hash.hashed())
                    compactions.insert(t.hash.compactRevision);
            if (compactions.size() > 1 && m_settleRetries < kSettleRetries) {
                ++m_settleRetries;
                QTimer::singleShot(kSettleMs, this, [this, run, revision] {
                    if (run == m_run)
                        hashAll(revision, false);
                });
                return;
            }
            finish(ConsistencyReport::decide(revision, rows(), m_voters));
        });
    }
}

// Hashing at revision 0 hashes at the member's own current revision, which is never below
// its compact revision, and its answer names the compact revision: enough to choose again.
void ConsistencyCheck::learnCompaction(int64_t tried)
{
    auto pending = std::make_shared<int>(0);
    for (const Target &t : std::as_const(m_targets))
        *pending += toAsk(t.hash);
    const quint64 run = m_run;
    for (int i = 0; i < m_targets.size(); ++i) {
        const Target &t = m_targets.at(i);
        if (!toAsk(t.hash))
            continue;
        m_hash(t.endpoint, 0, [=, this](const EtcdResult<HashKVInfo> &r) {
            if (run != m_run)
                return;
            MemberHash &h = m_targets[i].hash;
            h.outcome = MemberHash::Outcome::NoAnswer;
            if (r.ok()) {
                h.compactRevision = r->compactRevision;
                h.currentRevision = r->header.revision;
                // Kept in case no revision above the compaction exists (see below).
                h.hash = r->hash;
                h.hashRevision = r->hashRevision > 0 ? r->hashRevision : r->header.revision;
            } else {
                h.error = r.error.sentence;
                h.currentRevision = 0;
            }
            if (--*pending > 0)
                return;
            int64_t compacted = 0;
            int64_t lowest = 0;
            for (const Target &other : std::as_const(m_targets)) {
                if (!toAsk(other.hash))
                    continue;
                compacted = qMax(compacted, other.hash.compactRevision);
                lowest = lowest == 0 ? other.hash.currentRevision : qMin(lowest, other.hash.currentRevision);
            }
            if (lowest == 0) {
                finish(ConsistencyReport::undecided(
                    QStringLiteral("no voting member answered HashKV after revision %1 was compacted").arg(tried),
                    rows()));
                return;
            }
            if (lowest <= compacted) {
                // Compacted at the current revision with no write since: no revision lies above
                // the compaction. Members at one current revision and one compact revision have
                // just hashed the same state (revision 0 is the current one, as `etcdctl
                // endpoint hashkv` asks), so those hashes are compared.
                bool same = true;
                for (const Target &other : std::as_const(m_targets))
                    if (toAsk(other.hash))
                        same &= other.hash.currentRevision == lowest && other.hash.compactRevision == compacted;
                if (!same) {
                    finish(ConsistencyReport::undecided(
                        QStringLiteral("the members were compacted at their current revision while writes arrived; "
                                       "check again"),
                        rows()));
                    return;
                }
                for (Target &other : m_targets)
                    if (toAsk(other.hash)) {
                        other.hash.outcome = MemberHash::Outcome::Hashed;
                        other.hash.error.clear();
                    }
                finish(ConsistencyReport::decide(lowest, rows(), m_voters));
                return;
            }
            hashAll(lowest, false);
        });
    }
}

void ConsistencyCheck::finish(ConsistencyReport report)
{
    m_running = false;
    report.clusterId = m_clusterId;
    emit finished(report);
}

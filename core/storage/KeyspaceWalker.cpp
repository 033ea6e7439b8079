#include "storage/KeyspaceWalker.h"

#include "etcd/EtcdClient.h"

KeyspaceWalker::KeyspaceWalker(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

QByteArray KeyspaceWalker::prefixEnd(const QByteArray &prefix)
{
    // The prefix with its last byte below 0xff raised by one; all 0xff (or empty) means
    // "to the end of the keyspace", which etcd writes as a single zero byte.
    QByteArray end = prefix;
    for (qsizetype i = end.size() - 1; i >= 0; --i) {
        if (uchar(end.at(i)) < 0xff) {
            end[i] = char(uchar(end.at(i)) + 1);
            return end.left(i + 1);
        }
    }
    return QByteArray(1, '\0');
}

QString KeyspaceWalker::readEndpoint(const ClusterSnapshot &snapshot)
{
    QString leader;
    for (const MemberState &m : snapshot.members()) {
        if (!m.reachable || m.clientUrls.isEmpty() || m.isLearner)
            continue;
        if (m.id == snapshot.leaderId())
            leader = m.clientUrls.first();
        else if (m.isHealthyVoter())
            return m.clientUrls.first();
    }
    return leader;
}

void KeyspaceWalker::start(const ClusterSnapshot &snapshot, const QByteArray &prefix, int depth, int topK, Done done)
{
    ++m_run;
    m_done = std::move(done);
    m_summary = KeyspaceSummary(depth, topK);
    m_total = 0;
    m_endpoint = readEndpoint(snapshot);
    if (m_endpoint.isEmpty()) {
        fail(QStringLiteral("no member that follows a leader answers, so the keyspace cannot be read"));
        return;
    }
    m_rangeEnd = prefixEnd(prefix);
    // The whole keyspace starts at the zero byte, as etcdctl's --from-key "".
    readPage(prefix.isEmpty() ? QByteArray(1, '\0') : prefix);
}

void KeyspaceWalker::cancel()
{
    ++m_run;
    m_done = {};
}

void KeyspaceWalker::readPage(const QByteArray &from)
{
    const quint64 run = m_run;
    const int64_t revision = m_summary.revision;
    m_client->rangePage(m_endpoint, from, m_rangeEnd, revision, m_pageSize, this,
        [this, run, revision](const EtcdResult<RangeInfo> &r) {
            if (run != m_run)
                return;
            if (!r.ok()) {
                if (r.error.isCompacted())
                    fail(QStringLiteral("revision %1 was compacted while the keyspace was walked; run again")
                             .arg(revision));
                else
                    fail(QStringLiteral("reading the keyspace failed: %1").arg(r.error.sentence));
                return;
            }
            if (revision == 0) {
                m_summary.revision = r->header.revision;
                // count is every key in the range at that revision, however many this page holds.
                m_total = r->count;
            }
            qint64 pageBytes = 0;
            for (const KeyValueInfo &kv : r->kvs) {
                m_summary.add(kv.key, kv.value.size());
                pageBytes += kv.key.size() + kv.value.size();
            }
            // Values of up to 1.5 MiB each (etcd's request limit) would make 1,000 of them a
            // page of over a gigabyte: pages past the budget shrink the ones that follow.
            if (pageBytes > kPageBudgetBytes && m_pageSize > 1)
                m_pageSize = int(qMax<qint64>(1, m_pageSize * kPageBudgetBytes / pageBytes));
            emit progress(m_summary.keys(), qMax(m_total, m_summary.keys()));
            if (!r->more || r->kvs.isEmpty()) {
                finish(m_summary);
                return;
            }
            // The next page starts just after the last key of this one.
            readPage(r->kvs.constLast().key + QByteArray(1, '\0'));
        });
}

void KeyspaceWalker::fail(const QString &sentence)
{
    finish(Error::unavailable(sentence));
}

void KeyspaceWalker::finish(const Result<KeyspaceSummary> &result)
{
    if (auto done = std::exchange(m_done, {}))
        done(result);
}

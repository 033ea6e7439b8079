#include "session/KeyspaceSession.h"

#include "etcd/EtcdClient.h"
#include "storage/KeyspaceWalker.h"

KeyspaceSession::KeyspaceSession(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_walker(new KeyspaceWalker(client, this))
{
    connect(m_walker, &KeyspaceWalker::progress, this, &KeyspaceSession::progress);
}

KeyspaceSession::~KeyspaceSession() = default;

void KeyspaceSession::walk(const QByteArray &prefix, int depth, int topK)
{
    m_walker->cancel();
    m_walking = true;
    emit walkStarted();
    m_walker->start(m_snapshot, prefix, depth, topK, [this](const Result<KeyspaceSummary> &r) {
        m_walking = false;
        if (r)
            emit summaryReady(*r);
        else
            emit walkFailed(r.problem());
    });
}

void KeyspaceSession::cancel()
{
    if (!m_walking)
        return;
    m_walker->cancel();
    m_walking = false;
    emit walkFailed(tr("cancelled"));
}

void KeyspaceSession::readValue(const QByteArray &key)
{
    const QString endpoint = KeyspaceWalker::readEndpoint(m_snapshot);
    if (endpoint.isEmpty()) {
        emit valueFailed(key, tr("no member that follows a leader answers"));
        return;
    }
    m_client->range(endpoint, key, {}, false, this, [this, key](const EtcdResult<RangeInfo> &r) {
        if (!r.ok()) {
            emit valueFailed(key, r.error.sentence);
            return;
        }
        if (r->kvs.isEmpty()) {
            emit valueFailed(key, tr("the key no longer exists"));
            return;
        }
        emit valueReady(key, r->kvs.first().value, r->kvs.first().modRevision);
    });
}

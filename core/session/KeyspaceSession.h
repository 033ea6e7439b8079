#pragma once

#include "cluster/ClusterSnapshot.h"
#include "storage/KeyspaceSummary.h"

#include <QObject>

class EtcdClient;
class KeyspaceWalker;

/// The window's keyspace view: walks what fills the database on request (never on a timer:
/// a walk reads every key) and reads single values for the viewer.
class KeyspaceSession : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyspaceSession)

public:
    explicit KeyspaceSession(EtcdClient *client, QObject *parent = nullptr);
    ~KeyspaceSession() override;

    void setSnapshot(const ClusterSnapshot &snapshot) { m_snapshot = snapshot; }
    void walk(const QByteArray &prefix, int depth, int topK);
    void cancel();
    bool isWalking() const { return m_walking; }
    /// The value of key now; valueReady or valueFailed follows.
    void readValue(const QByteArray &key);

signals:
    void walkStarted();
    void progress(qint64 walked, qint64 total);
    void summaryReady(const KeyspaceSummary &summary);
    void walkFailed(const QString &sentence);
    void valueReady(const QByteArray &key, const QByteArray &value, qint64 modRevision);
    void valueFailed(const QByteArray &key, const QString &sentence);

private:
    EtcdClient *m_client;
    KeyspaceWalker *m_walker;
    ClusterSnapshot m_snapshot;
    bool m_walking = false;
};

#pragma once

#include "common/Result.h"
#include "demo/NetworkFault.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <functional>

class QTcpServer;
class QTcpSocket;
class QTimer;

/// A TCP proxy in front of one demo member's peer listener: the member advertises the
/// proxy's address, so every peer connection to it passes through here, and a fault set on
/// the proxy applies to all of that member's links at once — as etcd's own functional tests
/// do it.
///
/// Isolating closes every connection and refuses new ones until healed (a stream is never
/// resumed with bytes missing). A delay holds each chunk, in each direction, for delay ±
/// jitter ms, keeping the order. Dropping discards that share of the chunks, which breaks
/// the stream as a lossy link would; the peers reconnect. A new fault applies to the next
/// chunk at once, and to held chunks too: clearing a delay releases them immediately.
class PeerProxy : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PeerProxy)

public:
    PeerProxy(const QString &name, const QString &targetHost, quint16 targetPort, QObject *parent = nullptr);
    ~PeerProxy() override;

    /// Listens on 127.0.0.1 (port 0: a free one).
    Result<void> listen(quint16 port = 0);
    quint16 port() const;
    QString name() const { return m_name; }
    quint16 targetPort() const { return m_targetPort; }

    void setFault(const NetworkFault &fault);
    const NetworkFault &fault() const { return m_fault; }

    /// Names the member that opened a connection, from the connection's source port ("" if
    /// unknown). A member's own outgoing connections reach its peers through *their*
    /// proxies, so a fault on a member must also reach connections it opened elsewhere.
    using OriginResolver = std::function<QString(quint16 sourcePort)>;
    void setOriginResolver(OriginResolver resolver) { m_resolveOrigin = std::move(resolver); }
    /// The fault of another member, applied to the connections that member opened here.
    void setOriginFault(const QString &member, const NetworkFault &fault);
    /// Seeds the random choices (jitter, drops), for reproducible runs.
    void setSeed(quint32 seed) { m_random.seed(seed); }

    int connections() const { return int(m_pairs.size()); }
    qint64 bytesForwarded() const { return m_forwarded; }
    qint64 chunksDropped() const { return m_dropped; }

private:
    struct Held {
        qint64 dueMs;
        QByteArray data;
    };
    struct Direction {
        QTcpSocket *to = nullptr;
        QList<Held> held;
        qint64 lastDueMs = 0;
    };
    struct Pair {
        QTcpSocket *down = nullptr; ///< accepted from a peer
        QTcpSocket *up = nullptr; ///< to the member
        Direction toMember;
        Direction toPeer;
        QByteArray early; ///< from the peer before the member's side connected
        QString origin; ///< the member that opened it, when known
    };

    /// The fault on one connection: this member's, and its opener's.
    NetworkFault faultFor(const Pair *pair) const;
    /// Re-times held chunks after a fault changed, and cuts connections now isolated.
    void refault();

    void accept();
    void relay(Pair *pair, QTcpSocket *from, Direction &direction);
    void flush();
    void close(Pair *pair);
    void scheduleFlush();
    qint64 nowMs() const { return m_clock.elapsed(); }

    QString m_name;
    QString m_targetHost;
    quint16 m_targetPort;
    QTcpServer *m_server;
    QTimer *m_flushTimer;
    QList<Pair *> m_pairs;
    NetworkFault m_fault;
    QHash<QString, NetworkFault> m_originFaults;
    OriginResolver m_resolveOrigin;
    QElapsedTimer m_clock;
    QRandomGenerator m_random;
    qint64 m_forwarded = 0;
    qint64 m_dropped = 0;
};

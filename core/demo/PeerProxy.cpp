#include "demo/PeerProxy.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <algorithm>
#include <utility>

PeerProxy::PeerProxy(const QString &name, const QString &targetHost, quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_targetHost(targetHost)
    , m_targetPort(targetPort)
    , m_server(new QTcpServer(this))
    , m_flushTimer(new QTimer(this))
    , m_random(QRandomGenerator::securelySeeded())
{
    m_clock.start();
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    connect(m_flushTimer, &QTimer::timeout, this, &PeerProxy::flush);
    connect(m_server, &QTcpServer::newConnection, this, &PeerProxy::accept);
}

PeerProxy::~PeerProxy()
{
    // Quietly: aborting a socket emits disconnected(), which must not reach close() now.
    const QList<Pair *> pairs = std::exchange(m_pairs, {});
    for (Pair *p : pairs) {
        for (QTcpSocket *socket : {p->down, p->up}) {
            socket->disconnect(this);
            socket->abort();
        }
        delete p;
    }
}

Result<void> PeerProxy::listen(quint16 port)
{
    if (!m_server->listen(QHostAddress::LocalHost, port))
        return Error::unavailable(QStringLiteral("the peer proxy for %1 cannot listen on 127.0.0.1:%2: %3")
                                      .arg(m_name)
                                      .arg(port)
                                      .arg(m_server->errorString()));
    return {};
}

quint16 PeerProxy::port() const
{
    return m_server->serverPort();
}

void PeerProxy::accept()
{
    while (QTcpSocket *down = m_server->nextPendingConnection()) {
        if (m_fault.isolated) {
            // A blackhole: nothing gets through, not even a connection.
            down->abort();
            down->deleteLater();
            continue;
        }
        const QString origin = m_resolveOrigin ? m_resolveOrigin(down->peerPort()) : QString();
        if (m_originFaults.value(origin).isolated) {
            down->abort(); // the member that dials is cut off
            down->deleteLater();
            continue;
        }
        auto *pair = new Pair;
        pair->origin = origin;
        pair->down = down;
        pair->up = new QTcpSocket(this);
        pair->toMember.to = pair->up;
        pair->toPeer.to = pair->down;
        down->setParent(this);
        m_pairs << pair;
        connect(down, &QTcpSocket::readyRead, this, [this, pair] { relay(pair, pair->down, pair->toMember); });
        connect(pair->up, &QTcpSocket::readyRead, this, [this, pair] { relay(pair, pair->up, pair->toPeer); });
        connect(pair->up, &QTcpSocket::connected, this, [this, pair] {
            if (!pair->early.isEmpty()) {
                pair->up->write(pair->early);
                m_forwarded += pair->early.size();
                pair->early.clear();
            }
        });
        for (QTcpSocket *s : {pair->down, pair->up}) {
            connect(s, &QTcpSocket::disconnected, this, [this, pair] { close(pair); });
            connect(s, &QTcpSocket::errorOccurred, this, [this, pair] { close(pair); });
        }
        pair->up->connectToHost(m_targetHost, m_targetPort);
    }
}

void PeerProxy::relay(Pair *pair, QTcpSocket *from, Direction &direction)
{
    const QByteArray data = from->readAll();
    if (data.isEmpty())
        return;
    const NetworkFault fault = faultFor(pair);
    if (fault.dropPercent > 0 && int(m_random.bounded(100)) < fault.dropPercent) {
        ++m_dropped;
        return;
    }
    const bool toMemberNotReady = &direction == &pair->toMember && pair->up->state() != QAbstractSocket::ConnectedState;
    if (fault.delayMs <= 0 && fault.jitterMs <= 0 && direction.held.isEmpty()) {
        if (toMemberNotReady) {
            pair->early += data;
            return;
        }
        direction.to->write(data);
        m_forwarded += data.size();
        return;
    }
    const int jitter = fault.jitterMs > 0 ? int(m_random.bounded(2 * fault.jitterMs + 1)) - fault.jitterMs : 0;
    // Never before a chunk held earlier: the stream keeps its order.
    const qint64 due = std::max(nowMs() + std::max(0, fault.delayMs + jitter), direction.lastDueMs);
    direction.lastDueMs = due;
    direction.held.append({due, data});
    scheduleFlush();
}

void PeerProxy::scheduleFlush()
{
    qint64 next = -1;
    for (const Pair *p : std::as_const(m_pairs)) {
        for (const Direction *d : {&p->toMember, &p->toPeer})
            if (!d->held.isEmpty() && (next < 0 || d->held.first().dueMs < next))
                next = d->held.first().dueMs;
    }
    if (next < 0) {
        m_flushTimer->stop();
        return;
    }
    m_flushTimer->start(int(std::max<qint64>(0, next - nowMs())));
}

void PeerProxy::flush()
{
    const qint64 now = nowMs();
    for (Pair *p : std::as_const(m_pairs)) {
        for (Direction *d : {&p->toMember, &p->toPeer}) {
            while (!d->held.isEmpty() && d->held.first().dueMs <= now) {
                const QByteArray data = d->held.takeFirst().data;
                if (d == &p->toMember && p->up->state() != QAbstractSocket::ConnectedState) {
                    p->early += data;
                    continue;
                }
                d->to->write(data);
                m_forwarded += data.size();
            }
        }
    }
    scheduleFlush();
}

void PeerProxy::close(Pair *pair)
{
    const qsizetype index = m_pairs.indexOf(pair);
    if (index < 0)
        return; // already closed through the other side
    m_pairs.removeAt(index);
    for (QTcpSocket *s : {pair->down, pair->up}) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    delete pair;
    scheduleFlush();
}

void PeerProxy::setFault(const NetworkFault &fault)
{
    m_fault = fault;
    refault();
}

void PeerProxy::setOriginFault(const QString &member, const NetworkFault &fault)
{
    if (fault.any())
        m_originFaults.insert(member, fault);
    else
        m_originFaults.remove(member);
    refault();
}

NetworkFault PeerProxy::faultFor(const Pair *pair) const
{
    const NetworkFault other = pair->origin.isEmpty() ? NetworkFault() : m_originFaults.value(pair->origin);
    // Both ends' faults stack: two slow members make a slower link.
    NetworkFault f;
    f.isolated = m_fault.isolated || other.isolated;
    f.delayMs = m_fault.delayMs + other.delayMs;
    f.jitterMs = m_fault.jitterMs + other.jitterMs;
    f.dropPercent = std::max(m_fault.dropPercent, other.dropPercent);
    return f;
}

void PeerProxy::refault()
{
    // Whatever is isolated now loses everything in flight, and its connections, at once.
    const QList<Pair *> pairs = m_pairs;
    for (Pair *p : pairs) {
        if (faultFor(p).isolated)
            close(p);
    }
    // Held chunks follow the new delay: a shorter one (or none) releases them sooner.
    const qint64 now = nowMs();
    for (Pair *p : std::as_const(m_pairs)) {
        const int delay = std::max(0, faultFor(p).delayMs);
        for (Direction *d : {&p->toMember, &p->toPeer}) {
            qint64 last = 0;
            for (Held &h : d->held) {
                h.dueMs = std::max(std::min(h.dueMs, now + delay), last);
                last = h.dueMs;
            }
            d->lastDueMs = last;
        }
    }
    scheduleFlush();
}

#include "demo/PeerProxyHost.h"

#include "demo/PeerProxy.h"
#include "demo/ProcessControl.h"
#include "profile/ClusterManifest.h"

#include <QDir>
#include <QFile>

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QUrl>

namespace {

constexpr qint64 kMaxRequestBytes = 64 * 1024;

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject refusal(const QString &sentence)
{
    return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), sentence}};
}

} // namespace

PeerProxyHost::PeerProxyHost(QObject *parent)
    : QObject(parent)
{
}

PeerProxyHost::~PeerProxyHost() = default;

Result<void> PeerProxyHost::start(const ClusterManifest &manifest)
{
    m_dir = manifest.dir;
    for (const LocalMember &m : manifest.members) {
        if (!m.proxied())
            continue;
        const Result<void> added
            = addRoute(m.name, quint16(QUrl(m.peerUrl).port()), quint16(QUrl(m.listenPeerUrl).port()));
        if (!added)
            return added;
    }
    const QString path = manifest.network.socketPath;
    if (path.isEmpty())
        return Error::invalid(QStringLiteral("the cluster in %1 has no network control socket").arg(manifest.dir));
    m_control = new QLocalServer(this);
    // Only this user may set faults on the cluster.
    m_control->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(path); // a socket left behind by a host that died
    if (!m_control->listen(path))
        return Error::unavailable(
            QStringLiteral("cannot open the network control socket %1: %2").arg(path, m_control->errorString()));
    connect(m_control, &QLocalServer::newConnection, this, &PeerProxyHost::acceptControl);
    return {};
}

Result<void> PeerProxyHost::addRoute(const QString &member, quint16 port, quint16 target)
{
    if (m_proxies.contains(member))
        return Error::refused(QStringLiteral("%1 already has a peer proxy").arg(member));
    auto *proxy = new PeerProxy(member, QStringLiteral("127.0.0.1"), target, this);
    if (const Result<void> listening = proxy->listen(port); !listening) {
        delete proxy;
        return listening;
    }
    proxy->setOriginResolver([this, port](quint16 sourcePort) { return originOf(sourcePort, port); });
    for (const PeerProxy *other : std::as_const(m_proxies))
        proxy->setOriginFault(other->name(), other->fault());
    m_proxies.insert(member, proxy);
    emit stateChanged();
    return {};
}

void PeerProxyHost::removeRoute(const QString &member)
{
    if (PeerProxy *proxy = m_proxies.take(member)) {
        delete proxy;
        // A member that comes back under the same name starts with clean links.
        for (PeerProxy *other : std::as_const(m_proxies))
            other->setOriginFault(member, {});
        emit stateChanged();
    }
}

Result<void> PeerProxyHost::setFault(const QString &member, const NetworkFault &fault)
{
    PeerProxy *proxy = m_proxies.value(member);
    if (!proxy) {
        return Error::notFound(QStringLiteral("no member named \"%1\" has a peer proxy (members: %2)")
                                   .arg(member, QStringList(m_proxies.keys()).join(QStringLiteral(", "))));
    }
    if (fault.delayMs < 0 || fault.jitterMs < 0 || fault.dropPercent < 0 || fault.dropPercent > 100)
        return Error::invalid(
            QStringLiteral("a delay and its jitter are at least 0 ms, and a drop share is 0 to 100 %"));
    proxy->setFault(fault);
    for (PeerProxy *other : std::as_const(m_proxies)) {
        if (other != proxy)
            other->setOriginFault(member, fault);
    }
    emit stateChanged();
    return {};
}

void PeerProxyHost::clearFaults()
{
    for (PeerProxy *proxy : std::as_const(m_proxies)) {
        proxy->setFault({});
        for (const QString &member : m_proxies.keys())
            proxy->setOriginFault(member, {});
    }
    emit stateChanged();
}

QList<MemberNetwork> PeerProxyHost::state() const
{
    QList<MemberNetwork> out;
    for (const PeerProxy *proxy : m_proxies) {
        MemberNetwork m;
        m.member = proxy->name();
        m.fault = proxy->fault();
        m.proxyPort = proxy->port();
        m.targetPort = proxy->targetPort();
        m.connections = proxy->connections();
        m.bytesForwarded = proxy->bytesForwarded();
        m.chunksDropped = proxy->chunksDropped();
        out << m;
    }
    return out;
}

QString PeerProxyHost::originOf(quint16 sourcePort, quint16 proxyPort) const
{
    const quint64 inode = ProcessControl::loopbackSocketInode(sourcePort, proxyPort);
    if (!inode)
        return {};
    for (const QString &member : m_proxies.keys()) {
        QFile pidFile(QDir(m_dir).filePath(member + QStringLiteral(".pid")));
        if (!pidFile.open(QIODevice::ReadOnly))
            continue;
        if (ProcessControl::holdsSocket(pid_t(pidFile.readAll().trimmed().toLongLong()), inode))
            return member;
    }
    return {};
}

QJsonObject PeerProxyHost::stateReply() const
{
    QJsonArray members;
    for (const MemberNetwork &m : state())
        members.append(m.toJson());
    return {{QStringLiteral("ok"), true}, {QStringLiteral("members"), members}};
}

QJsonObject PeerProxyHost::handle(const QJsonObject &request)
{
    const QString op = request.value(QStringLiteral("op")).toString();
    const QString member = request.value(QStringLiteral("member")).toString();
    QString error;
    if (op == QLatin1String("status") || op == QLatin1String("watch")) {
        // nothing to change
    } else if (op == QLatin1String("set")) {
        error = setFault(member, NetworkFault::fromJson(request.value(QStringLiteral("fault")).toObject())).problem();
    } else if (op == QLatin1String("clear")) {
        clearFaults();
    } else if (op == QLatin1String("add")) {
        const int port = request.value(QStringLiteral("port")).toInt();
        const int target = request.value(QStringLiteral("target")).toInt();
        if (member.isEmpty() || port <= 0 || port > 65535 || target <= 0 || target > 65535)
            error = QStringLiteral("a route needs a member, a port and a target port");
        else {
            removeRoute(member); // left over from a join that failed
            error = addRoute(member, quint16(port), quint16(target)).problem();
        }
    } else if (op == QLatin1String("remove")) {
        removeRoute(member);
    } else if (op == QLatin1String("quit")) {
        emit quitRequested();
    } else {
        error = QStringLiteral("unknown network request \"%1\"").arg(op);
    }
    return error.isEmpty() ? stateReply() : refusal(error);
}

void PeerProxyHost::acceptControl()
{
    while (QLocalSocket *socket = m_control->nextPendingConnection()) {
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readControl(socket); });
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] {
            m_watchers.removeAll(socket);
            socket->deleteLater();
        });
    }
}

void PeerProxyHost::readControl(QLocalSocket *socket)
{
    while (socket->canReadLine()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(socket->readLine().trimmed(), &parseError);
        QJsonObject reply;
        if (!doc.isObject()) {
            reply = refusal(QStringLiteral("a network request is one JSON object on one line"));
        } else {
            reply = handle(doc.object());
            if (doc.object().value(QStringLiteral("op")).toString() == QLatin1String("watch")
                && !m_watchers.contains(socket)) {
                m_watchers << socket;
                connect(this, &PeerProxyHost::stateChanged, socket, [this, socket] {
                    if (m_watchers.contains(socket))
                        socket->write(line(stateReply()));
                });
            }
        }
        socket->write(line(reply));
    }
    if (socket->bytesAvailable() > kMaxRequestBytes)
        socket->abort(); // no line ends: not a client of ours
}

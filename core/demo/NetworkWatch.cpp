#include "demo/NetworkWatch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QTimer>

namespace {
constexpr int kRetryMs = 1000;
}

NetworkWatch::NetworkWatch(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(socketPath)
    , m_retry(new QTimer(this))
{
    m_retry->setSingleShot(true);
    m_retry->setInterval(kRetryMs);
    connect(m_retry, &QTimer::timeout, this, &NetworkWatch::connectNow);
}

NetworkWatch::~NetworkWatch() = default;

void NetworkWatch::start()
{
    connectNow();
}

void NetworkWatch::connectNow()
{
    if (m_socket)
        m_socket->deleteLater();
    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, [this] { m_socket->write("{\"op\":\"watch\"}\n"); });
    connect(m_socket, &QLocalSocket::readyRead, this, &NetworkWatch::read);
    connect(m_socket, &QLocalSocket::disconnected, this, &NetworkWatch::lost);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &NetworkWatch::lost);
    m_socket->connectToServer(m_socketPath);
}

void NetworkWatch::read()
{
    bool updated = false;
    while (m_socket->canReadLine()) {
        const QJsonObject o = QJsonDocument::fromJson(m_socket->readLine()).object();
        if (!o.value(QStringLiteral("ok")).toBool())
            continue;
        m_state = MemberNetwork::listFromJson(o.value(QStringLiteral("members")).toArray());
        updated = true;
    }
    if (updated || !m_connected) {
        m_connected = true;
        emit changed();
    }
}

void NetworkWatch::lost()
{
    if (!m_socket || m_retry->isActive())
        return;
    m_socket->disconnect(this);
    if (m_connected) {
        m_connected = false;
        m_state.clear();
        emit changed();
    }
    m_retry->start();
}

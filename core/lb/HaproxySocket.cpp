#include "lb/HaproxySocket.h"

#include <QLocalSocket>
#include <QPointer>
#include <QTimer>
#include <memory>

HaproxySocket::HaproxySocket(QObject *context, Callback done)
    : QObject(context)
    , m_done(std::move(done))
{
}

void HaproxySocket::finish(Result<QByteArray> answer)
{
    if (m_finished)
        return;
    m_finished = true;
    m_done(std::move(answer));
    deleteLater();
}

void HaproxySocket::run(const QString &path, const QString &command, int timeoutMs, QObject *context, Callback done)
{
    auto *self = new HaproxySocket(context, std::move(done));
    auto *socket = new QLocalSocket(self);
    auto answer = std::make_shared<QByteArray>();
    connect(socket, &QLocalSocket::connected, self, [socket, command] { socket->write(command.toUtf8() + '\n'); });
    connect(socket, &QLocalSocket::readyRead, self, [socket, answer] { *answer += socket->readAll(); });
    connect(socket, &QLocalSocket::disconnected, self, [self, socket, answer] {
        *answer += socket->readAll();
        self->finish(*answer);
    });
    connect(socket, &QLocalSocket::errorOccurred, self, [self, socket, path, answer](QLocalSocket::LocalSocketError e) {
        if (e == QLocalSocket::PeerClosedError) {
            *answer += socket->readAll();
            self->finish(*answer);
            return;
        }
        self->finish(
            Error::unavailable(QStringLiteral("HAProxy admin socket %1: %2").arg(path, socket->errorString())));
    });
    QTimer::singleShot(timeoutMs, self, [self, path, timeoutMs] {
        self->finish(Error::timeout(
            QStringLiteral("HAProxy admin socket %1 did not answer within %2 ms").arg(path).arg(timeoutMs)));
    });
    socket->connectToServer(path);
}

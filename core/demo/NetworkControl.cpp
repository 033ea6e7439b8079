#include "demo/NetworkControl.h"

#include <QJsonDocument>
#include <QLocalSocket>
#include <QTimer>
#include <memory>
#include <utility>

void NetworkControl::request(
    const QString &socketPath, const QJsonObject &request, int timeoutMs, QObject *context, Reply done)
{
    auto *socket = new QLocalSocket(context);
    auto *timer = new QTimer(socket);
    auto answered = std::make_shared<bool>(false);
    auto finish = [=](Result<QJsonObject> answer) {
        if (std::exchange(*answered, true))
            return;
        timer->stop();
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
        done(std::move(answer));
    };
    const QString unreachable
        = QStringLiteral("the demo's network proxies do not answer on %1 (is the cluster up? `quorumdeck demo net "
                         "serve --dir DIR` restarts them)")
              .arg(socketPath);
    QObject::connect(socket, &QLocalSocket::connected, socket,
        [=] { socket->write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n'); });
    QObject::connect(socket, &QLocalSocket::readyRead, socket, [=] {
        if (!socket->canReadLine())
            return;
        const QJsonDocument doc = QJsonDocument::fromJson(socket->readLine());
        if (!doc.isObject())
            return finish(Error::invalid(QStringLiteral("the network proxies answered something that is not JSON")));
        const QJsonObject answer = doc.object();
        if (!answer.value(QStringLiteral("ok")).toBool())
            return finish(Error::refused(answer.value(QStringLiteral("error")).toString()));
        finish(answer);
    });
    QObject::connect(socket, &QLocalSocket::errorOccurred, socket,
        [=] { finish(Error::unavailable(QStringLiteral("%1: %2").arg(unreachable, socket->errorString()))); });
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, socket, [=] { finish(Error::timeout(unreachable)); });
    timer->start(timeoutMs);
    // Connecting may fail at once; the answer still comes from the event loop, never from
    // within this call.
    QTimer::singleShot(0, socket, [=] { socket->connectToServer(socketPath); });
}

#include "lb/HaproxyStatsReader.h"

#include "lb/HaproxySocket.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>

namespace HaproxyStatsReader {

void read(QNetworkAccessManager *http, const QString &statsUrl, const QString &socketPath, int timeoutMs,
    QObject *context, Done done)
{
    if (statsUrl.isEmpty()) {
        HaproxySocket::run(socketPath, QStringLiteral("show stat"), timeoutMs, context, std::move(done));
        return;
    }
    QNetworkRequest request((QUrl(statsUrl)));
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = http->get(request);
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, statsUrl, done = std::move(done)] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError)
            done(Error::unavailable(QStringLiteral("%1: %2").arg(statsUrl, reply->errorString())));
        else
            done(reply->readAll());
    });
}

} // namespace HaproxyStatsReader

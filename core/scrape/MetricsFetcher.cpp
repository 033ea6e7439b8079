#include "scrape/MetricsFetcher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <memory>

MetricsFetcher::MetricsFetcher(QObject *parent)
    : QObject(parent)
    , m_http(new QNetworkAccessManager(this))
{
}

void MetricsFetcher::fetch(const QUrl &url, int timeoutMs, const QSslConfiguration &tls, const QString &peerName,
    std::function<void(const Answer &)> done)
{
    QNetworkRequest request(url);
    if (url.scheme() == QLatin1String("https")) {
        request.setSslConfiguration(tls);
        if (!peerName.isEmpty())
            request.setPeerVerifyName(peerName);
    }
    request.setTransferTimeout(timeoutMs);
    request.setRawHeader("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1");
    request.setHeader(
        QNetworkRequest::UserAgentHeader, QStringLiteral("QuorumDeck/%1").arg(QCoreApplication::applicationVersion()));
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    QNetworkReply *reply = m_http->get(request);
    auto wire = std::make_shared<qint64>(0);
    connect(reply, &QNetworkReply::downloadProgress, reply, [wire](qint64 received, qint64) { *wire = received; });
    connect(reply, &QNetworkReply::finished, this, [=] {
        reply->deleteLater();
        Answer r;
        r.durationMs = clock->nsecsElapsed() / 1e6;
        r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.wireBytes = *wire;
        if (reply->error() == QNetworkReply::OperationCanceledError)
            r.body
                = Error::timeout(QStringLiteral("%1 did not answer within %2 ms").arg(url.toString()).arg(timeoutMs));
        else if (reply->error() != QNetworkReply::NoError)
            r.body = Error::unavailable(QStringLiteral("%1: %2").arg(url.toString(), reply->errorString()));
        else
            r.body = reply->readAll();
        done(r);
    });
}

#include "promapi/JsonHttp.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

JsonHttp::JsonHttp(ApiEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_http(new QNetworkAccessManager(this))
{
}

void JsonHttp::get(const QString &path, const QUrlQuery &query, Callback done)
{
    send(path, query, nullptr, std::move(done));
}

void JsonHttp::post(const QString &path, const QJsonDocument &body, Callback done)
{
    const QByteArray bytes = body.toJson(QJsonDocument::Compact);
    send(path, {}, &bytes, std::move(done));
}

void JsonHttp::send(const QString &path, const QUrlQuery &query, const QByteArray *body, Callback done)
{
    QUrl url = m_endpoint.resolve(path);
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(m_endpoint.timeoutMs);
    request.setRawHeader("Accept", "application/json");
    if (!m_endpoint.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_endpoint.bearerToken);
    if (m_endpoint.tls)
        request.setSslConfiguration(*m_endpoint.tls);
    QNetworkReply *reply;
    if (body) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        reply = m_http->post(request, *body);
    } else {
        reply = m_http->get(request);
    }
    // The URL without its query: a query may be long, and says nothing about the server.
    const QString where = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo).toString();
    connect(
        reply, &QNetworkReply::finished, this, [reply, where, done = std::move(done), timeout = m_endpoint.timeoutMs] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray bytes = reply->readAll();
            if (reply->error() == QNetworkReply::OperationCanceledError
                || reply->error() == QNetworkReply::TimeoutError) {
                done(Error::timeout(QStringLiteral("%1 did not answer within %2 ms").arg(where).arg(timeout)));
                return;
            }
            QJsonParseError parse;
            const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parse);
            if (status == 0) {
                done(Error::unavailable(QStringLiteral("cannot reach %1: %2").arg(where, reply->errorString())));
                return;
            }
            if (parse.error != QJsonParseError::NoError) {
                const QString what = status >= 400
                    ? QStringLiteral("HTTP %1").arg(status)
                    : QStringLiteral("an answer that is not JSON (%1)").arg(parse.errorString());
                done(Error::unavailable(QStringLiteral("%1 answered %2").arg(where, what)));
                return;
            }
            done(Answer {doc, status});
        });
}

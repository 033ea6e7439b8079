#pragma once

#include "common/Result.h"
#include "promapi/ApiEndpoint.h"

#include <QJsonDocument>
#include <QObject>
#include <QUrlQuery>
#include <functional>

class QNetworkAccessManager;

/// GET or POST of JSON against an HTTP API with a deadline, on the owner's event loop. An
/// answer that is not JSON, an HTTP error without a JSON body, a refused connection or a
/// passed deadline are Errors saying which.
class JsonHttp : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonHttp)

public:
    /// The body parsed, and the HTTP status it came with (APIs put their own error sentence in
    /// a JSON body of a 4xx answer).
    struct Answer {
        QJsonDocument body;
        int httpStatus = 0;
    };
    using Callback = std::function<void(const Result<Answer> &)>;

    explicit JsonHttp(ApiEndpoint endpoint, QObject *parent = nullptr);

    const ApiEndpoint &endpoint() const { return m_endpoint; }
    void get(const QString &path, const QUrlQuery &query, Callback done);
    void post(const QString &path, const QJsonDocument &body, Callback done);

private:
    void send(const QString &path, const QUrlQuery &query, const QByteArray *body, Callback done);

    ApiEndpoint m_endpoint;
    QNetworkAccessManager *m_http;
};

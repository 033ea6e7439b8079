#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;

/// One HTTP GET of a /metrics endpoint with a timeout, gzip accepted (QtNetwork decodes it),
/// off the caller's thread's event loop. The answer carries the body, or the Error saying
/// why there is none (Timeout, or Unavailable for any other failure, an HTTP error status
/// included), and how long the scrape took.
class MetricsFetcher : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsFetcher)

public:
    struct Answer {
        Result<QByteArray> body = QByteArray();
        int httpStatus = 0;
        double durationMs = 0;
        qint64 wireBytes = 0; ///< as received, before decompression
    };

    explicit MetricsFetcher(QObject *parent = nullptr);

    /// tls applies to https URLs; peerName, when set, is the name checked against the
    /// server's certificate instead of the URL's host.
    void fetch(const QUrl &url, int timeoutMs, const QSslConfiguration &tls, const QString &peerName,
        std::function<void(const Answer &)> done);

private:
    QNetworkAccessManager *m_http;
};

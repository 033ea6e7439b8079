#pragma once

#include "common/Result.h"
#include "promapi/JsonHttp.h"

#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <QMap>
#include <QObject>

/// One alert as Alertmanager (API v2) holds it.
struct RemoteAlert {
    QMap<QString, QString> labels;
    QMap<QString, QString> annotations;
    QString state; ///< active, suppressed or unprocessed
    QDateTime startsAt;
    QDateTime endsAt;
    QStringList silencedBy; ///< silence ids
    QStringList inhibitedBy;
    QString generatorUrl;

    QString name() const { return labels.value(QStringLiteral("alertname")); }
    static RemoteAlert fromJson(const QJsonObject &o);
};

/// Alertmanager's HTTP API, v2: the alerts it holds (silenced and inhibited ones with
/// them), and posting alerts, as Prometheus does.
class AlertmanagerApi : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertmanagerApi)

public:
    explicit AlertmanagerApi(ApiEndpoint endpoint, QObject *parent = nullptr);

    /// GET /api/v2/alerts, with `filter` matchers such as cluster="prod" when given. The
    /// answer's array as it came, for callers that print it, and parsed.
    void alerts(const QStringList &filter, std::function<void(const Result<QJsonArray> &)> done);
    /// POST /api/v2/alerts.
    void post(const QJsonArray &alerts, std::function<void(const Result<void> &)> done);

private:
    JsonHttp *m_http;
};

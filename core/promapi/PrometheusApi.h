#pragma once

#include "common/Result.h"
#include "promapi/JsonHttp.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QVector>
#include <optional>

/// One series of a range query's matrix: its labels and its samples.
struct PromSeries {
    QMap<QString, QString> metric;
    QVector<QPair<qint64, double>> points; ///< unix ms and value (NaN and ±Inf as sent)

    /// The series of a `data` object whose resultType is "matrix" (none for other types).
    static QList<PromSeries> matrix(const QJsonObject &data);
};

/// Prometheus' HTTP API (v1), as Prometheus and the servers that speak it answer: instant
/// and range queries, and the metric names for a search. Every answer is the API's own
/// `data` object, untouched, or an Error carrying the server's own sentence ("parse error
/// at char 5: ...").
class PrometheusApi : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PrometheusApi)

public:
    using DataCallback = std::function<void(const Result<QJsonObject> &)>;

    explicit PrometheusApi(ApiEndpoint endpoint, QObject *parent = nullptr);

    /// /api/v1/query at timeMs (the server's now without it).
    void query(const QString &expr, std::optional<qint64> timeMs, DataCallback done);
    /// /api/v1/query_range from startMs to endMs every stepMs.
    void queryRange(const QString &expr, qint64 startMs, qint64 endMs, qint64 stepMs, DataCallback done);
    /// /api/v1/label/__name__/values: the metric names of the series `match` selects (a
    /// PromQL series selector such as {cluster="prod"}; "" for every series), sorted.
    void metricNames(const QString &match, std::function<void(const Result<QStringList> &)> done);

private:
    void call(const QString &path, const QUrlQuery &query, DataCallback done);

    JsonHttp *m_http;
};

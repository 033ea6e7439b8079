#include "promapi/PrometheusApi.h"

#include "promapi/TimeSpec.h"

#include <QJsonArray>

PrometheusApi::PrometheusApi(ApiEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_http(new JsonHttp(std::move(endpoint), this))
{
}

void PrometheusApi::query(const QString &expr, std::optional<qint64> timeMs, DataCallback done)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), QString::fromLatin1(QUrl::toPercentEncoding(expr)));
    if (timeMs)
        q.addQueryItem(QStringLiteral("time"), TimeSpec::apiTime(*timeMs));
    call(QStringLiteral("/api/v1/query"), q, std::move(done));
}

void PrometheusApi::queryRange(const QString &expr, qint64 startMs, qint64 endMs, qint64 stepMs, DataCallback done)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), QString::fromLatin1(QUrl::toPercentEncoding(expr)));
    q.addQueryItem(QStringLiteral("start"), TimeSpec::apiTime(startMs));
    q.addQueryItem(QStringLiteral("end"), TimeSpec::apiTime(endMs));
    q.addQueryItem(QStringLiteral("step"), TimeSpec::apiTime(stepMs));
    call(QStringLiteral("/api/v1/query_range"), q, std::move(done));
}

void PrometheusApi::metricNames(std::function<void(const Result<QStringList> &)> done)
{
    call(QStringLiteral("/api/v1/label/__name__/values"), {}, [done = std::move(done)](const Result<QJsonObject> &r) {
        if (!r) {
            done(r.error());
            return;
        }
        QStringList names;
        for (const QJsonValue &v : r.value().value(QStringLiteral("names")).toArray())
            names << v.toString();
        done(names);
    });
}

void PrometheusApi::call(const QString &path, const QUrlQuery &query, DataCallback done)
{
    m_http->get(path, query, [done = std::move(done)](const Result<JsonHttp::Answer> &r) {
        if (!r) {
            done(r.error());
            return;
        }
        const QJsonObject body = r.value().body.object();
        const QString status = body.value(QStringLiteral("status")).toString();
        if (status == QLatin1String("error")) {
            done(Error::refused(QStringLiteral("Prometheus refused the query (%1): %2")
                                    .arg(body.value(QStringLiteral("errorType")).toString(),
                                        body.value(QStringLiteral("error")).toString())));
            return;
        }
        if (status != QLatin1String("success") || r.value().httpStatus != 200) {
            done(Error::unavailable(QStringLiteral("the answer is not Prometheus' API (HTTP %1, status \"%2\")")
                                        .arg(r.value().httpStatus)
                                        .arg(status)));
            return;
        }
        const QJsonValue data = body.value(QStringLiteral("data"));
        // The label values endpoint answers with an array: hand it over in an object.
        if (data.isArray()) {
            done(QJsonObject {{QStringLiteral("names"), data}});
            return;
        }
        done(data.toObject());
    });
}

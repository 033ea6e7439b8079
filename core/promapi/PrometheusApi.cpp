#include "promapi/PrometheusApi.h"

#include "promapi/TimeSpec.h"

#include <QJsonArray>
#include <cmath>
#include <limits>

QList<PromSeries> PromSeries::matrix(const QJsonObject &data)
{
    QList<PromSeries> out;
    if (data.value(QStringLiteral("resultType")).toString() != QLatin1String("matrix"))
        return out;
    for (const QJsonValue &r : data.value(QStringLiteral("result")).toArray()) {
        PromSeries s;
        const QJsonObject metric = r[QStringLiteral("metric")].toObject();
        for (auto it = metric.begin(); it != metric.end(); ++it)
            s.metric.insert(it.key(), it.value().toString());
        for (const QJsonValue &v : r[QStringLiteral("values")].toArray()) {
            // [ <unix seconds, a number>, "<value, a string>" ]; values are Go's float
            // text: NaN, +Inf and -Inf spelled so.
            const QJsonArray pair = v.toArray();
            const QString text = pair.at(1).toString();
            double value = 0;
            if (text == QLatin1String("NaN"))
                value = std::numeric_limits<double>::quiet_NaN();
            else if (text == QLatin1String("+Inf"))
                value = std::numeric_limits<double>::infinity();
            else if (text == QLatin1String("-Inf"))
                value = -std::numeric_limits<double>::infinity();
            else
                value = text.toDouble();
            s.points.append({qint64(std::llround(pair.at(0).toDouble() * 1000)), value});
        }
        out << s;
    }
    return out;
}

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

void PrometheusApi::metricNames(const QString &match, std::function<void(const Result<QStringList> &)> done)
{
    QUrlQuery q;
    if (!match.isEmpty())
        q.addQueryItem(QStringLiteral("match[]"), QString::fromLatin1(QUrl::toPercentEncoding(match)));
    call(QStringLiteral("/api/v1/label/__name__/values"), q, [done = std::move(done)](const Result<QJsonObject> &r) {
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

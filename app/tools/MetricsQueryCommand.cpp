#include "tools/MetricsQueryCommand.h"

#include "promapi/PrometheusApi.h"
#include "promapi/TimeSpec.h"
#include "tools/ApiEndpointOption.h"

#include <QDateTime>
#include <QJsonArray>

namespace {

QString seriesName(const QJsonObject &metric)
{
    QString name = metric.value(QStringLiteral("__name__")).toString();
    QStringList labels;
    for (auto it = metric.begin(); it != metric.end(); ++it) {
        if (it.key() != QLatin1String("__name__"))
            labels << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value().toString());
    }
    return name + QLatin1Char('{') + labels.join(QLatin1Char(',')) + QLatin1Char('}');
}

/// [time, "value"] as Prometheus sends a sample.
QString sample(const QJsonArray &pair)
{
    const qint64 ms = qint64(pair.at(0).toDouble() * 1000 + 0.5);
    return QStringLiteral("%1 @ %2").arg(
        pair.at(1).toString(), QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs));
}

} // namespace

void MetricsQueryCommand::start()
{
    const QStringList args = m_options.positional;
    if (args.size() != 2 || args.at(1).trimmed().isEmpty()) {
        fail(QStringLiteral("usage: quorumdeck metrics query EXPR --prometheus URL [--start T] [--end T] [--step S]"));
        return;
    }
    if (!ApiEndpointOption::isGiven(m_options, QStringLiteral("prometheus"))) {
        fail(QStringLiteral("metrics query needs --prometheus URL (or a --profile that names one): the server that "
                            "answers the query"));
        return;
    }
    const Result<ApiEndpoint> endpoint = ApiEndpointOption::fromOptions(m_options, QStringLiteral("prometheus"));
    if (!endpoint) {
        fail(endpoint.error().describe());
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto timeOption = [&](const char *name) -> std::optional<Result<qint64>> {
        if (!m_options.isSet(QLatin1String(name)))
            return std::nullopt;
        return TimeSpec::parseTime(m_options.value(QLatin1String(name)), now);
    };
    const auto start = timeOption("start");
    const auto end = timeOption("end");
    for (const auto *t : {&start, &end}) {
        if (*t && !**t) {
            fail((**t).error().describe());
            return;
        }
    }
    if (m_options.isSet(QStringLiteral("step")) && !start) {
        fail(QStringLiteral("--step applies to a range: give --start too"));
        return;
    }
    auto *api = new PrometheusApi(endpoint.value(), this);
    auto print = [this](const Result<QJsonObject> &r) {
        if (!r) {
            fail(r.error().describe());
            return;
        }
        if (m_options.json())
            printJson(r.value());
        else
            printOut(text(r.value()));
        finish(0);
    };
    const QString expr = m_options.positional.at(1);
    if (!start) {
        api->query(expr, end ? std::optional<qint64>(end->value()) : std::nullopt, print);
        return;
    }
    const qint64 from = start->value();
    const qint64 to = end ? end->value() : now;
    if (to < from) {
        fail(QStringLiteral("--end is before --start"));
        return;
    }
    qint64 step = std::max<qint64>(1000, ((to - from) / kDefaultPoints + 999) / 1000 * 1000);
    if (m_options.isSet(QStringLiteral("step"))) {
        const Result<qint64> s = TimeSpec::parseStep(m_options.value(QStringLiteral("step")));
        if (!s) {
            fail(s.error().describe());
            return;
        }
        step = s.value();
    }
    // Prometheus refuses more than 11,000 points a series; say so before asking.
    if ((to - from) / step > 11000) {
        fail(QStringLiteral("--step %1 s gives more than 11,000 points over this range; take a longer step")
                 .arg(double(step) / 1000));
        return;
    }
    api->queryRange(expr, from, to, step, print);
}

QString MetricsQueryCommand::text(const QJsonObject &data)
{
    const QString type = data.value(QStringLiteral("resultType")).toString();
    const QJsonValue result = data.value(QStringLiteral("result"));
    QString out;
    if (type == QLatin1String("scalar") || type == QLatin1String("string"))
        return sample(result.toArray()) + QLatin1Char('\n');
    for (const QJsonValue &v : result.toArray()) {
        const QJsonObject series = v.toObject();
        const QString name = seriesName(series.value(QStringLiteral("metric")).toObject());
        if (type == QLatin1String("vector")) {
            out += name + QLatin1Char(' ') + sample(series.value(QStringLiteral("value")).toArray())
                + QLatin1Char('\n');
            continue;
        }
        out += name + QLatin1Char('\n');
        for (const QJsonValue &p : series.value(QStringLiteral("values")).toArray())
            out += QStringLiteral("  ") + sample(p.toArray()) + QLatin1Char('\n');
    }
    if (result.toArray().isEmpty())
        out = QStringLiteral("no series\n");
    return out;
}

#include "promapi/AlertmanagerApi.h"

#include <QJsonObject>

namespace {

QMap<QString, QString> stringMap(const QJsonValue &v)
{
    QMap<QString, QString> out;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        out.insert(it.key(), it.value().toString());
    return out;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out << s.toString();
    return out;
}

} // namespace

RemoteAlert RemoteAlert::fromJson(const QJsonObject &o)
{
    RemoteAlert a;
    a.labels = stringMap(o.value(QStringLiteral("labels")));
    a.annotations = stringMap(o.value(QStringLiteral("annotations")));
    const QJsonObject status = o.value(QStringLiteral("status")).toObject();
    a.state = status.value(QStringLiteral("state")).toString();
    a.silencedBy = strings(status.value(QStringLiteral("silencedBy")));
    a.inhibitedBy = strings(status.value(QStringLiteral("inhibitedBy")));
    a.startsAt = QDateTime::fromString(o.value(QStringLiteral("startsAt")).toString(), Qt::ISODateWithMs);
    a.endsAt = QDateTime::fromString(o.value(QStringLiteral("endsAt")).toString(), Qt::ISODateWithMs);
    a.generatorUrl = o.value(QStringLiteral("generatorURL")).toString();
    return a;
}

AlertmanagerApi::AlertmanagerApi(ApiEndpoint endpoint, QObject *parent)
    : QObject(parent)
    , m_http(new JsonHttp(std::move(endpoint), this))
{
}

void AlertmanagerApi::alerts(const QStringList &filter, std::function<void(const Result<QJsonArray> &)> done)
{
    QUrlQuery q;
    for (const QString &f : filter)
        q.addQueryItem(QStringLiteral("filter"), QString::fromLatin1(QUrl::toPercentEncoding(f)));
    m_http->get(QStringLiteral("/api/v2/alerts"), q, [done = std::move(done)](const Result<JsonHttp::Answer> &r) {
        if (!r) {
            done(r.error());
            return;
        }
        if (r.value().httpStatus != 200 || !r.value().body.isArray()) {
            const QString said = r.value().body.isObject()
                ? r.value().body.object().value(QStringLiteral("message")).toString()
                : QString();
            done(Error::unavailable(QStringLiteral("the answer is not Alertmanager's API v2 (HTTP %1%2)")
                                        .arg(r.value().httpStatus)
                                        .arg(said.isEmpty() ? QString() : QStringLiteral(": ") + said)));
            return;
        }
        done(r.value().body.array());
    });
}

void AlertmanagerApi::post(const QJsonArray &alerts, std::function<void(const Result<void> &)> done)
{
    m_http->post(QStringLiteral("/api/v2/alerts"), QJsonDocument(alerts),
        [done = std::move(done)](const Result<JsonHttp::Answer> &r) {
            if (!r) {
                done(r.error());
                return;
            }
            if (r.value().httpStatus != 200) {
                done(Error::refused(
                    QStringLiteral("Alertmanager refused the alerts (HTTP %1)").arg(r.value().httpStatus)));
                return;
            }
            done(Result<void>());
        });
}

#include "etcd/ConnectionSettings.h"

#include "common/Endpoint.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>
#include <cmath>

QString ConnectionSettings::applyEnvironment(const QProcessEnvironment &env)
{
    if (env.contains(QStringLiteral("ETCDCTL_ENDPOINTS")))
        endpoints = env.value(QStringLiteral("ETCDCTL_ENDPOINTS")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    auto take = [&](const char *name, QString &into) {
        const QString key = QString::fromLatin1(name);
        if (env.contains(key))
            into = env.value(key);
    };
    take("ETCDCTL_CACERT", tls.caFile);
    take("ETCDCTL_CERT", tls.certFile);
    take("ETCDCTL_KEY", tls.keyFile);
    if (env.contains(QStringLiteral("ETCDCTL_USER")))
        setUserSpec(env.value(QStringLiteral("ETCDCTL_USER")));
    take("ETCDCTL_PASSWORD", password);
    // The spellings of true that etcdctl (Go's strconv.ParseBool) accepts.
    static const QStringList yes {QStringLiteral("1"), QStringLiteral("t"), QStringLiteral("T"), QStringLiteral("true"),
        QStringLiteral("TRUE"), QStringLiteral("True")};
    if (yes.contains(env.value(QStringLiteral("ETCDCTL_INSECURE_SKIP_TLS_VERIFY"))))
        tls.insecureSkipVerify = true;

    for (const char *name : {"ETCDCTL_DIAL_TIMEOUT", "ETCDCTL_COMMAND_TIMEOUT"}) {
        const QString key = QString::fromLatin1(name);
        if (!env.contains(key))
            continue;
        const auto ms = parseDurationMs(env.value(key));
        if (!ms)
            return QStringLiteral("%1=\"%2\" is not a duration; write for example 2s or 500ms")
                .arg(key, env.value(key));
        if (*ms <= 0)
            return QStringLiteral("%1=\"%2\": a timeout must be longer than 0; write for example 2s or 500ms")
                .arg(key, env.value(key));
        if (key == QLatin1String("ETCDCTL_DIAL_TIMEOUT"))
            deadlines.dialMs = *ms;
        else
            setCommandTimeout(*ms);
    }
    const QString targets = env.value(QStringLiteral("QUORUMDECK_METRIC_TARGETS"));
    for (const QString &t : targets.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QUrl url(t.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            || url.host().isEmpty())
            return QStringLiteral("QUORUMDECK_METRIC_TARGETS: \"%1\" is not an http(s) URL; write for example "
                                  "http://10.0.0.5:9100/metrics")
                .arg(t.trimmed());
        metricTargets.append(url.toString());
    }
    return {};
}

void ConnectionSettings::setUserSpec(const QString &spec)
{
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    if (colon < 0) {
        if (spec != user)
            password.clear(); // another user's password must not go with this one
        user = spec;
        return;
    }
    user = spec.left(colon);
    password = spec.mid(colon + 1);
}

void ConnectionSettings::setCommandTimeout(int ms)
{
    deadlines.readMs = ms;
    deadlines.writeMs = ms;
}

QString ConnectionSettings::validate() const
{
    if (endpoints.isEmpty())
        return QStringLiteral("no endpoints; give --endpoints host:port[,host:port...] or set ETCDCTL_ENDPOINTS");
    for (const QString &e : endpoints) {
        if (const Result<Endpoint> parsed = Endpoint::parse(e, tls.enabled()); !parsed)
            return parsed.problem();
    }
    const std::pair<const char *, QString> files[] = {{"--cacert (or ETCDCTL_CACERT)", tls.caFile},
        {"--cert (or ETCDCTL_CERT)", tls.certFile}, {"--key (or ETCDCTL_KEY)", tls.keyFile}};
    for (const auto &[flag, path] : files) {
        if (!path.isEmpty() && !QFileInfo(path).isReadable())
            return QStringLiteral("%1 %2: the file does not exist or cannot be read").arg(QLatin1String(flag), path);
    }
    if (tls.certFile.isEmpty() != tls.keyFile.isEmpty())
        return QStringLiteral("a client certificate needs both --cert and --key");
    return {};
}

std::optional<int> ConnectionSettings::parseDurationMs(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    bool bare = false;
    const double seconds = t.toDouble(&bare);
    if (bare) // seconds, within the same day-long bound as below (and never inf or nan)
        return std::isfinite(seconds) && seconds >= 0 && seconds <= 24 * 3600.0
            ? std::optional<int>(int(seconds * 1000))
            : std::nullopt;

    static const QRegularExpression part(QStringLiteral("(\\d+(?:\\.\\d+)?)(ms|s|m|h)"));
    double total = 0;
    qsizetype consumed = 0;
    auto it = part.globalMatch(t);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart() != consumed)
            return std::nullopt;
        consumed = m.capturedEnd();
        const double v = m.captured(1).toDouble();
        const QString unit = m.captured(2);
        total += unit == QLatin1String("ms") ? v
            : unit == QLatin1String("s")     ? v * 1000
            : unit == QLatin1String("m")     ? v * 60000
                                             : v * 3600000;
    }
    if (consumed != t.size() || total > 24 * 3600000.0)
        return std::nullopt;
    return int(total);
}

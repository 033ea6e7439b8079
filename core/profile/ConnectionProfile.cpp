#include "profile/ConnectionProfile.h"

#include <QUrl>

ConnectionSettings ConnectionProfile::connectionSettings() const
{
    ConnectionSettings s;
    s.endpoints = endpoints;
    s.tls = tls;
    s.user = user;
    s.metricTargets = metricTargets;
    return s;
}

LbDefinition ConnectionProfile::lbDefinition() const
{
    LbDefinition lb;
    lb.kind = lbKind;
    lb.statsUrl = lbStatsUrl;
    lb.socketPath = lbSocket;
    if (!lbBackendProxy.isEmpty())
        lb.backendProxy = lbBackendProxy;
    lb.frontend = lbFrontend;
    for (const QString &entry : lbBackends) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        LbDefinition::Backend b;
        b.name = eq > 0 ? entry.left(eq).trimmed() : entry.trimmed();
        b.address = eq > 0 ? entry.mid(eq + 1).trimmed() : entry.trimmed();
        lb.backends << b;
    }
    lb.probe = lbProbe;
    lb.probePath = lbProbePath;
    return lb;
}

LbDefinition ConnectionProfile::lbDefinition(const TlsSettings &connectionTls) const
{
    LbDefinition lb = lbDefinition();
    if (lb.probe != LbDefinition::ProbeKind::Tcp
        && (lb.probe == LbDefinition::ProbeKind::Https || connectionTls.enabled())) {
        // Backends of a TLS cluster answer /health over HTTPS, checked as the console connects.
        lb.probeTls = connectionTls;
        lb.probePeerName = connectionTls.serverName;
        lb.probe = LbDefinition::ProbeKind::Https;
    }
    return lb;
}

QString ConnectionProfile::validate() const
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("a profile needs a name");
    if (name.contains(QLatin1Char('/')) || name.contains(QLatin1Char('\\')))
        return QStringLiteral("a profile name cannot contain / or \\");
    if (const QString e = connectionSettings().validate(); !e.isEmpty())
        return e;
    if (lbKind == LbDefinition::Kind::Haproxy && lbStatsUrl.isEmpty() && lbSocket.isEmpty())
        return QStringLiteral("an HAProxy load balancer needs its stats URL or its admin socket");
    if (lbKind == LbDefinition::Kind::Generic && lbBackends.isEmpty())
        return QStringLiteral("a generic load balancer needs its backends (name=host:port)");
    for (const auto &[what, url] :
        {std::pair {"Prometheus", prometheusUrl}, std::pair {"Alertmanager", alertmanagerUrl}}) {
        const QUrl u(url);
        if (!url.isEmpty()
            && (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https"))))
            return QStringLiteral("the %1 URL must be an http(s) URL, such as http://host:9090")
                .arg(QLatin1String(what));
    }
    for (const QString &server : apiServers) {
        const QUrl u(QStringLiteral("https://") + server);
        if (!u.isValid() || u.host().isEmpty() || u.port() <= 0 || !u.path().isEmpty())
            return QStringLiteral("\"%1\" is not an API server's host:port (e.g. 10.0.0.11:6443)").arg(server);
    }
    for (const QString &pair : memberInstances) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0 || pair.left(eq).trimmed().isEmpty() || pair.mid(eq + 1).trimmed().isEmpty())
            return QStringLiteral("\"%1\" is not instance=member (e.g. 10.0.0.1:2381=etcd1)").arg(pair.trimmed());
    }
    return {};
}

QHash<QString, QString> ConnectionProfile::memberInstanceMap() const
{
    QHash<QString, QString> out;
    for (const QString &pair : memberInstances) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        const QString instance = pair.left(eq).trimmed();
        const QString name = pair.mid(eq + 1).trimmed();
        if (eq > 0 && !instance.isEmpty() && !name.isEmpty())
            out.insert(instance, name);
    }
    return out;
}

QString ConnectionProfile::lbKindName(LbDefinition::Kind kind)
{
    switch (kind) {
    case LbDefinition::Kind::Haproxy:
        return QStringLiteral("haproxy");
    case LbDefinition::Kind::Generic:
        return QStringLiteral("generic");
    case LbDefinition::Kind::None:
        break;
    }
    return QStringLiteral("none");
}

LbDefinition::Kind ConnectionProfile::lbKindFromName(const QString &name)
{
    if (name == QLatin1String("haproxy"))
        return LbDefinition::Kind::Haproxy;
    if (name == QLatin1String("generic"))
        return LbDefinition::Kind::Generic;
    return LbDefinition::Kind::None;
}

#include "common/Endpoint.h"

#include <arpa/inet.h>

Result<Endpoint> Endpoint::parse(const QString &text, bool tls)
{
    auto fail = [](const QString &why) { return Error::invalid(why); };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(QStringLiteral("an endpoint is empty"));

    QString withScheme = trimmed;
    if (!trimmed.contains(QLatin1String("://")))
        withScheme = (tls ? QStringLiteral("https://") : QStringLiteral("http://")) + trimmed;
    // etcdctl also accepts the unix and unixs schemes; QuorumDeck does not dial sockets.
    QUrl url(withScheme, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty())
        return fail(QStringLiteral("\"%1\" is not an endpoint; write host:port or http(s)://host:port").arg(trimmed));
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return fail(QStringLiteral("\"%1\" has scheme \"%2\"; endpoints use http or https").arg(trimmed, scheme));
    if (url.port() <= 0)
        return fail(QStringLiteral("\"%1\" has no port; write host:port, for example 127.0.0.1:2379").arg(trimmed));
    if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        return fail(QStringLiteral("\"%1\" has a path; an endpoint is only scheme, host and port").arg(trimmed));

    Endpoint endpoint;
    url.setScheme(scheme);
    url.setPath(QString());
    endpoint.m_url = url;
    return endpoint;
}

QString Endpoint::toString() const
{
    return m_url.toString(QUrl::RemovePath | QUrl::StripTrailingSlash);
}

QString Endpoint::grpcTarget() const
{
    const QString host = m_url.host();
    const QString port = QString::number(m_url.port());
    // An address needs no resolver: gRPC's ipv4:/ipv6: targets skip the DNS machinery.
    if (host.contains(QLatin1Char(':'))) // QUrl hands IPv6 addresses over without brackets
        return QStringLiteral("ipv6:[%1]:%2").arg(host, port);
    in_addr v4 {};
    if (::inet_pton(AF_INET, host.toLatin1().constData(), &v4) == 1)
        return QStringLiteral("ipv4:%1:%2").arg(host, port);
    return host + QLatin1Char(':') + port;
}

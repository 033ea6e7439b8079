#include "promapi/ApiEndpoint.h"

#include "tls/HttpTls.h"

#include <QFile>

QUrl ApiEndpoint::resolve(const QString &path) const
{
    QUrl u = url;
    QString base = u.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    u.setPath(base + path);
    return u;
}

Result<ApiEndpoint> ApiEndpoint::configure(
    const QString &what, const QString &url, const QString &bearerTokenFile, const TlsSettings &tls)
{
    ApiEndpoint e;
    e.url = QUrl::fromUserInput(url);
    if (url.isEmpty() || !e.url.isValid()
        || (e.url.scheme() != QLatin1String("http") && e.url.scheme() != QLatin1String("https")))
        return Error::invalid(QStringLiteral("%1 takes an http(s) URL, such as http://prometheus:9090").arg(what));
    if (!bearerTokenFile.isEmpty()) {
        QFile f(bearerTokenFile);
        if (!f.open(QIODevice::ReadOnly))
            return Error::io(
                QStringLiteral("cannot read the bearer token file %1: %2").arg(f.fileName(), f.errorString()));
        e.bearerToken = f.readAll().trimmed();
        if (e.bearerToken.isEmpty())
            return Error::invalid(QStringLiteral("the bearer token file %1 is empty").arg(f.fileName()));
    }
    if (e.url.scheme() == QLatin1String("https")) {
        const Result<QSslConfiguration> configured = HttpTls::configuration(tls);
        if (!configured)
            return configured.error();
        e.tls = configured.value();
    }
    return e;
}

#include "tools/ApiEndpointOption.h"

#include "cli/CliOptions.h"
#include "tls/HttpTls.h"

#include <QFile>

namespace ApiEndpointOption {

Result<ApiEndpoint> fromOptions(const CliOptions &options, const QString &urlOption)
{
    const QString raw = options.value(urlOption);
    ApiEndpoint e;
    e.url = QUrl::fromUserInput(raw);
    if (raw.isEmpty() || !e.url.isValid()
        || (e.url.scheme() != QLatin1String("http") && e.url.scheme() != QLatin1String("https")))
        return Error::invalid(
            QStringLiteral("--%1 takes an http(s) URL, such as http://prometheus:9090").arg(urlOption));
    e.timeoutMs = std::max(options.settings.deadlines.readMs, 5000);
    if (options.isSet(QStringLiteral("bearer-token-file"))) {
        QFile f(options.value(QStringLiteral("bearer-token-file")));
        if (!f.open(QIODevice::ReadOnly))
            return Error::io(
                QStringLiteral("cannot read the bearer token file %1: %2").arg(f.fileName(), f.errorString()));
        e.bearerToken = f.readAll().trimmed();
        if (e.bearerToken.isEmpty())
            return Error::invalid(QStringLiteral("the bearer token file %1 is empty").arg(f.fileName()));
    }
    if (e.url.scheme() == QLatin1String("https")) {
        const Result<QSslConfiguration> tls = HttpTls::configuration(options.settings.tls);
        if (!tls)
            return tls.error();
        e.tls = tls.value();
    }
    return e;
}

} // namespace ApiEndpointOption

#include "tools/ApiEndpointOption.h"

#include "cli/CliOptions.h"

namespace ApiEndpointOption {

namespace {

QString profileUrl(const CliOptions &options, const QString &urlOption)
{
    if (!options.profile)
        return {};
    if (urlOption == QLatin1String("prometheus"))
        return options.profile->prometheusUrl;
    if (urlOption == QLatin1String("alertmanager"))
        return options.profile->alertmanagerUrl;
    return {};
}

} // namespace

bool isGiven(const CliOptions &options, const QString &urlOption)
{
    return options.isSet(urlOption) || !profileUrl(options, urlOption).isEmpty();
}

Result<ApiEndpoint> fromOptions(const CliOptions &options, const QString &urlOption)
{
    // The command line first, then the profile's.
    const QString url = options.isSet(urlOption) ? options.value(urlOption) : profileUrl(options, urlOption);
    QString tokenFile = options.value(QStringLiteral("bearer-token-file"));
    if (tokenFile.isEmpty() && options.profile)
        tokenFile = options.profile->apiBearerTokenFile;
    Result<ApiEndpoint> e
        = ApiEndpoint::configure(QStringLiteral("--") + urlOption, url, tokenFile, options.settings.tls);
    if (e)
        e.value().timeoutMs = std::max(options.settings.deadlines.readMs, 5000);
    return e;
}

} // namespace ApiEndpointOption

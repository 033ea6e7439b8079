#pragma once

#include "common/Result.h"
#include "promapi/ApiEndpoint.h"

struct CliOptions;

/// The endpoint of --prometheus or --alertmanager as the command line gives it: the URL,
/// --bearer-token-file (read, never echoed), and for https the connection's --cacert,
/// --cert and --key, as etcd's. What the command line leaves out, --profile's Prometheus,
/// Alertmanager and token file give.
namespace ApiEndpointOption {

/// Whether the command line or the profile names the server.
bool isGiven(const CliOptions &options, const QString &urlOption);
Result<ApiEndpoint> fromOptions(const CliOptions &options, const QString &urlOption);

} // namespace ApiEndpointOption

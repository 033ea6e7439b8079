#pragma once

#include "common/Result.h"
#include "promapi/ApiEndpoint.h"

struct CliOptions;

/// The endpoint of --prometheus or --alertmanager as the command line gives it: the URL,
/// --bearer-token-file (read, never echoed), and for https the connection's --cacert,
/// --cert and --key, as etcd's.
namespace ApiEndpointOption {

Result<ApiEndpoint> fromOptions(const CliOptions &options, const QString &urlOption);

} // namespace ApiEndpointOption

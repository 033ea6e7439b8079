#pragma once

#include "common/Result.h"
#include "common/TlsSettings.h"

#include <QSslConfiguration>
#include <QString>

/// A connection's TLS files as QtNetwork takes them, for the plain HTTP(S) the console
/// speaks to the same servers as its gRPC client (/metrics scrapes, and later /health
/// probes): the CA bundle the server must chain to, and the client certificate and key
/// (PEM; RSA or EC) when the server asks for one. Reads files: call it off the GUI thread.
namespace HttpTls {

/// The configuration, or an Error naming the file at fault.
Result<QSslConfiguration> configuration(const TlsSettings &tls);

} // namespace HttpTls

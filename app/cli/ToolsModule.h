#pragma once

#include "etcd/ConnectionSettings.h"

#include <QStringList>
#include <functional>

class QObject;

/// The commands beyond a cluster's own (demo, lb, metrics, volumes, defrag, certs, k8s) and
/// the certificate diagnostics live in the quorumdeck-tools module, which the binary loads
/// only for them: a cluster command (status, member, move-leader, events, alarm) then loads
/// no QtNetwork, nor the Kerberos, proxy and compression libraries beneath it.
namespace ToolsModule {

/// Runs a command the binary does not hold itself: its exit code, or 1 with a sentence on
/// stderr when the module cannot be loaded.
int run(const QStringList &arguments);

/// Why TLS to endpoint fails, in words: the certificate files, then a handshake of the
/// console's own (see CertificateDiagnostics). Answers on context's thread; with an empty
/// list when the module cannot be loaded or finds nothing wrong.
void explainTls(const TlsSettings &tls, const QString &endpoint, int deadlineMs, QObject *context,
    std::function<void(const QStringList &problems)> done);

} // namespace ToolsModule

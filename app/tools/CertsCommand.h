#pragma once

#include "cli/CliCommand.h"

struct TlsDiagnosis;

/// `quorumdeck certs [-w json]`: certificate diagnostics for the connection. The local files
/// (the CA bundle; the client certificate, its expiry and whether the key belongs to it),
/// then for each endpoint the chain the server presented (subject, issuer, names, validity,
/// key) with one sentence for each failure. Exit 0 when every endpoint accepts the
/// connection, 2 when any problem was found; warnings (expiry within 30 days) are printed
/// either way.
///
/// `quorumdeck certs --pki DIR [--kubeconfig FILE]`: a control plane's certificates (every
/// `*.crt` under DIR, the kubeconfigs' client certificates) sorted by expiry; exit 2 when
/// any is critical (within 7 days, or expired), 1 when a file could not be read, else 0.
class CertsCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;

private:
    void listPki();
};

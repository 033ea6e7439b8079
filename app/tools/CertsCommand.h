#pragma once

#include "cli/CliCommand.h"

struct TlsDiagnosis;

/// `quorumdeck certs [-w json]`: certificate diagnostics for the connection. The local files
/// (the CA bundle; the client certificate, its expiry and whether the key belongs to it),
/// then for each endpoint the chain the server presented (subject, issuer, names, validity,
/// key) with one sentence for each failure. Exit 0 when every endpoint accepts the
/// connection, 2 when any problem was found; warnings (expiry within 30 days) are printed
/// either way.
class CertsCommand : public CliCommand {
    Q_OBJECT

public:
    using CliCommand::CliCommand;
    void start() override;
};

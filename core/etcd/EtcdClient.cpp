#include "etcd/EtcdClient.h"

#include "etcd/EtcdClientPrivate.h"

#include <QFile>

namespace {

std::string readPem(const QString &path, QString *error)
{
    if (path.isEmpty())
        return {};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return {};
    }
    return f.readAll().toStdString();
}

/// TLS that accepts any server certificate: what --insecure-skip-tls-verify asks for.
/// The client certificate is still presented when one is given.
std::shared_ptr<grpc::ChannelCredentials> unverifiedCredentials(const grpc::SslCredentialsOptions &files)
{
    namespace gx = grpc::experimental;
    gx::TlsChannelCredentialsOptions options;
    options.set_verify_server_certs(false);
    options.set_check_call_host(false);
    options.set_certificate_verifier(std::make_shared<gx::NoOpCertificateVerifier>());
    if (!files.pem_cert_chain.empty()) {
        options.set_certificate_provider(std::make_shared<gx::StaticDataCertificateProvider>(
            std::vector<gx::IdentityKeyCertPair> {{files.pem_private_key, files.pem_cert_chain}}));
        options.watch_identity_key_cert_pairs();
    }
    return gx::TlsCredentials(options);
}

} // namespace

EtcdClient::EtcdClient(const ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->settings = settings;
    for (const QString &e : settings.endpoints) {
        const Result<Endpoint> ep = Endpoint::parse(e, settings.tls.enabled());
        d->endpoints.append(ep ? ep.value().toString() : e);
    }
    if (settings.tls.enabled()) {
        grpc::SslCredentialsOptions options;
        QString error;
        options.pem_root_certs = readPem(settings.tls.caFile, &error);
        options.pem_cert_chain = readPem(settings.tls.certFile, &error);
        options.pem_private_key = readPem(settings.tls.keyFile, &error);
        d->credentialsError = error;
        if (error.isEmpty() && settings.tls.insecureSkipVerify)
            d->tlsCredentials = unverifiedCredentials(options);
        else if (error.isEmpty())
            d->tlsCredentials = grpc::SslCredentials(options);
    }
}

EtcdClient::~EtcdClient()
{
    // Cancelled calls complete at once; the pump's destructor then waits for them, and
    // their answers, posted to this object, are discarded with it.
    d->inFlight.cancelAll();
    d->snapshots.clear();
    d->pump.reset();
}

int EtcdClient::authentications() const
{
    return d->authentications;
}

const ConnectionSettings &EtcdClient::settings() const
{
    return d->settings;
}

QStringList EtcdClient::endpoints() const
{
    return d->endpoints;
}

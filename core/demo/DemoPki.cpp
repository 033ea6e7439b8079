#include "demo/DemoPki.h"

#include "tls/CertificateAuthority.h"

#include <QDir>
#include <QFile>

namespace DemoPki {

Result<LocalTls> create(const QString &dir)
{
    const QString pki = QDir(dir).filePath(QStringLiteral("pki"));
    if (!QDir().mkpath(pki))
        return Error::io(QStringLiteral("cannot create %1").arg(pki));
    QFile::setPermissions(pki, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    auto path = [&](const char *name) { return QDir(pki).filePath(QLatin1String(name)); };
    LocalTls tls;
    tls.caFile = path("ca.pem");
    tls.serverCertFile = path("server.pem");
    tls.serverKeyFile = path("server-key.pem");
    tls.peerCertFile = path("peer.pem");
    tls.peerKeyFile = path("peer-key.pem");
    tls.certFile = path("client.pem");
    tls.keyFile = path("client-key.pem");
    tls.checkBundleFile = path("lb-check.pem");

    CertificateAuthority ca;
    if (const Result<void> created = ca.create(QStringLiteral("QuorumDeck demo CA"), tls.caFile, path("ca-key.pem"));
        !created)
        return created.error();
    CertificateRequest server;
    server.commonName = QStringLiteral("etcd demo member");
    server.dnsNames = {QStringLiteral("localhost")};
    server.ipAddresses = {QStringLiteral("127.0.0.1")};
    server.use = CertificateUse::Server;
    CertificateRequest peer = server;
    peer.use = CertificateUse::Peer;
    // The CN names the etcd user the certificate authenticates as, when auth is on.
    CertificateRequest client;
    client.commonName = QStringLiteral("root");
    client.use = CertificateUse::Client;
    const std::pair<const CertificateRequest *, std::pair<QString, QString>> issued[]
        = {{&server, {tls.serverCertFile, tls.serverKeyFile}}, {&peer, {tls.peerCertFile, tls.peerKeyFile}},
            {&client, {tls.certFile, tls.keyFile}}};
    for (const auto &[request, files] : issued) {
        if (const Result<void> written = ca.issue(*request, files.first, files.second); !written)
            return written.error();
    }
    QFile cert(tls.certFile);
    QFile key(tls.keyFile);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read the client certificate just written in %1").arg(pki));
    if (const Result<void> written
        = CertificateAuthority::writePrivateFile(tls.checkBundleFile, cert.readAll() + key.readAll());
        !written)
        return written.error();
    return tls;
}

} // namespace DemoPki

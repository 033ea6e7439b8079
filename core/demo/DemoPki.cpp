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
    if (const QString e = ca.create(QStringLiteral("QuorumDeck demo CA"), tls.caFile, path("ca-key.pem")); !e.isEmpty())
        return Error::io(e);
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
    for (const QString &e : {ca.issue(server, tls.serverCertFile, tls.serverKeyFile),
             ca.issue(peer, tls.peerCertFile, tls.peerKeyFile), ca.issue(client, tls.certFile, tls.keyFile)}) {
        if (!e.isEmpty())
            return Error::io(e);
    }
    QFile cert(tls.certFile);
    QFile key(tls.keyFile);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read the client certificate just written in %1").arg(pki));
    if (const QString e = CertificateAuthority::writePrivateFile(tls.checkBundleFile, cert.readAll() + key.readAll());
        !e.isEmpty())
        return Error::io(e);
    return tls;
}

} // namespace DemoPki

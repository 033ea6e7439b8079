#include "tls/HttpTls.h"

#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace HttpTls {

Result<QSslConfiguration> configuration(const TlsSettings &tls)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    auto fail = [](const QString &sentence) { return Error::invalid(sentence); };
    for (const QString &path : {tls.caFile, tls.certFile, tls.keyFile}) {
        if (!path.isEmpty() && !QFileInfo(path).isReadable())
            return fail(QStringLiteral("%1: the file does not exist or cannot be read").arg(path));
    }
    if (!tls.certFile.isEmpty() && tls.keyFile.isEmpty())
        return fail(QStringLiteral("a client certificate needs its key too (--key)"));
    if (!tls.caFile.isEmpty()) {
        const QList<QSslCertificate> ca = QSslCertificate::fromPath(tls.caFile, QSsl::Pem);
        if (ca.isEmpty())
            return fail(QStringLiteral("%1 holds no PEM certificate to trust").arg(tls.caFile));
        config.setCaCertificates(ca);
    }
    if (!tls.certFile.isEmpty()) {
        const QList<QSslCertificate> chain = QSslCertificate::fromPath(tls.certFile, QSsl::Pem);
        if (chain.isEmpty())
            return fail(QStringLiteral("%1 holds no PEM certificate").arg(tls.certFile));
        QFile keyFile(tls.keyFile);
        if (!keyFile.open(QIODevice::ReadOnly))
            return Error::io(QStringLiteral("%1: %2").arg(tls.keyFile, keyFile.errorString()));
        const QByteArray pem = keyFile.readAll();
        // PEM says which kind it is only in its header; try both key types etcd supports.
        QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            return fail(QStringLiteral("%1 holds no unencrypted PEM RSA or EC private key").arg(tls.keyFile));
        config.setLocalCertificateChain(chain);
        config.setPrivateKey(key);
    }
    if (tls.insecureSkipVerify)
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

} // namespace HttpTls

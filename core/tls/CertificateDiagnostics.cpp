#include "tls/CertificateDiagnostics.h"

#include "common/Endpoint.h"
#include "tls/HttpTls.h"

#include <QFile>
#include <QJsonArray>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>
#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace {

QString day(const QDateTime &t)
{
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

void warnIfExpiring(const CertificateInfo &c, const QString &what, QStringList *warnings)
{
    const qint64 days = c.daysLeft();
    if (!c.expired() && days < CertificateDiagnostics::kWarnDays)
        *warnings << QStringLiteral("%1 expires in %2 day(s), on %3").arg(what).arg(days).arg(day(c.notAfter));
}

QJsonArray toArray(const QList<CertificateInfo> &list)
{
    QJsonArray out;
    for (const CertificateInfo &c : list)
        out << c.toJson();
    return out;
}

/// The sentence for one verification error of the server's certificate.
QString sentenceFor(const QSslError &error, const CertificateInfo &server, const QString &host)
{
    switch (error.error()) {
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateSignatureFailed:
        return QStringLiteral("the server's certificate was issued by %1, a CA that is not trusted here; give the CA "
                              "that issued it (--cacert)")
            .arg(server.issuer.isEmpty() ? QStringLiteral("an unknown issuer") : server.issuer);
    case QSslError::CertificateExpired:
        return QStringLiteral("the server's certificate expired on %1").arg(day(server.notAfter));
    case QSslError::CertificateNotYetValid:
        return QStringLiteral("the server's certificate is not valid before %1 (is this machine's clock right?)")
            .arg(day(server.notBefore));
    case QSslError::HostNameMismatch:
        return QStringLiteral("the server's certificate is for %1, not for %2; connect by one of its names or set "
                              "the server name to check")
            .arg(server.subjectAltNames.isEmpty() ? server.subject : server.subjectAltNames.join(QStringLiteral(", ")),
                host);
    default:
        return QStringLiteral("the server's certificate cannot be verified: %1").arg(error.errorString());
    }
}

} // namespace

QJsonObject TlsFilesCheck::toJson() const
{
    QJsonObject o {{QStringLiteral("trusted"), toArray(trusted)},
        {QStringLiteral("problems"), QJsonArray::fromStringList(problems)},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)}};
    if (hasClientCertificate)
        o.insert(QStringLiteral("client"), client.toJson());
    return o;
}

QJsonObject TlsDiagnosis::toJson() const
{
    return {{QStringLiteral("endpoint"), endpoint}, {QStringLiteral("ok"), ok()}, {QStringLiteral("reached"), reached},
        {QStringLiteral("handshake"), handshake}, {QStringLiteral("answered"), answered},
        {QStringLiteral("chain"), toArray(chain)}, {QStringLiteral("problems"), QJsonArray::fromStringList(problems)},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)}};
}

CertificateDiagnostics::CertificateDiagnostics(const TlsSettings &tls, QObject *parent)
    : QObject(parent)
    , m_tls(tls)
{
}

namespace {

/// OpenSSL asks for the passphrase of an encrypted key on the terminal unless told not to:
/// never ask, the key is reported as unusable instead.
int noPassphrase(char *, int, int, void *)
{
    return 0;
}

} // namespace

bool CertificateDiagnostics::keyMatchesCertificate(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    BIO *certBio = BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size()));
    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    X509 *cert = PEM_read_bio_X509(certBio, nullptr, &noPassphrase, nullptr);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(keyBio, nullptr, &noPassphrase, nullptr);
    const bool match = cert && key && X509_check_private_key(cert, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(certBio);
    BIO_free(keyBio);
    return match;
}

TlsFilesCheck CertificateDiagnostics::checkFiles(const TlsSettings &tls)
{
    TlsFilesCheck check;
    auto read = [&](const QString &path, QByteArray *out) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            check.problems << QStringLiteral("%1: %2").arg(path, f.errorString());
            return false;
        }
        *out = f.readAll();
        return true;
    };
    QByteArray pem;
    if (!tls.caFile.isEmpty() && read(tls.caFile, &pem)) {
        const QList<QSslCertificate> cas = QSslCertificate::fromData(pem, QSsl::Pem);
        if (cas.isEmpty())
            check.problems << QStringLiteral("%1 holds no PEM certificate to trust").arg(tls.caFile);
        for (const QSslCertificate &c : cas) {
            const CertificateInfo info = CertificateInfo::of(c);
            check.trusted << info;
            if (info.expired())
                check.problems << QStringLiteral("the CA %1 in %2 expired on %3")
                                      .arg(info.subject, tls.caFile, day(info.notAfter));
            warnIfExpiring(info, QStringLiteral("the CA %1").arg(info.subject), &check.warnings);
        }
    }
    if (tls.certFile.isEmpty() && !tls.keyFile.isEmpty())
        check.problems << QStringLiteral("a client key was given (--key) without its certificate (--cert)");
    if (tls.certFile.isEmpty())
        return check;
    QByteArray certPem;
    QByteArray keyPem;
    if (!read(tls.certFile, &certPem))
        return check;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (chain.isEmpty()) {
        check.problems << QStringLiteral("%1 holds no PEM certificate").arg(tls.certFile);
        return check;
    }
    check.hasClientCertificate = true;
    check.client = CertificateInfo::of(chain.first());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (check.client.expired(now))
        check.problems << QStringLiteral("your client certificate (%1) expired on %2; the server will refuse it")
                              .arg(tls.certFile, day(check.client.notAfter));
    else if (check.client.notYetValid(now))
        check.problems << QStringLiteral("your client certificate (%1) is not valid before %2")
                              .arg(tls.certFile, day(check.client.notBefore));
    warnIfExpiring(check.client, QStringLiteral("your client certificate"), &check.warnings);
    if (tls.keyFile.isEmpty())
        check.problems << QStringLiteral("a client certificate needs its key too (--key)");
    else if (read(tls.keyFile, &keyPem)) {
        if (keyPem.contains("ENCRYPTED"))
            check.problems
                << QStringLiteral("the key in %1 is encrypted; give an unencrypted PEM key").arg(tls.keyFile);
        else if (QSslKey(keyPem, QSsl::Rsa).isNull() && QSslKey(keyPem, QSsl::Ec).isNull())
            check.problems << QStringLiteral("%1 holds no PEM RSA or EC private key").arg(tls.keyFile);
        else if (!keyMatchesCertificate(certPem, keyPem))
            check.problems << QStringLiteral("the key in %1 does not belong to the certificate in %2")
                                  .arg(tls.keyFile, tls.certFile);
    }
    return check;
}

void CertificateDiagnostics::diagnose(
    const QString &text, int timeoutMs, std::function<void(const TlsDiagnosis &)> done)
{
    auto result = std::make_shared<TlsDiagnosis>();
    result->endpoint = text;
    const Result<Endpoint> parsed = Endpoint::parse(text, true);
    if (!parsed) {
        result->problems << parsed.problem();
        done(*result);
        return;
    }
    const Endpoint endpoint = parsed.value();
    if (!m_configured) {
        const Result<QSslConfiguration> configured = HttpTls::configuration(m_tls);
        m_config = configured.valueOr(QSslConfiguration());
        m_configError = configured.problem();
        m_configured = true;
    }
    if (!m_configError.isEmpty()) {
        // Without its files the connection cannot be tried as configured: say why.
        result->problems << m_configError;
        done(*result);
        return;
    }
    const QString host = endpoint.url().host();
    const QString peerName = m_tls.serverName.isEmpty() ? host : m_tls.serverName;
    const bool withClientCert = !m_tls.certFile.isEmpty();
    auto *socket = new QSslSocket(this);
    QSslConfiguration config = m_config;
    // Verification errors are collected below, not fatal: the chain is wanted either way.
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    socket->setSslConfiguration(config);
    socket->setPeerVerifyName(peerName);
    auto reply = std::make_shared<QByteArray>();
    auto finished = std::make_shared<bool>(false);
    auto finish = [=](const QString &problem) {
        if (*finished)
            return;
        *finished = true;
        if (!problem.isEmpty() && !result->problems.contains(problem))
            result->problems << problem;
        const QList<QSslCertificate> chain = socket->peerCertificateChain();
        for (const QSslCertificate &c : chain) {
            const CertificateInfo info = CertificateInfo::of(c);
            result->chain << info;
            warnIfExpiring(info, QStringLiteral("the server's certificate %1").arg(info.subject), &result->warnings);
        }
        socket->abort();
        socket->deleteLater();
        done(*result);
    };
    connect(socket, &QSslSocket::connected, socket, [=] { result->reached = true; });
    const bool skipVerify = m_tls.insecureSkipVerify;
    connect(socket, &QSslSocket::sslErrors, socket, [=](const QList<QSslError> &errors) {
        socket->ignoreSslErrors(errors);
        if (skipVerify)
            return; // the operator chose not to verify: not a problem to report
        const QList<QSslCertificate> chain = socket->peerCertificateChain();
        const CertificateInfo server = chain.isEmpty() ? CertificateInfo() : CertificateInfo::of(chain.first());
        for (const QSslError &e : errors) {
            const QString sentence = sentenceFor(e, server, peerName);
            if (!result->problems.contains(sentence))
                result->problems << sentence;
        }
    });
    connect(socket, &QSslSocket::encrypted, socket, [=] {
        result->handshake = true;
        // With TLS 1.3 a server that wants a client certificate says so only after the
        // handshake: a request tells whether it accepted us.
        socket->write(QStringLiteral("GET /health HTTP/1.1\r\nHost: %1\r\nConnection: close\r\n\r\n")
                          .arg(endpoint.url().authority())
                          .toLatin1());
    });
    connect(socket, &QSslSocket::readyRead, socket, [=] {
        *reply += socket->readAll();
        if (reply->startsWith("HTTP/")) {
            result->answered = true;
            finish({});
        }
    });
    connect(socket, &QSslSocket::errorOccurred, socket, [=](QAbstractSocket::SocketError error) {
        const QString why = socket->errorString();
        const QString address = endpoint.url().authority();
        if (error == QAbstractSocket::ConnectionRefusedError) {
            finish(QStringLiteral("nothing listens at %1").arg(address));
        } else if (error == QAbstractSocket::HostNotFoundError) {
            finish(QStringLiteral("the host %1 is not known").arg(host));
        } else if (why.contains(QLatin1String("wrong version number"), Qt::CaseInsensitive)
            || why.contains(QLatin1String("packet length too long"), Qt::CaseInsensitive)) {
            finish(QStringLiteral("%1 does not speak TLS; use http:// for it").arg(address));
        } else if (why.contains(QLatin1String("certificate required"), Qt::CaseInsensitive)
            || (!withClientCert && result->handshake)) {
            finish(withClientCert ? QStringLiteral("the server refused the client certificate: %1").arg(why)
                                  : QStringLiteral("the server requires a client certificate and none was given "
                                                   "(--cert and --key)"));
        } else if (result->handshake || why.contains(QLatin1String("alert"), Qt::CaseInsensitive)) {
            // The server's alert names what it disliked about our certificate.
            QString reason = why;
            if (why.contains(QLatin1String("certificate expired"), Qt::CaseInsensitive))
                reason = QStringLiteral("it has expired");
            else if (why.contains(QLatin1String("unknown ca"), Qt::CaseInsensitive)
                || why.contains(QLatin1String("bad certificate"), Qt::CaseInsensitive))
                reason = QStringLiteral("it was not issued by a CA the server trusts (%1)").arg(why);
            finish(withClientCert ? QStringLiteral("the server refused the client certificate: %1").arg(reason)
                                  : QStringLiteral("the TLS handshake failed: %1").arg(why));
        } else {
            finish(QStringLiteral("%1: %2").arg(address, why));
        }
    });
    QTimer::singleShot(timeoutMs, socket, [=] {
        finish(QStringLiteral("%1 did not complete a TLS exchange within %2 ms")
                   .arg(endpoint.url().authority())
                   .arg(timeoutMs));
    });
    if (endpoint.url().scheme() != QLatin1String("https")) {
        finish(QStringLiteral("%1 is plain http; there is no certificate to check").arg(text));
        return;
    }
    socket->connectToHostEncrypted(host, quint16(endpoint.url().port()), peerName);
}

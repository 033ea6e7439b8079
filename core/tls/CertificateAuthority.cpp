#include "tls/CertificateAuthority.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

namespace {

template <typename T, void (*Free)(T *)> struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

Error opensslError(const char *what)
{
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    return Error(
        Error::Kind::Internal, QStringLiteral("%1 failed: %2").arg(QLatin1String(what), QString::fromLatin1(text)));
}

KeyPtr newKey(bool ec)
{
    return KeyPtr(ec ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048));
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const QString &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.toLatin1().constData());
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

/// A certificate with a random serial, the subject's CN and the validity set; signed later.
CertPtr newCertificate(EVP_PKEY *key, const QString &commonName, const QDateTime &from, const QDateTime &to)
{
    CertPtr cert(X509_new());
    if (!cert)
        return nullptr;
    unsigned char serial[16];
    if (X509_set_version(cert.get(), 2) != 1 || RAND_bytes(serial, sizeof serial) != 1) // v3
        return nullptr;
    serial[0] &= 0x7f; // a positive serial
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    if (!bn)
        return nullptr;
    const bool serialSet = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr;
    BN_free(bn);
    const QByteArray cn = commonName.toUtf8();
    X509_NAME *name = X509_get_subject_name(cert.get());
    const bool ok = serialSet && ASN1_TIME_set(X509_getm_notBefore(cert.get()), time_t(from.toSecsSinceEpoch()))
        && ASN1_TIME_set(X509_getm_notAfter(cert.get()), time_t(to.toSecsSinceEpoch()))
        && X509_set_pubkey(cert.get(), key) == 1
        && X509_NAME_add_entry_by_txt(
               name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("QuorumDeck demo"), -1, -1, 0)
            == 1
        && X509_NAME_add_entry_by_txt(
               name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0)
            == 1;
    if (!ok)
        return nullptr;
    return cert;
}

/// PEM text; empty when OpenSSL could not write it.
QByteArray pem(X509 *cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        return {};
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(n));
}

QByteArray pem(EVP_PKEY *key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, int(n));
}

Result<void> writeFile(const QString &path, const QByteArray &contents)
{
    if (contents.isEmpty())
        return opensslError("writing PEM");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(contents) != contents.size())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

struct CertificateAuthority::Private {
    KeyPtr key;
    CertPtr cert;
};

CertificateAuthority::CertificateAuthority()
    : d(std::make_unique<Private>())
{
}

CertificateAuthority::~CertificateAuthority() = default;
CertificateAuthority::CertificateAuthority(CertificateAuthority &&) noexcept = default;
CertificateAuthority &CertificateAuthority::operator=(CertificateAuthority &&) noexcept = default;

Result<void> CertificateAuthority::writePrivateFile(const QString &path, const QByteArray &contents)
{
    if (contents.isEmpty())
        return Error::io(QStringLiteral("nothing to write to %1 (OpenSSL produced no key)").arg(path));
    // Created 0600 from the start: never readable by others, not even for a moment.
    const QByteArray native = QFile::encodeName(path);
    ::unlink(native.constData());
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error::io(
            QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    qsizetype written = 0;
    while (written < contents.size()) {
        const ssize_t n = ::write(fd, contents.constData() + written, size_t(contents.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            return Error::io(QStringLiteral("cannot write %1: %2").arg(path, why));
        }
        written += n;
    }
    ::close(fd);
    return {};
}

Result<void> CertificateAuthority::create(
    const QString &commonName, const QString &certFile, const QString &keyFile, int validDays)
{
    KeyPtr key = newKey(true);
    if (!key)
        return opensslError("generating the CA key");
    const QDateTime from = QDateTime::currentDateTimeUtc().addSecs(-60);
    CertPtr cert = newCertificate(key.get(), commonName, from, from.addDays(validDays));
    if (!cert)
        return opensslError("creating the CA certificate");
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    if (!addExtension(cert.get(), cert.get(), NID_basic_constraints, QStringLiteral("critical,CA:TRUE,pathlen:0"))
        || !addExtension(cert.get(), cert.get(), NID_key_usage, QStringLiteral("critical,keyCertSign,cRLSign"))
        || !addExtension(cert.get(), cert.get(), NID_subject_key_identifier, QStringLiteral("hash")))
        return opensslError("adding the CA's extensions");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return opensslError("signing the CA certificate");
    if (const Result<void> written = writePrivateFile(keyFile, pem(key.get())); !written)
        return written;
    if (const Result<void> written = writeFile(certFile, pem(cert.get())); !written)
        return written;
    d->key = std::move(key);
    d->cert = std::move(cert);
    return {};
}

Result<void> CertificateAuthority::load(const QString &certFile, const QString &keyFile)
{
    QFile certIn(certFile);
    QFile keyIn(keyFile);
    if (!certIn.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("%1: %2").arg(certFile, certIn.errorString()));
    if (!keyIn.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("%1: %2").arg(keyFile, keyIn.errorString()));
    const QByteArray certPem = certIn.readAll();
    const QByteArray keyPem = keyIn.readAll();
    BioPtr certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    // Never ask for a passphrase on the terminal: an encrypted CA key is refused instead.
    auto noPassphrase = [](char *, int, int, void *) { return 0; };
    CertPtr cert(PEM_read_bio_X509(certBio.get(), nullptr, noPassphrase, nullptr));
    KeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr));
    if (!cert || !key)
        return Error::invalid(QStringLiteral("%1 and %2 do not hold a PEM certificate and key").arg(certFile, keyFile));
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        return Error::invalid(
            QStringLiteral("the key in %1 does not belong to the certificate in %2").arg(keyFile, certFile));
    d->cert = std::move(cert);
    d->key = std::move(key);
    return {};
}

Result<void> CertificateAuthority::issue(
    const CertificateRequest &request, const QString &certFile, const QString &keyFile) const
{
    if (!d->cert)
        return Error(Error::Kind::Internal, QStringLiteral("the certificate authority has not been created"));
    KeyPtr key = newKey(request.ecKey);
    if (!key)
        return opensslError("generating a key");
    const QDateTime from
        = request.notBefore.isValid() ? request.notBefore : QDateTime::currentDateTimeUtc().addSecs(-60);
    const QDateTime to = request.notAfter.isValid() ? request.notAfter : from.addDays(request.validDays);
    CertPtr cert = newCertificate(key.get(), request.commonName, from, to);
    if (!cert)
        return opensslError("creating a certificate");
    X509_set_issuer_name(cert.get(), X509_get_subject_name(d->cert.get()));
    QStringList names;
    for (const QString &dns : request.dnsNames)
        names << QStringLiteral("DNS:") + dns;
    for (const QString &ip : request.ipAddresses)
        names << QStringLiteral("IP:") + ip;
    const char *eku = request.use == CertificateUse::Server ? "serverAuth"
        : request.use == CertificateUse::Client             ? "clientAuth"
                                                            : "serverAuth,clientAuth";
    bool ok = addExtension(cert.get(), d->cert.get(), NID_basic_constraints, QStringLiteral("critical,CA:FALSE"))
        && addExtension(
            cert.get(), d->cert.get(), NID_key_usage, QStringLiteral("critical,digitalSignature,keyEncipherment"))
        && addExtension(cert.get(), d->cert.get(), NID_ext_key_usage, QString::fromLatin1(eku))
        && addExtension(cert.get(), d->cert.get(), NID_authority_key_identifier, QStringLiteral("keyid"));
    if (ok && !names.isEmpty())
        ok = addExtension(cert.get(), d->cert.get(), NID_subject_alt_name, names.join(QLatin1Char(',')));
    if (!ok)
        return opensslError("adding a certificate's extensions");
    if (X509_sign(cert.get(), d->key.get(), EVP_sha256()) <= 0)
        return opensslError("signing a certificate");
    if (const Result<void> written = writePrivateFile(keyFile, pem(key.get())); !written)
        return written;
    return writeFile(certFile, pem(cert.get()));
}

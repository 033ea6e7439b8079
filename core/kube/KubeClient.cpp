#include "kube/KubeClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslKey>
#include <QTimer>
#include <QUrlQuery>
#include <memory>

namespace {

constexpr int kPageSize = 500;
constexpr int kMaxPages = 1000; // a guard against a server that never ends a listing

QString statusMessage(const QByteArray &body)
{
    // Kubernetes answers errors with a Status object: {"kind":"Status","message":...}.
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.value(QStringLiteral("kind")).toString() == QLatin1String("Status"))
        return o.value(QStringLiteral("message")).toString();
    return QString::fromUtf8(body.left(200)).trimmed();
}

} // namespace

KubeClient::KubeClient(const KubeCredentials &credentials, QObject *parent)
    : QObject(parent)
    , m_credentials(credentials)
    , m_ssl(QSslConfiguration::defaultConfiguration())
    , m_http(new QNetworkAccessManager(this))
{
    if (!credentials.caPem.isEmpty()) {
        const QList<QSslCertificate> ca = QSslCertificate::fromData(credentials.caPem, QSsl::Pem);
        if (ca.isEmpty())
            m_credentialsError = QStringLiteral("the kubeconfig's certificate authority holds no PEM certificate");
        m_ssl.setCaCertificates(ca);
    }
    if (credentials.insecureSkipVerify)
        m_ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!credentials.clientCertPem.isEmpty()) {
        const QList<QSslCertificate> chain = QSslCertificate::fromData(credentials.clientCertPem, QSsl::Pem);
        QSslKey key(credentials.clientKeyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(credentials.clientKeyPem, QSsl::Ec, QSsl::Pem);
        if (chain.isEmpty())
            m_credentialsError = QStringLiteral("user %1's client certificate is not PEM").arg(credentials.user);
        else if (key.isNull())
            m_credentialsError
                = QStringLiteral("user %1's client key is not an unencrypted PEM RSA or EC key").arg(credentials.user);
        m_ssl.setLocalCertificateChain(chain);
        m_ssl.setPrivateKey(key);
    }
}

QString KubeClient::errorSentence(
    int httpStatus, const QByteArray &body, const QString &resource, const QString &server, const QString &user)
{
    const QString message = statusMessage(body);
    const QString who = user.isEmpty() ? QStringLiteral("these credentials") : QStringLiteral("user %1").arg(user);
    if (httpStatus == 401)
        return QStringLiteral("the API server at %1 rejected the credentials of %2 (401 Unauthorized): the token "
                              "has expired or is not valid; get fresh credentials and try again")
            .arg(server, who);
    if (httpStatus == 403)
        return QStringLiteral("%1 may not list %2 (403 Forbidden)%3")
            .arg(who, resource, message.isEmpty() ? QString() : QStringLiteral(": ") + message);
    if (httpStatus == 404)
        return QStringLiteral("the API server at %1 does not serve %2 (404 Not Found)").arg(server, resource);
    return QStringLiteral("listing %1 failed with HTTP %2%3")
        .arg(resource)
        .arg(httpStatus)
        .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message);
}

void KubeClient::listVolumes(Callback done)
{
    auto result = std::make_shared<KubeVolumes>();
    result->server = m_credentials.server;
    result->context = m_credentials.context;
    if (!m_credentialsError.isEmpty()) {
        result->errors << m_credentialsError;
        done(*result);
        return;
    }
    auto remaining = std::make_shared<int>(3);
    auto finishOne = [result, remaining, done](const QString &error) {
        // A rejected token fails all three lists with the same sentence: say it once.
        if (!error.isEmpty() && !result->errors.contains(error))
            result->errors << error;
        if (--*remaining == 0)
            done(*result);
    };
    // What a list could read is kept even when it was cut short.
    auto collect = [result, finishOne](auto append) {
        return [result, finishOne, append](const Result<Listed> &listed) {
            if (!listed)
                return finishOne(listed.problem());
            for (const QJsonObject &item : listed.value().items)
                append(*result, item);
            finishOne(listed.value().cutShort);
        };
    };
    listAll(QStringLiteral("/api/v1/persistentvolumes"), QStringLiteral("persistentvolumes"),
        collect([](KubeVolumes &r, const QJsonObject &item) { r.volumes << KubePersistentVolume::fromJson(item); }));
    listAll(QStringLiteral("/api/v1/persistentvolumeclaims"), QStringLiteral("persistentvolumeclaims"),
        collect([](KubeVolumes &r, const QJsonObject &item) { r.claims << KubeVolumeClaim::fromJson(item); }));
    listAll(QStringLiteral("/apis/storage.k8s.io/v1/storageclasses"), QStringLiteral("storageclasses"),
        collect([](KubeVolumes &r, const QJsonObject &item) { r.classes << KubeStorageClass::fromJson(item); }));
}

void KubeClient::listAll(const QString &path, const QString &resource, Items done, const QString &labelSelector)
{
    QUrlQuery base;
    if (!labelSelector.isEmpty())
        base.addQueryItem(QStringLiteral("labelSelector"), QString::fromLatin1(QUrl::toPercentEncoding(labelSelector)));
    listPage(path, resource, base, {}, std::make_shared<QList<QJsonObject>>(), 0, std::move(done));
}

QUrl KubeClient::urlAt(const QString &server, const QString &pathAndQuery)
{
    // The server may carry a path of its own (a proxy's prefix): the API's path follows it.
    QUrl url(server);
    const qsizetype question = pathAndQuery.indexOf(QLatin1Char('?'));
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + pathAndQuery.left(question));
    if (question >= 0)
        url.setQuery(pathAndQuery.mid(question + 1));
    return url;
}

QNetworkRequest KubeClient::request(const QUrl &url) const
{
    QNetworkRequest request(url);
    request.setSslConfiguration(m_ssl);
    if (!m_credentials.tlsServerName.isEmpty())
        request.setPeerVerifyName(m_credentials.tlsServerName);
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json");
    if (!m_credentials.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_credentials.token);
    else if (!m_credentials.username.isEmpty())
        request.setRawHeader(
            "Authorization", "Basic " + (m_credentials.username.toUtf8() + ':' + m_credentials.password).toBase64());
    return request;
}

void KubeClient::getRaw(
    const QString &server, const QString &pathAndQuery, std::function<void(const Result<Raw> &)> done)
{
    const QString base = server.isEmpty() ? m_credentials.server : server;
    QNetworkRequest r = request(urlAt(base, pathAndQuery));
    // An API server reached by its address is checked against the name the kubeconfig uses:
    // kubeadm puts the control-plane endpoint into every API server's certificate.
    if (!server.isEmpty() && m_credentials.tlsServerName.isEmpty())
        r.setPeerVerifyName(QUrl(m_credentials.server).host());
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = m_http->get(r);
    connect(reply, &QNetworkReply::finished, this, [this, reply, clock, base, done = std::move(done)] {
        reply->deleteLater();
        Raw raw;
        raw.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        raw.ms = clock.elapsed();
        raw.peerCertificate = reply->sslConfiguration().peerCertificate();
        if (raw.httpStatus == 0) {
            const QString why = reply->error() == QNetworkReply::OperationCanceledError
                ? QStringLiteral("no answer within %1 s").arg(m_timeoutMs / 1000)
                : reply->errorString();
            done(Error::unavailable(QStringLiteral("cannot reach the API server at %1: %2").arg(base, why)));
            return;
        }
        raw.body = reply->readAll();
        done(raw);
    });
}

QNetworkReply *KubeClient::openStream(const QString &pathAndQuery)
{
    QNetworkRequest r = request(urlAt(m_credentials.server, pathAndQuery));
    r.setTransferTimeout(0);
    r.setRawHeader("Accept", "text/plain, */*");
    QNetworkReply *reply = m_http->get(r);
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, &QNetworkReply::abort);
    connect(reply, &QNetworkReply::metaDataChanged, deadline, &QTimer::stop);
    deadline->start(m_timeoutMs);
    return reply;
}

void KubeClient::listPage(const QString &path, const QString &resource, const QUrlQuery &base,
    const QString &continueToken, std::shared_ptr<QList<QJsonObject>> items, int page, Items done)
{
    QUrl url(m_credentials.server);
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    QUrlQuery query = base;
    query.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    if (!continueToken.isEmpty())
        query.addQueryItem(QStringLiteral("continue"), continueToken);
    url.setQuery(query);

    QNetworkReply *reply = m_http->get(request(url));
    connect(reply, &QNetworkReply::finished, this, [=, this] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status == 0 || (reply->error() != QNetworkReply::NoError && status < 400)) {
            const QString why = reply->error() == QNetworkReply::OperationCanceledError
                ? QStringLiteral("no answer within %1 s").arg(m_timeoutMs / 1000)
                : reply->errorString();
            done(Error::unavailable(
                QStringLiteral("cannot reach the API server at %1: %2").arg(m_credentials.server, why)));
            return;
        }
        if (status != 200) {
            const QString sentence = errorSentence(status, body, resource, m_credentials.server, m_credentials.user);
            done(status == 401 || status == 403 ? Error::refused(sentence)
                    : status == 404             ? Error::notFound(sentence)
                                                : Error::unavailable(sentence));
            return;
        }
        QJsonParseError parseError;
        const QJsonObject list = QJsonDocument::fromJson(body, &parseError).object();
        if (parseError.error != QJsonParseError::NoError) {
            done(Error::invalid(
                QStringLiteral("the API server's list of %1 is not JSON: %2").arg(resource, parseError.errorString())));
            return;
        }
        for (const QJsonValue &item : list.value(QStringLiteral("items")).toArray())
            items->append(item.toObject());
        const QString next
            = list.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("continue")).toString();
        if (!next.isEmpty() && page + 1 < kMaxPages) {
            listPage(path, resource, base, next, items, page + 1, done);
            return;
        }
        Listed listed {*items, {}};
        if (!next.isEmpty()) {
            listed.cutShort = QStringLiteral("the list of %1 was cut short after %2 pages of %3")
                                  .arg(resource)
                                  .arg(kMaxPages)
                                  .arg(kPageSize);
        }
        done(listed);
    });
}

#pragma once

#include "common/Result.h"
#include "kube/KubeConfig.h"
#include "kube/KubeVolumes.h"

#include <QNetworkRequest>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QUrl>
#include <QUrlQuery>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

/// Reads the cluster's storage objects from a Kubernetes API server: PersistentVolumes and
/// PersistentVolumeClaims (core/v1, all namespaces) and StorageClasses (storage.k8s.io/v1),
/// as JSON, page by page (limit/continue). Authenticates with the kubeconfig's bearer token,
/// client certificate or basic credentials. Asynchronous; every request has a timeout.
class KubeClient : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KubeClient)

public:
    explicit KubeClient(const KubeCredentials &credentials, QObject *parent = nullptr);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    /// An error in the credentials themselves (a key that does not parse); empty when fine.
    QString credentialsError() const { return m_credentialsError; }

    using Callback = std::function<void(const KubeVolumes &)>;
    /// Lists the three kinds at once; calls done once, with what could be read and a
    /// sentence for each list that could not.
    void listVolumes(Callback done);

    /// The sentence for a failed list: 401 and 403 explained, Kubernetes' Status message kept.
    static QString errorSentence(
        int httpStatus, const QByteArray &body, const QString &resource, const QString &server, const QString &user);

    /// Every item of a list, or as many pages as were allowed and why the rest are missing.
    struct Listed {
        QList<QJsonObject> items;
        QString cutShort; ///< empty when the list is complete
    };
    using Items = std::function<void(const Result<Listed> &)>;
    /// Lists `path` (e.g. /api/v1/nodes) page by page; `resource` names it in errors, and
    /// labelSelector ("" for none) narrows it as kubectl's -l does.
    void listAll(const QString &path, const QString &resource, Items done, const QString &labelSelector = {});

    /// One GET as it came back: status, body, the server's certificate, the time it took.
    struct Raw {
        int httpStatus = 0;
        QByteArray body;
        QSslCertificate peerCertificate;
        qint64 ms = 0;
    };
    /// GET of pathAndQuery ("/readyz?verbose") at `server` (https://host:port; the
    /// kubeconfig's when empty) with the kubeconfig's credentials and CA. Any HTTP status is
    /// an answer; only no answer (refused, TLS failure, timeout) is an Error.
    void getRaw(const QString &server, const QString &pathAndQuery, std::function<void(const Result<Raw> &)> done);
    const KubeCredentials &credentials() const { return m_credentials; }

    /// A GET whose answer is read as it arrives (a followed log): the caller owns the
    /// reply. Its headers must come within the timeout; after that it may stay quiet for
    /// as long as it likes (a log with nothing to say), and ends when the caller aborts it.
    QNetworkReply *openStream(const QString &pathAndQuery);

private:
    QNetworkRequest request(const QUrl &url) const;
    /// server's URL with "/path?query" appended to its own path.
    static QUrl urlAt(const QString &server, const QString &pathAndQuery);
    void listPage(const QString &path, const QString &resource, const QUrlQuery &base, const QString &continueToken,
        std::shared_ptr<QList<QJsonObject>> items, int page, Items done);

    KubeCredentials m_credentials;
    QString m_credentialsError;
    QSslConfiguration m_ssl;
    QNetworkAccessManager *m_http;
    int m_timeoutMs = 10000;
};

#pragma once

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QUrl>
#include <QUrlQuery>

/// A stand-in for a Kubernetes API server, which cannot run on these machines: it serves the
/// list responses of the Kubernetes API reference (core/v1 PersistentVolumeList and
/// PersistentVolumeClaimList, storage.k8s.io/v1 StorageClassList; JSON files in
/// tests/data/kube) over HTTPS on a free loopback port, pages claims with limit/continue as
/// the real server does, and answers as the real server does for credentials it does not
/// accept: a Status object with code 401 (an expired token), or 403 (a user whose role does
/// not allow listing PersistentVolumes).
class FakeKubeApiServer : public QSslServer {
public:
    static constexpr const char *kGoodToken = "good-token";
    static constexpr const char *kExpiredToken = "expired-token";
    static constexpr const char *kViewerToken = "viewer-token"; ///< may not list persistentvolumes

    FakeKubeApiServer(const QString &dataDir, const QString &certFile, const QString &keyFile, const QString &caFile)
        : m_dataDir(dataDir)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(QSslCertificate::fromPath(certFile));
        QFile key(keyFile);
        key.open(QIODevice::ReadOnly);
        tls.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa));
        tls.setCaCertificates(QSslCertificate::fromPath(caFile));
        // Client certificates are asked for, not required: tokens work without one.
        tls.setPeerVerifyMode(QSslSocket::QueryPeer);
        setSslConfiguration(tls);
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (auto *socket = qobject_cast<QSslSocket *>(nextPendingConnection())) {
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QSslSocket::readyRead, socket, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    answer(socket, buffer->left(end));
                    buffer->remove(0, end + 4);
                });
                connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QString url() const { return QStringLiteral("https://127.0.0.1:%1").arg(serverPort()); }
    QStringList requests() const { return m_requests; }
    QList<QByteArray> authorizations() const { return m_authorizations; }

private:
    void answer(QSslSocket *socket, const QByteArray &head)
    {
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        QByteArray authorization;
        for (const QByteArray &line : lines)
            if (line.toLower().startsWith("authorization:"))
                authorization = line.mid(14).trimmed();
        const QUrl target(QString::fromLatin1(requestLine.value(1)));
        m_requests << target.toString();
        m_authorizations << authorization;

        const bool byCertificate = authorization.isEmpty() && !socket->peerCertificate().isNull()
            && socket->peerCertificate().subjectInfo(QSslCertificate::CommonName).value(0) == QLatin1String("root");
        const QByteArray token = authorization.startsWith("Bearer ") ? authorization.mid(7) : QByteArray();
        if (!byCertificate && token != kGoodToken && token != kViewerToken) {
            send(socket, 401, status(401, "Unauthorized", "Unauthorized"));
            return;
        }
        const QString path = target.path();
        const QUrlQuery query(target);
        QString file;
        if (path == QLatin1String("/api/v1/persistentvolumes")) {
            if (token == kViewerToken) {
                send(socket, 403,
                    status(403, "Forbidden",
                        "persistentvolumes is forbidden: User \"system:serviceaccount:default:viewer\" cannot list "
                        "resource \"persistentvolumes\" in API group \"\" at the cluster scope"));
                return;
            }
            file = QStringLiteral("persistentvolumes.json");
        } else if (path == QLatin1String("/api/v1/persistentvolumeclaims")) {
            file = query.hasQueryItem(QStringLiteral("continue")) ? QStringLiteral("persistentvolumeclaims-page2.json")
                                                                  : QStringLiteral("persistentvolumeclaims-page1.json");
        } else if (path == QLatin1String("/apis/storage.k8s.io/v1/storageclasses")) {
            file = QStringLiteral("storageclasses.json");
        } else {
            send(socket, 404, status(404, "NotFound", "the server could not find the requested resource"));
            return;
        }
        QFile f(QDir(m_dataDir).filePath(file));
        f.open(QIODevice::ReadOnly);
        send(socket, 200, f.readAll());
    }

    static QByteArray status(int code, const char *reason, const char *message)
    {
        return QJsonDocument(QJsonObject {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", QJsonObject()},
                                 {"status", "Failure"}, {"message", message}, {"reason", reason}, {"code", code}})
            .toJson(QJsonDocument::Compact);
    }

    static void send(QSslSocket *socket, int code, const QByteArray &body)
    {
        const QByteArray reason = code == 200 ? "OK"
            : code == 401                     ? "Unauthorized"
            : code == 403                     ? "Forbidden"
                                              : "Not Found";
        socket->write("HTTP/1.1 " + QByteArray::number(code) + ' ' + reason
            + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
            + body);
    }

    QString m_dataDir;
    QStringList m_requests;
    QList<QByteArray> m_authorizations;
};

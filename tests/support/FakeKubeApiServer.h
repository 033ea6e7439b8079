#pragma once

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

/// A stand-in for a Kubernetes API server, which cannot run on these machines: it serves the
/// list responses of the Kubernetes API reference (core/v1 PersistentVolumeList and
/// PersistentVolumeClaimList, storage.k8s.io/v1 StorageClassList; JSON files in
/// tests/data/kube) over HTTPS on a free loopback port, pages claims with limit/continue as
/// the real server does, and answers as the real server does for credentials it does not
/// accept: a Status object with code 401 (an expired token), or 403 (a user whose role does
/// not allow listing PersistentVolumes).
///
/// For the control plane it serves kube-system's Leases (renewed a moment ago unless told
/// they are stale), the kubernetes Service's EndpointSlices naming the API servers it is
/// told of, NodeList and kube-system's PodList, /version, and /livez and /readyz with
/// ?verbose as plain text, one line a check, HTTP 500 when a check fails.
///
/// Pods' logs (pods/log) come from tests/data/kube/logs/POD.log, kept with the RFC 3339
/// times the API prefixes when asked for timestamps=true (and strips otherwise); tailLines
/// is honoured, and follow=true keeps the answer open (chunked, as the real server streams
/// it) for the lines appendLog() adds.
class FakeKubeApiServer : public QSslServer {
public:
    static constexpr const char *kGoodToken = "good-token";
    static constexpr const char *kExpiredToken = "expired-token";
    static constexpr const char *kViewerToken = "viewer-token"; ///< may not list persistentvolumes
    /// May list storage only: every list of the control plane is forbidden (health and
    /// /version stay open to everyone, as system:public-info-viewer has them).
    static constexpr const char *kStorageOnlyToken = "storage-only-token";

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
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(serverPort()); }

    /// The API servers the kubernetes EndpointSlice lists (host:port).
    void setApiServers(const QStringList &addresses) { m_apiServers = addresses; }
    /// Checks /readyz reports failed.
    void setFailingReadyz(const QStringList &checks) { m_failingReadyz = checks; }
    /// Leases whose holder stopped renewing a minute ago.
    void setStaleLeases(const QStringList &names) { m_staleLeases = names; }
    /// A lease taken over by `holder` a moment ago (its transitions one more); "" puts back
    /// the recorded holder.
    void setLeaseHolder(const QString &lease, const QString &holder)
    {
        if (holder.isEmpty())
            m_leaseHolders.remove(lease);
        else
            m_leaseHolders.insert(lease, holder);
    }
    /// Every master Ready and every static pod running and ready.
    void setHealthyMasters(bool healthy) { m_healthyMasters = healthy; }
    /// Answers to this path wait this long first.
    void setSlowPath(const QString &path, int ms)
    {
        m_slowPath = path;
        m_slowMs = ms;
    }
    /// A line written by pod's container now: to every client following its log.
    void appendLog(const QString &pod, const QByteArray &line)
    {
        const QByteArray stamped
            = QDateTime::currentDateTimeUtc().toString("yyyy-MM-ddTHH:mm:ss.zzz000000Z").toLatin1() + ' ' + line + '\n';
        m_extraLog[pod] += stamped;
        for (const Follower &f : std::as_const(m_followers)) {
            if (f.socket && f.pod == pod)
                chunk(f.socket, f.timestamps ? stamped : line + '\n');
        }
    }
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
        if (!byCertificate && token != kGoodToken && token != kViewerToken && token != kStorageOnlyToken) {
            send(socket, 401, status(401, "Unauthorized", "Unauthorized"));
            return;
        }
        const QString path = target.path();
        const QUrlQuery query(target);
        if (token == kStorageOnlyToken) {
            if (const QByteArray forbidden = forbiddenList(path); !forbidden.isEmpty()) {
                send(socket, 403, status(403, "Forbidden", forbidden.constData()));
                return;
            }
        }
        if (path == m_slowPath) {
            QPointer<QSslSocket> later(socket);
            QTimer::singleShot(m_slowMs, socket, [this, later, head] {
                if (later)
                    answerControlPlane(later, head);
            });
            return;
        }
        if (answerControlPlane(socket, head))
            return;
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

    /// The control plane's paths; false for any other.
    bool answerControlPlane(QSslSocket *socket, const QByteArray &head)
    {
        const QUrl target(QString::fromLatin1(head.split('\n').value(0).trimmed().split(' ').value(1)));
        const QString path = target.path();
        if (path == QLatin1String("/livez") || path == QLatin1String("/readyz")) {
            const bool ready = path == QLatin1String("/livez") || m_failingReadyz.isEmpty();
            QByteArray body;
            for (const char *check : {"ping", "log", "etcd", "informer-sync", "poststarthook/rbac/bootstrap-roles"}) {
                const bool failed = path == QLatin1String("/readyz") && m_failingReadyz.contains(QLatin1String(check));
                body += failed ? QByteArray("[-]") + check + " failed: reason withheld\n"
                               : QByteArray("[+]") + check + " ok\n";
            }
            body += path.mid(1).toLatin1() + (ready ? " check passed\n" : " check failed\n");
            send(socket, ready ? 200 : 500, body, "text/plain; charset=utf-8");
            return true;
        }
        if (path == QLatin1String("/version")) {
            send(socket, 200,
                R"({"major":"1","minor":"29","gitVersion":"v1.29.4","gitCommit":"55019c83b0fd51ef4ced8c29eec2c4847f896e74",)"
                R"("gitTreeState":"clean","buildDate":"2024-04-16T15:03:04Z","goVersion":"go1.21.9","compiler":"gc",)"
                R"("platform":"linux/amd64"})");
            return true;
        }
        if (path == QLatin1String("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices")) {
            QJsonArray ports;
            QList<int> seen;
            for (const QString &a : m_apiServers) {
                const int port = a.section(':', 1).toInt();
                if (!seen.contains(port))
                    ports.append(QJsonObject {{"name", "https"}, {"protocol", "TCP"}, {"port", port}});
                seen << port;
            }
            // One slice per port here: a slice's endpoints share its ports.
            QJsonArray slices;
            for (const QJsonValue &port : ports) {
                QJsonArray mine;
                for (const QString &a : m_apiServers) {
                    if (a.section(':', 1).toInt() == port["port"].toInt())
                        mine.append(QJsonObject {{"addresses", QJsonArray {a.section(':', 0, 0)}},
                            {"conditions", QJsonObject {{"ready", true}}}});
                }
                slices.append(
                    QJsonObject {{"metadata",
                                     QJsonObject {{"name", QStringLiteral("kubernetes-%1").arg(port["port"].toInt())},
                                         {"namespace", "default"},
                                         {"labels", QJsonObject {{"kubernetes.io/service-name", "kubernetes"}}}}},
                        {"addressType", "IPv4"}, {"endpoints", mine}, {"ports", QJsonArray {port}}});
            }
            const bool selected = QUrlQuery(target).queryItemValue("labelSelector", QUrl::FullyDecoded)
                == QLatin1String("kubernetes.io/service-name=kubernetes");
            send(socket, 200,
                QJsonDocument(QJsonObject {{"kind", "EndpointSliceList"}, {"apiVersion", "discovery.k8s.io/v1"},
                                  {"metadata", QJsonObject {{"resourceVersion", "918280"}}},
                                  {"items", selected ? slices : QJsonArray {}}})
                    .toJson(QJsonDocument::Compact));
            return true;
        }
        if (path == QLatin1String("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases")) {
            QJsonObject list = readJson("leases-kube-system.json");
            QJsonArray items = list["items"].toArray();
            const QDateTime now = QDateTime::currentDateTimeUtc();
            for (qsizetype i = 0; i < items.size(); ++i) {
                QJsonObject lease = items[i].toObject();
                QJsonObject spec = lease["spec"].toObject();
                const QString name = lease["metadata"].toObject()["name"].toString();
                const bool stale = m_staleLeases.contains(name);
                spec["renewTime"] = now.addSecs(stale ? -60 : -2).toString("yyyy-MM-ddTHH:mm:ss.zzz000Z");
                if (m_leaseHolders.contains(name)) {
                    spec["holderIdentity"] = m_leaseHolders.value(name);
                    spec["acquireTime"] = now.addSecs(-3).toString("yyyy-MM-ddTHH:mm:ss.zzz000Z");
                    spec["leaseTransitions"] = spec["leaseTransitions"].toInt() + 1;
                }
                lease["spec"] = spec;
                items[i] = lease;
            }
            list["items"] = items;
            send(socket, 200, QJsonDocument(list).toJson(QJsonDocument::Compact));
            return true;
        }
        static const QString logPrefix = QStringLiteral("/api/v1/namespaces/kube-system/pods/");
        if (path.startsWith(logPrefix) && path.endsWith(QLatin1String("/log"))) {
            sendLog(socket, path.mid(logPrefix.size()).chopped(4), QUrlQuery(target));
            return true;
        }
        if (path == QLatin1String("/api/v1/nodes") || path == QLatin1String("/api/v1/namespaces/kube-system/pods")) {
            const bool nodes = path == QLatin1String("/api/v1/nodes");
            QJsonObject list = readJson(nodes ? "nodes.json" : "pods-kube-system.json");
            if (m_healthyMasters)
                list["items"] = nodes ? allReady(list["items"].toArray()) : allRunning(list["items"].toArray());
            // Equality selectors, as kubectl -l key=value sends them.
            const QString selector = QUrlQuery(target).queryItemValue("labelSelector", QUrl::FullyDecoded);
            if (!selector.isEmpty()) {
                QJsonArray kept;
                for (const QJsonValue &item : list["items"].toArray()) {
                    const QJsonObject labels = item["metadata"]["labels"].toObject();
                    bool all = true;
                    for (const QString &term : selector.split(','))
                        all = all && labels[term.section('=', 0, 0)].toString() == term.section('=', 1);
                    if (all)
                        kept.append(item);
                }
                list["items"] = kept;
            }
            send(socket, 200, QJsonDocument(list).toJson(QJsonDocument::Compact));
            return true;
        }
        return false;
    }

    /// GET .../pods/NAME/log: text/plain, the lines of the pod's one container.
    void sendLog(QSslSocket *socket, const QString &pod, const QUrlQuery &query)
    {
        QFile f(QDir(m_dataDir).filePath(QStringLiteral("logs/%1.log").arg(pod)));
        if (!f.open(QIODevice::ReadOnly)) {
            send(socket, 404, status(404, "NotFound", qPrintable(QStringLiteral("pods \"%1\" not found").arg(pod))));
            return;
        }
        QList<QByteArray> lines = (f.readAll() + m_extraLog.value(pod)).split('\n');
        lines.removeAll(QByteArray());
        const int tail = query.queryItemValue("tailLines").toInt();
        if (tail > 0 && tail < lines.size())
            lines = lines.mid(lines.size() - tail);
        const bool timestamps = query.queryItemValue("timestamps") == QLatin1String("true");
        QByteArray body;
        for (const QByteArray &line : std::as_const(lines))
            body += (timestamps ? line : line.mid(line.indexOf(' ') + 1)) + '\n';
        if (query.queryItemValue("follow") != QLatin1String("true")) {
            send(socket, 200, body, "text/plain");
            return;
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
        if (!body.isEmpty())
            chunk(socket, body);
        m_followers.append({socket, pod, timestamps});
    }

    static void chunk(QSslSocket *socket, const QByteArray &data)
    {
        socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    }

    QJsonObject readJson(const QString &file) const
    {
        QFile f(QDir(m_dataDir).filePath(file));
        f.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(f.readAll()).object();
    }

    static QJsonArray allReady(QJsonArray nodes)
    {
        for (qsizetype i = 0; i < nodes.size(); ++i) {
            QJsonObject node = nodes[i].toObject();
            QJsonObject status = node["status"].toObject();
            QJsonArray conditions = status["conditions"].toArray();
            for (qsizetype c = 0; c < conditions.size(); ++c) {
                QJsonObject condition = conditions[c].toObject();
                if (condition["type"].toString() == QLatin1String("Ready")) {
                    condition["status"] = "True";
                    condition["reason"] = "KubeletReady";
                }
                conditions[c] = condition;
            }
            status["conditions"] = conditions;
            node["status"] = status;
            nodes[i] = node;
        }
        return nodes;
    }

    static QJsonArray allRunning(QJsonArray pods)
    {
        for (qsizetype i = 0; i < pods.size(); ++i) {
            QJsonObject pod = pods[i].toObject();
            QJsonObject status = pod["status"].toObject();
            status["phase"] = "Running";
            QJsonArray containers = status["containerStatuses"].toArray();
            for (qsizetype c = 0; c < containers.size(); ++c) {
                QJsonObject container = containers[c].toObject();
                container["ready"] = true;
                container["state"] = QJsonObject {{"running", QJsonObject {{"startedAt", "2026-12-01T16:41:40Z"}}}};
                containers[c] = container;
            }
            status["containerStatuses"] = containers;
            pod["status"] = status;
            pods[i] = pod;
        }
        return pods;
    }

    /// The API server's message when the storage-only user lists a control-plane resource
    /// ("" for any other path).
    static QByteArray forbiddenList(const QString &path)
    {
        const QByteArray user = "User \"system:serviceaccount:default:storage-reader\" cannot list resource ";
        if (path == QLatin1String("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"))
            return "leases.coordination.k8s.io is forbidden: " + user
                + "\"leases\" in API group \"coordination.k8s.io\" in the namespace \"kube-system\"";
        if (path == QLatin1String("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"))
            return "endpointslices.discovery.k8s.io is forbidden: " + user
                + "\"endpointslices\" in API group \"discovery.k8s.io\" in the namespace \"default\"";
        if (path == QLatin1String("/api/v1/nodes"))
            return "nodes is forbidden: " + user + "\"nodes\" in API group \"\" at the cluster scope";
        if (path == QLatin1String("/api/v1/namespaces/kube-system/pods"))
            return "pods is forbidden: " + user + "\"pods\" in API group \"\" in the namespace \"kube-system\"";
        return {};
    }

    static QByteArray status(int code, const char *reason, const char *message)
    {
        return QJsonDocument(QJsonObject {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", QJsonObject()},
                                 {"status", "Failure"}, {"message", message}, {"reason", reason}, {"code", code}})
            .toJson(QJsonDocument::Compact);
    }

    static void send(QSslSocket *socket, int code, const QByteArray &body, const QByteArray &type = "application/json")
    {
        const QByteArray reason = code == 200 ? "OK"
            : code == 401                     ? "Unauthorized"
            : code == 403                     ? "Forbidden"
            : code == 500                     ? "Internal Server Error"
                                              : "Not Found";
        socket->write("HTTP/1.1 " + QByteArray::number(code) + ' ' + reason + "\r\nContent-Type: " + type
            + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }

    QString m_dataDir;
    QStringList m_apiServers;
    QStringList m_failingReadyz;
    QStringList m_staleLeases;
    QHash<QString, QString> m_leaseHolders;
    bool m_healthyMasters = false;
    QString m_slowPath;
    int m_slowMs = 0;
    QStringList m_requests;
    QList<QByteArray> m_authorizations;
    struct Follower {
        QPointer<QSslSocket> socket;
        QString pod;
        bool timestamps = false;
    };
    QList<Follower> m_followers;
    QHash<QString, QByteArray> m_extraLog;
};

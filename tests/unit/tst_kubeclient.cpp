#include "kube/KubeClient.h"
#include "support/CliRun.h"
#include "support/FakeKubeApiServer.h"
#include "support/TestCertificates.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

/// The Kubernetes volume client against a local HTTPS server that answers as the API
/// server does (see FakeKubeApiServer), and `quorumdeck k8s volumes` against the same.
class KubeClientTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void listsVolumesClaimsAndClassesAcrossPages();
    void clientCertificateAuthenticates();
    void expiredTokenIsOneClearSentence();
    void forbiddenListIsNamedAndTheRestShown();
    void unknownCertificateAuthorityIsRefused();
    void cliPrintsJsonAndExplainsFailures();

private:
    KubeCredentials credentials(const QByteArray &token) const;
    KubeVolumes list(const KubeCredentials &c);
    QString kubeconfig(const QString &name, const QByteArray &token);

    QTemporaryDir m_dir;
    std::unique_ptr<TestCertificates> m_certs;
    std::unique_ptr<FakeKubeApiServer> m_server;
    QByteArray m_caPem;
};

void KubeClientTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_certs = std::make_unique<TestCertificates>(m_dir.path());
    QVERIFY2(m_certs->ok(), qPrintable(m_certs->error()));
    m_server = std::make_unique<FakeKubeApiServer>(QFINDTESTDATA("../data/kube"), m_certs->path("server.pem"),
        m_certs->path("server.key"), m_certs->path("ca.pem"));
    QVERIFY(m_server->isListening());
    QFile ca(m_certs->path("ca.pem"));
    QVERIFY(ca.open(QIODevice::ReadOnly));
    m_caPem = ca.readAll();
}

KubeCredentials KubeClientTest::credentials(const QByteArray &token) const
{
    KubeCredentials c;
    c.context = QStringLiteral("test");
    c.user = QStringLiteral("operator");
    c.server = m_server->url();
    c.caPem = m_caPem;
    c.token = token;
    return c;
}

KubeVolumes KubeClientTest::list(const KubeCredentials &c)
{
    KubeClient client(c);
    client.setTimeoutMs(10000);
    std::optional<KubeVolumes> result;
    client.listVolumes([&](const KubeVolumes &v) { result = v; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
        return {};
    return *result;
}

QString KubeClientTest::kubeconfig(const QString &name, const QByteArray &token)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write("current-context: t\nclusters:\n- name: c\n  cluster:\n    server: " + m_server->url().toUtf8()
            + "\n    certificate-authority: " + m_certs->path("ca.pem").toUtf8()
            + "\nusers:\n- name: op\n  user:\n    token: " + token
            + "\ncontexts:\n- name: t\n  context: {cluster: c, user: op}\n");
    return path;
}

void KubeClientTest::listsVolumesClaimsAndClassesAcrossPages()
{
    const KubeVolumes v = list(credentials(FakeKubeApiServer::kGoodToken));
    QVERIFY2(v.ok(), qPrintable(v.errors.join("; ")));
    QCOMPARE(v.volumes.size(), 5);
    QCOMPARE(v.claims.size(), 3); // two on the first page, one after "continue"
    QCOMPARE(v.classes.size(), 2);
    QVERIFY(m_server->authorizations().contains("Bearer good-token"));
    int continued = 0;
    for (const QString &r : m_server->requests())
        continued += r.contains(QLatin1String("continue="));
    QVERIFY(continued >= 1);

    QHash<QString, KubePersistentVolume> pv;
    for (const auto &p : v.volumes)
        pv.insert(p.name, p);
    const KubePersistentVolume nfs = pv.value("pv-etcd-backup");
    QCOMPARE(nfs.capacity, QStringLiteral("50Gi"));
    QCOMPARE(nfs.accessModes, QStringList {"RWX"});
    QCOMPARE(nfs.reclaimPolicy, QStringLiteral("Retain"));
    QCOMPARE(nfs.phase, QStringLiteral("Bound"));
    QCOMPARE(nfs.claim, QStringLiteral("kube-system/etcd-backup"));
    QCOMPARE(nfs.storageClass, QStringLiteral("nfs-retain"));
    QCOMPARE(nfs.source, QStringLiteral("nfs 10.20.0.5:/exports/etcd-backup"));
    QCOMPARE(nfs.created, QDateTime(QDate(2026, 11, 20), QTime(9, 15), Qt::UTC));
    QVERIFY(!nfs.needsAttention());
    QCOMPARE(pv.value("pvc-7d3e9a51-2b64-4c1e-bb0f-9e2a5c7d8f01").source, QStringLiteral("csi ebs.csi.aws.com"));
    QCOMPARE(pv.value("pv-old-logs").source, QStringLiteral("hostPath /mnt/logs"));
    QVERIFY(pv.value("pv-old-logs").needsAttention()); // Released
    QVERIFY(pv.value("pv-broken").needsAttention()); // Failed
    QCOMPARE(pv.value("pv-broken").reason, QStringLiteral("Recycle failed: unsupported volume plugin"));
    QCOMPARE(pv.value("pv-broken").accessModes, QStringList {"RWOP"});
    QCOMPARE(pv.value("pv-free").source, QStringLiteral("local /mnt/disks/ssd1"));
    QCOMPARE(pv.value("pv-free").phase, QStringLiteral("Available"));
    QVERIFY(!pv.value("pv-free").needsAttention());

    int pending = 0;
    for (const KubeVolumeClaim &c : v.claims) {
        if (c.name == QLatin1String("redis-data")) {
            QCOMPARE(c.ns, QStringLiteral("cache"));
            QCOMPARE(c.phase, QStringLiteral("Pending"));
            QCOMPARE(c.capacity, QStringLiteral("8Gi")); // requested: nothing granted yet
            QVERIFY(c.volume.isEmpty());
            QVERIFY(c.needsAttention());
            ++pending;
        } else {
            QVERIFY(!c.needsAttention());
            QCOMPARE(c.phase, QStringLiteral("Bound"));
        }
    }
    QCOMPARE(pending, 1);

    for (const KubeStorageClass &c : v.classes) {
        if (c.name == QLatin1String("gp3")) {
            QVERIFY(c.isDefault);
            QVERIFY(c.allowExpansion);
            QCOMPARE(c.bindingMode, QStringLiteral("WaitForFirstConsumer"));
        } else {
            QVERIFY(!c.isDefault);
            QCOMPARE(c.reclaimPolicy, QStringLiteral("Retain"));
            QCOMPARE(c.bindingMode, QStringLiteral("Immediate")); // the API's default
        }
    }
}

void KubeClientTest::clientCertificateAuthenticates()
{
    KubeCredentials c = credentials({});
    QFile cert(m_certs->path("client.pem"));
    QFile key(m_certs->path("client.key"));
    QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    c.clientCertPem = cert.readAll();
    c.clientKeyPem = key.readAll();
    const KubeVolumes v = list(c);
    QVERIFY2(v.ok(), qPrintable(v.errors.join("; ")));
    QCOMPARE(v.volumes.size(), 5);

    // Without any credentials the server answers 401.
    const KubeVolumes anonymous = list(credentials({}));
    QVERIFY(!anonymous.ok());
    QVERIFY(anonymous.errors.first().contains(QLatin1String("401 Unauthorized")));
}

void KubeClientTest::expiredTokenIsOneClearSentence()
{
    const KubeVolumes v = list(credentials(FakeKubeApiServer::kExpiredToken));
    QCOMPARE(v.errors.size(), 1);
    QCOMPARE(v.errors.first(),
        QStringLiteral("the API server at %1 rejected the credentials of user operator (401 Unauthorized): the token "
                       "has expired or is not valid; get fresh credentials and try again")
            .arg(m_server->url()));
    QVERIFY(v.volumes.isEmpty() && v.claims.isEmpty() && v.classes.isEmpty());
}

void KubeClientTest::forbiddenListIsNamedAndTheRestShown()
{
    const KubeVolumes v = list(credentials(FakeKubeApiServer::kViewerToken));
    QCOMPARE(v.errors.size(), 1);
    QVERIFY2(v.errors.first().startsWith(QLatin1String("user operator may not list persistentvolumes (403 Forbidden): "
                                                       "persistentvolumes is forbidden")),
        qPrintable(v.errors.first()));
    QVERIFY(v.volumes.isEmpty());
    QCOMPARE(v.claims.size(), 3);
    QCOMPARE(v.classes.size(), 2);
}

void KubeClientTest::unknownCertificateAuthorityIsRefused()
{
    KubeCredentials c = credentials(FakeKubeApiServer::kGoodToken);
    c.caPem.clear(); // the system's trust store does not know the test CA
    const KubeVolumes v = list(c);
    QCOMPARE(v.errors.size(), 1);
    QVERIFY2(v.errors.first().contains(QLatin1String("cannot reach the API server")), qPrintable(v.errors.first()));
    QVERIFY2(
        v.errors.first().contains(QLatin1String("certificate"), Qt::CaseInsensitive), qPrintable(v.errors.first()));
}

void KubeClientTest::cliPrintsJsonAndExplainsFailures()
{
    const CliRun ok = runQuorumdeck({"k8s", "volumes", "-w", "json", "--kubeconfig", kubeconfig("good", "good-token")});
    QCOMPARE(ok.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(ok.out).object();
    QCOMPARE(o["persistentVolumes"].toArray().size(), 5);
    QCOMPARE(o["persistentVolumeClaims"].toArray().size(), 3);
    QCOMPARE(o["storageClasses"].toArray().size(), 2);
    QCOMPARE(o["context"].toString(), QStringLiteral("t"));
    const QJsonObject first = o["persistentVolumes"].toArray().at(0).toObject();
    for (const char *key : {"name", "capacity", "accessModes", "reclaimPolicy", "phase", "claim", "storageClass",
             "source", "created", "needsAttention"})
        QVERIFY2(first.contains(QLatin1String(key)), key);

    const CliRun table = runQuorumdeck({"k8s", "volumes", "--kubeconfig", kubeconfig("good", "good-token")});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains("pv-old-logs") && table.out.contains("Released"));
    QVERIFY(table.out.contains("gp3 (default)"));

    const CliRun expired = runQuorumdeck({"k8s", "volumes", "--kubeconfig", kubeconfig("expired", "expired-token")});
    QCOMPARE(expired.exitCode, 1);
    QVERIFY2(expired.err.contains("401 Unauthorized"), expired.err.constData());
    QVERIFY2(!expired.err.contains("expired-token") && !expired.out.contains("expired-token"),
        "the token must never be printed");

    const CliRun missing = runQuorumdeck({"k8s", "volumes", "--kubeconfig", m_dir.filePath("absent")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("no kubeconfig found"));
    const CliRun usage = runQuorumdeck({"k8s", "pods"});
    QCOMPARE(usage.exitCode, 1);
    QVERIFY(usage.err.contains("usage: quorumdeck k8s volumes"));
}

QTEST_GUILESS_MAIN(KubeClientTest)
#include "tst_kubeclient.moc"

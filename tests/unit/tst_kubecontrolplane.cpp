// `quorumdeck k8s control-plane` against stand-ins for three API servers (no kube-apiserver
// runs here): each probed directly and the kubeconfig's once more, one of them not ready
// with its failing check named, one that answers too slowly, leases held and stale, masters
// with their static pods, and a token the servers refuse.

#include "session/ControlPlaneSession.h"
#include "support/CliRun.h"
#include "support/FakeKubeApiServer.h"
#include "support/TestCertificates.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

class TestKubeControlPlane : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void namesWhatIsNotReady();
    void healthyExitsZero();
    void aSlowServerIsNoAnswer();
    void refusedCredentialsAreNoAnswer();
    void leaseChangesAreEvents();

private:
    QString kubeconfig(const QByteArray &token);
    QJsonObject run(int expectedExit, const QByteArray &token = FakeKubeApiServer::kGoodToken);
    static QJsonObject byAddress(const QJsonArray &servers, const QString &address, bool viaLoadBalancer);

    QTemporaryDir m_dir;
    std::unique_ptr<TestCertificates> m_certs;
    QList<std::shared_ptr<FakeKubeApiServer>> m_servers;
};

void TestKubeControlPlane::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_certs = std::make_unique<TestCertificates>(m_dir.path());
    QVERIFY2(m_certs->ok(), qPrintable(m_certs->error()));
    for (int i = 0; i < 3; ++i) {
        m_servers << std::make_shared<FakeKubeApiServer>(QFINDTESTDATA("../data/kube"), m_certs->path("server.pem"),
            m_certs->path("server.key"), m_certs->path("ca.pem"));
        QVERIFY(m_servers.back()->isListening());
    }
}

void TestKubeControlPlane::init()
{
    QStringList addresses;
    for (const auto &s : std::as_const(m_servers))
        addresses << s->address();
    for (const auto &s : std::as_const(m_servers)) {
        s->setApiServers(addresses);
        s->setFailingReadyz({});
        s->setStaleLeases({});
        s->setHealthyMasters(true);
        s->setSlowPath({}, 0);
        s->setLeaseHolder("kube-scheduler", {});
    }
}

QString TestKubeControlPlane::kubeconfig(const QByteArray &token)
{
    // The first server stands where the load balancer would.
    const QString path = m_dir.filePath("kubeconfig-" + QString::fromLatin1(token));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write("current-context: t\nclusters:\n- name: c\n  cluster:\n    server: " + m_servers[0]->url().toUtf8()
            + "\n    certificate-authority: " + m_certs->path("ca.pem").toUtf8()
            + "\nusers:\n- name: op\n  user:\n    token: " + token
            + "\ncontexts:\n- name: t\n  context: {cluster: c, user: op}\n");
    return path;
}

QJsonObject TestKubeControlPlane::run(int expectedExit, const QByteArray &token)
{
    const CliRun r = runQuorumdeck({"k8s", "control-plane", "--kubeconfig", kubeconfig(token), "-w", "json"});
    if (r.exitCode != expectedExit) {
        qWarning("exit %d, expected %d: %s %s", r.exitCode, expectedExit, r.out.constData(), r.err.constData());
        return {};
    }
    return QJsonDocument::fromJson(r.out).object();
}

QJsonObject TestKubeControlPlane::byAddress(const QJsonArray &servers, const QString &address, bool viaLoadBalancer)
{
    for (const QJsonValue &s : servers) {
        if (s["address"].toString() == address && s["viaLoadBalancer"].toBool() == viaLoadBalancer)
            return s.toObject();
    }
    return {};
}

void TestKubeControlPlane::namesWhatIsNotReady()
{
    m_servers[2]->setFailingReadyz({"etcd"});
    for (const auto &s : std::as_const(m_servers))
        s->setStaleLeases({"kube-controller-manager"});
    const QJsonObject report = run(2);
    QVERIFY(!report.isEmpty());

    // Three directly, and the kubeconfig's server again through its own address.
    const QJsonArray servers = report["apiServers"].toArray();
    QCOMPARE(servers.size(), 4);
    const QSslCertificate served = QSslCertificate::fromPath(m_certs->path("server.pem")).value(0);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject s = byAddress(servers, m_servers[i]->address(), false);
        QVERIFY2(!s.isEmpty(), qPrintable(m_servers[i]->address()));
        QCOMPARE(s["live"].toBool(), true);
        QCOMPARE(s["ready"].toBool(), i != 2);
        QCOMPARE(s["failedChecks"].toArray(), i == 2 ? QJsonArray {"etcd"} : QJsonArray {});
        QCOMPARE(s["version"].toString(), QStringLiteral("v1.29.4"));
        QCOMPARE(s["certExpiry"].toString(), served.expiryDate().toUTC().toString(Qt::ISODate));
        QVERIFY(s["responseMs"].toInt() >= 0);
    }
    const QJsonObject viaLb = byAddress(servers, m_servers[0]->address(), true);
    QCOMPARE(viaLb["ready"].toBool(), true);
    QVERIFY(servers.last()["viaLoadBalancer"].toBool()); // listed last

    // The two components' leases only (not the API servers' identity leases).
    const QJsonArray leases = report["leases"].toArray();
    QCOMPARE(leases.size(), 2);
    QCOMPARE(leases[0]["name"].toString(), QStringLiteral("kube-controller-manager"));
    QCOMPARE(leases[0]["stale"].toBool(), true);
    QCOMPARE(leases[1]["name"].toString(), QStringLiteral("kube-scheduler"));
    QCOMPARE(leases[1]["stale"].toBool(), false);
    QCOMPARE(leases[1]["holder"].toString(), QStringLiteral("master2_9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"));
    QCOMPARE(leases[1]["leaseDurationSeconds"].toInt(), 15);
    QCOMPARE(leases[1]["transitions"].toInt(), 7);
    QVERIFY(QDateTime::fromString(leases[1]["renewTime"].toString(), Qt::ISODateWithMs).isValid());

    const QJsonArray masters = report["masters"].toArray();
    QCOMPARE(masters.size(), 3);
    QCOMPARE(masters[0]["name"].toString(), QStringLiteral("master1"));
    QCOMPARE(masters[0]["pods"].toArray().size(), 4);

    // The table says the same in words.
    const CliRun text = runQuorumdeck({"k8s", "control-plane", "--kubeconfig", kubeconfig("good-token")});
    QCOMPARE(text.exitCode, 2);
    QVERIFY2(text.out.contains("not ready: etcd failed"), text.out.constData());
    QVERIFY2(text.out.contains("STALE"), text.out.constData());
}

void TestKubeControlPlane::healthyExitsZero()
{
    const QJsonObject report = run(0);
    QCOMPARE(report["apiServers"].toArray().size(), 4);
    QCOMPARE(report["problems"].toArray().size(), 0);

    // A master whose kubelet stopped reporting, or a pod crash-looping, is not healthy.
    for (const auto &s : std::as_const(m_servers))
        s->setHealthyMasters(false);
    const QJsonObject unhealthy = run(2);
    const QJsonArray masters = unhealthy["masters"].toArray();
    QCOMPARE(masters[2]["ready"].toBool(), false);
}

void TestKubeControlPlane::aSlowServerIsNoAnswer()
{
    // The second API server takes longer than the 5 s the command waits.
    m_servers[1]->setSlowPath("/readyz", 8000);
    const QJsonObject report = run(2);
    const QJsonObject slow = byAddress(report["apiServers"].toArray(), m_servers[1]->address(), false);
    QCOMPARE(slow["ready"].toBool(), false);
    QVERIFY2(slow["error"].toString().contains("no answer within 5 s"), qPrintable(slow["error"].toString()));
}

void TestKubeControlPlane::refusedCredentialsAreNoAnswer()
{
    const CliRun r = runQuorumdeck(
        {"k8s", "control-plane", "--kubeconfig", kubeconfig(FakeKubeApiServer::kExpiredToken), "-w", "json"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("401 Unauthorized"), r.err.constData());
    // Said once, though every list was refused.
    QCOMPARE(r.err.count("401 Unauthorized"), 1);
}

void TestKubeControlPlane::leaseChangesAreEvents()
{
    ControlPlaneSession session;
    session.setKubeconfigPaths({kubeconfig(FakeKubeApiServer::kGoodToken)});
    session.setIntervalMs(300);
    // A list of its own (a profile's) instead of the EndpointSlices' three.
    session.setApiServers({m_servers[1]->address()});
    QList<ClusterEvent> events;
    connect(
        &session, &ControlPlaneSession::eventsOccurred, this, [&](const QList<ClusterEvent> &more) { events << more; });
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(session.hasReport(), 10000);
    QVERIFY(session.unavailable().isEmpty());
    QCOMPARE(session.last().leases.size(), 2);
    QCOMPARE(session.last().apiServers.size(), 2);
    QCOMPARE(session.last().apiServers[0].address, m_servers[1]->address());
    QVERIFY(!session.last().apiServers[0].viaLoadBalancer);
    QVERIFY(events.isEmpty()); // the first reading only names the holders

    // The scheduler's lease moves to master1; the controller-manager's stops being renewed.
    for (const auto &s : std::as_const(m_servers)) {
        s->setLeaseHolder("kube-scheduler", "master1_0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");
        s->setStaleLeases({"kube-controller-manager"});
    }
    auto ofType = [&](ClusterEvent::Type type) {
        for (const ClusterEvent &e : std::as_const(events)) {
            if (e.type == type)
                return e;
        }
        return ClusterEvent {};
    };
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 10000);
    const ClusterEvent changed = ofType(ClusterEvent::Type::ComponentLeaderChanged);
    QCOMPARE(changed.detail, QStringLiteral("kube-scheduler: master2 → master1"));
    QVERIFY(qAbs(changed.timeMs - QDateTime::currentMSecsSinceEpoch()) < 10000);
    const ClusterEvent stale = ofType(ClusterEvent::Type::ComponentLeaseStale);
    QVERIFY2(stale.detail.startsWith("kube-controller-manager: master1 stopped renewing the lease"),
        qPrintable(stale.detail));
    session.stop();

    // A kubeconfig that cannot be read is a sentence, not a report.
    ControlPlaneSession none;
    none.setKubeconfigPaths({m_dir.filePath("missing")});
    none.start();
    QTRY_VERIFY_WITH_TIMEOUT(!none.unavailable().isEmpty(), 10000);
    QVERIFY(!none.hasReport());
}

QTEST_GUILESS_MAIN(TestKubeControlPlane)
#include "tst_kubecontrolplane.moc"

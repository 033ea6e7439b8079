// `quorumdeck k8s control-plane` against stand-ins for three API servers (no kube-apiserver
// runs here): each probed directly and the kubeconfig's once more, one of them not ready
// with its failing check named, one that answers too slowly, leases held and stale, masters
// with their static pods, and a token the servers refuse. `quorumdeck k8s logs` against the
// same stand-ins' pods/log: every master's lines merged by time, klog and etcd's JSON parsed,
// leadership lines marked, and a followed log that prints what the container writes next.

#include "demo/LocalCluster.h"
#include "demo/PortAllocator.h"
#include "profile/ConnectionProfile.h"
#include "profile/ProfileStore.h"
#include "session/ControlPlaneSession.h"
#include "support/CliRun.h"
#include "support/FakeKubeApiServer.h"
#include "support/TestCertificates.h"
#include "support/TestSkip.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
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
    void forbiddenListsAreNamed();
    void contextChoosesTheClusterAndUser();
    void leaseChangesAreEvents();
    void haproxyInFrontIsMatchedAndDriftNamed();
    void logsMergeEveryMasterByTime();
    void logsParseKlogAndMarkLeaseLines();
    void logsTailAndRefusals();
    void logsFollowPrintsNewLines();

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

void TestKubeControlPlane::forbiddenListsAreNamed()
{
    // A user allowed to read storage only: the API server answers its health checks and
    // /version, and refuses each control-plane list with 403 and a sentence of its own.
    const CliRun r = runQuorumdeck(
        {"k8s", "control-plane", "--kubeconfig", kubeconfig(FakeKubeApiServer::kStorageOnlyToken), "-w", "json"});
    QCOMPARE(r.exitCode, 2); // answered, but the control plane cannot be seen whole
    for (const char *forbidden : {"leases.coordination.k8s.io is forbidden", "nodes is forbidden", "pods is forbidden",
             "endpointslices.discovery.k8s.io is forbidden"}) {
        QVERIFY2(r.err.count(forbidden) == 1, qPrintable(QString::fromUtf8(r.err) + " lacks " + forbidden));
    }
    QVERIFY2(r.err.contains("system:serviceaccount:default:storage-reader"), r.err.constData());
    const QJsonObject report = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(report["leases"].toArray().size(), 0);
    QCOMPARE(report["masters"].toArray().size(), 0);
    // Without the EndpointSlices only the kubeconfig's server is known, and it answers.
    const QJsonArray servers = report["apiServers"].toArray();
    QCOMPARE(servers.size(), 1);
    QCOMPARE(servers[0]["viaLoadBalancer"].toBool(), true);
    QCOMPARE(servers[0]["ready"].toBool(), true);
}

void TestKubeControlPlane::contextChoosesTheClusterAndUser()
{
    // The current context refuses (an expired token on the first server); "ops" reaches the
    // second server with a good one. --context picks it, as kubectl's does.
    const QString path = m_dir.filePath("kubeconfig-contexts");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray ca = m_certs->path("ca.pem").toUtf8();
    f.write("current-context: stale\nclusters:\n- name: lb\n  cluster:\n    server: " + m_servers[0]->url().toUtf8()
        + "\n    certificate-authority: " + ca + "\n- name: second\n  cluster:\n    server: "
        + m_servers[1]->url().toUtf8() + "\n    certificate-authority: " + ca
        + "\nusers:\n- name: old\n  user:\n    token: " + FakeKubeApiServer::kExpiredToken
        + "\n- name: ops\n  user:\n    token: " + FakeKubeApiServer::kGoodToken
        + "\ncontexts:\n- name: stale\n  context: {cluster: lb, user: old}\n"
          "- name: ops\n  context: {cluster: second, user: ops}\n");
    f.close();
    const CliRun current = runQuorumdeck({"k8s", "control-plane", "--kubeconfig", path, "-w", "json"});
    QCOMPARE(current.exitCode, 1);
    QVERIFY2(current.err.contains("401 Unauthorized"), current.err.constData());
    const CliRun chosen
        = runQuorumdeck({"k8s", "control-plane", "--kubeconfig", path, "--context", "ops", "-w", "json"});
    QCOMPARE(chosen.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(chosen.out).object();
    QCOMPARE(report["context"].toString(), QStringLiteral("ops"));
    QCOMPARE(report["server"].toString(), m_servers[1]->url());
    const CliRun unknown
        = runQuorumdeck({"k8s", "control-plane", "--kubeconfig", path, "--context", "nope", "-w", "json"});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("nope"), unknown.err.constData());
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

namespace {

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n'))
        if (!line.trimmed().isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

int linesIn(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    return int(f.readAll().trimmed().split('\n').size());
}

} // namespace

void TestKubeControlPlane::logsMergeEveryMasterByTime()
{
    const CliRun r
        = runQuorumdeck({"k8s", "logs", "etcd", "--tail", "0", "--kubeconfig", kubeconfig("good-token"), "-w", "json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QJsonObject> lines = jsonLines(r.out);
    const QString data = QFINDTESTDATA("../data/kube/logs");
    const int expected = linesIn(data + "/etcd-master1.log") + linesIn(data + "/etcd-master2.log")
        + linesIn(data + "/etcd-master3.log");
    QCOMPARE(lines.size(), expected);
    QSet<QString> nodes;
    for (int i = 0; i < lines.size(); ++i) {
        nodes << lines[i]["node"].toString();
        QCOMPARE(lines[i]["pod"].toString(), "etcd-" + lines[i]["node"].toString());
        if (i > 0)
            QVERIFY2(lines[i - 1]["time"].toString() <= lines[i]["time"].toString(),
                qPrintable(lines[i - 1]["time"].toString() + " after " + lines[i]["time"].toString()));
    }
    QCOMPARE(nodes, (QSet<QString> {"master1", "master2", "master3"}));
    // Every request asked for the times to merge by, and only etcd's pods were read.
    for (const QString &request : m_servers[0]->requests())
        if (request.contains("/log"))
            QVERIFY2(request.contains("timestamps=true") && request.contains("/pods/etcd-"), qPrintable(request));

    // The election at term 3: master3 won it, master1 followed, master2 saw the change:
    // each of the three lines marked, in the order they were written on three machines.
    QStringList leadership;
    static const QRegularExpression phrase("(became|elected|changed) leader");
    for (const QJsonObject &l : lines)
        if (l["leadership"].toBool())
            leadership << l["node"].toString() + ": " + phrase.match(l["message"].toString()).captured(0);
    QCOMPARE(leadership,
        (QStringList {"master1: became leader", "master2: elected leader", "master3: elected leader",
            "master3: became leader", "master2: changed leader"}));
    const QJsonObject slow = *std::find_if(lines.cbegin(), lines.cend(),
        [](const QJsonObject &l) { return l["message"].toString() == "apply request took too long"; });
    QCOMPARE(slow["level"].toString(), "warn");
    QCOMPARE(slow["time"].toString(), "2026-12-01T16:55:07.880Z");
}

void TestKubeControlPlane::logsParseKlogAndMarkLeaseLines()
{
    const CliRun r = runQuorumdeck({"k8s", "logs", "scheduler", "--kubeconfig", kubeconfig("good-token")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains(QRegularExpression(
                 "2026-12-01T16:41:50.103Z\\s+master1\\s+info\\s+\\[leadership\\] successfully acquired lease "
                 "kube-system/kube-scheduler\n")),
        qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression("master1\\s+error\\s+\\[leadership\\] failed to renew lease")),
        qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression("master3\\s+warn\\s+No authentication-kubeconfig")), qPrintable(out));
    // master1 lost the lease before master2 took it: the order a reader needs.
    QVERIFY(out.indexOf("failed to renew lease") < out.indexOf("17:02:27.804Z"));

    const CliRun bad = runQuorumdeck({"k8s", "logs", "kubelet", "--kubeconfig", kubeconfig("good-token")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("etcd, kube-apiserver, kube-scheduler, kube-controller-manager"), bad.err.constData());
}

void TestKubeControlPlane::logsTailAndRefusals()
{
    const CliRun r = runQuorumdeck(
        {"k8s", "logs", "kube-scheduler", "--tail", "2", "--kubeconfig", kubeconfig("good-token"), "-w", "json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(jsonLines(r.out).size(), 6); // two of each master's
    QVERIFY(m_servers[0]->requests().join(' ').contains("tailLines=2"));

    const CliRun refused = runQuorumdeck({"k8s", "logs", "etcd", "--kubeconfig", kubeconfig("expired-token")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("401") || refused.err.contains("not accepted") || refused.err.contains("expired"),
        refused.err.constData());
    QVERIFY(refused.out.isEmpty());

    const CliRun misplaced
        = runQuorumdeck({"k8s", "control-plane", "--tail", "2", "--kubeconfig", kubeconfig("good-token")});
    QCOMPARE(misplaced.exitCode, 1);
    QVERIFY2(misplaced.err.contains("--tail applies to k8s logs"), misplaced.err.constData());
}

void TestKubeControlPlane::logsFollowPrintsNewLines()
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", cliDataHome());
    env.insert("XDG_CONFIG_HOME", cliConfigHome());
    p.setProcessEnvironment(env);
    p.start(QUORUMDECK_BINARY,
        {"k8s", "logs", "etcd", "--follow", "--tail", "1", "--kubeconfig", kubeconfig("good-token"), "-w", "json"});
    QByteArray out;
    const auto read = [&] {
        out += p.readAllStandardOutput();
        return out;
    };
    // The last line of each master first, in time order.
    QTRY_COMPARE_WITH_TIMEOUT(read().count('\n'), 3, 10000);
    QVERIFY(p.state() == QProcess::Running);
    const QByteArray line = R"({"level":"warn","ts":"2026-12-07T01:00:00.000Z","caller":"etcdserver/server.go:1)"
                            R"(","msg":"follow-test line written just now"})";
    m_servers[0]->appendLog("etcd-master2", line);
    QTRY_VERIFY_WITH_TIMEOUT(read().contains("follow-test line written just now"), 10000);
    const QJsonObject last = jsonLines(out).constLast();
    QCOMPARE(last["node"].toString(), "master2");
    QCOMPARE(last["level"].toString(), "warn");
    // Following ends when the operator interrupts it, and that is success.
    ::kill(pid_t(p.processId()), SIGINT);
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 10000);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
}

void TestKubeControlPlane::haproxyInFrontIsMatchedAndDriftNamed()
{
    // A real HAProxy in front of the stand-ins, as kubeadm's HA guide sets one up (TCP mode,
    // TCP checks): master1 and master2 behind it, a decommissioned master still listed, and
    // master3 left out. master2 fails its etcd check, which a TCP check cannot see.
    const QString haproxy = LocalCluster::locateHaproxy();
    if (haproxy.isEmpty())
        QD_SKIP_WITHOUT("haproxy", "the test puts a real HAProxy in front of the API servers");
    const auto ports = PortAllocator::freePorts(4);
    QVERIFY2(ports.ok(), qPrintable(ports.problem()));
    const QString socket = m_dir.filePath("api-lb.sock");
    QFile config(m_dir.filePath("api-lb.cfg"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("global\n  stats socket %1 mode 600 level admin\n"
                                "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 30s\n"
                                "  timeout server 30s\n"
                                "frontend kube_api\n  bind 127.0.0.1:%2\n  default_backend kube_apiservers\n"
                                "backend kube_apiservers\n  balance roundrobin\n"
                                "  server master1 %3 check inter 300ms fall 2 rise 1\n"
                                "  server master2 %4 check inter 300ms fall 2 rise 1\n"
                                "  server master0 127.0.0.1:%5 check inter 300ms fall 2 rise 1\n"
                                "frontend stats\n  mode http\n  bind 127.0.0.1:%6\n  stats enable\n  stats uri /stats\n"
                                "  stats show-legends\n"
                                "frontend bare_stats\n  mode http\n  bind 127.0.0.1:%7\n  stats enable\n"
                                "  stats uri /stats\n")
                     .arg(socket)
                     .arg(ports.value()[0])
                     .arg(m_servers[1]->address(), m_servers[2]->address())
                     .arg(ports.value()[1])
                     .arg(ports.value()[2])
                     .arg(ports.value()[3])
                     .toUtf8());
    config.close();
    QProcess lb;
    lb.start(haproxy, {"-db", "-f", config.fileName()});
    QVERIFY2(lb.waitForStarted(), qPrintable(lb.errorString()));
    m_servers[2]->setFailingReadyz({"etcd"});

    const QStringList args {
        "k8s", "control-plane", "--kubeconfig", kubeconfig("good-token"), "--haproxy-socket", socket, "-w", "json"};
    QJsonObject report;
    // Until HAProxy's checks have found the decommissioned master gone.
    const auto staleIsDown = [&] {
        const CliRun r = runQuorumdeck(args);
        report = QJsonDocument::fromJson(r.out).object();
        for (const QJsonValue &s : report.value("loadBalancer").toObject().value("servers").toArray())
            if (s["name"].toString() == "master0")
                return s["status"].toString() == "DOWN" && r.exitCode == 2;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(staleIsDown(), 20000);
    const QJsonObject balancer = report["loadBalancer"].toObject();
    QCOMPARE(balancer["backend"].toString(), "kube_apiservers"); // found by the API servers' addresses
    QCOMPARE(balancer["source"].toString(), socket);
    const QJsonArray servers = report["apiServers"].toArray();
    const QJsonObject first = byAddress(servers, m_servers[1]->address(), false);
    QCOMPARE(first["lbServer"].toString(), "kube_apiservers/master1");
    QCOMPARE(first["lbStatus"].toString(), "UP");
    QVERIFY(first["drift"].isNull());
    const QJsonObject notReady = byAddress(servers, m_servers[2]->address(), false);
    QCOMPARE(notReady["ready"].toBool(), false);
    QCOMPARE(notReady["lbStatus"].toString(), "UP");
    QVERIFY2(notReady["drift"].toString().contains("not ready, yet HAProxy (kube_apiservers/master2) still sends "
                                                   "it traffic"),
        qPrintable(notReady["drift"].toString()));
    const QJsonObject absent = byAddress(servers, m_servers[0]->address(), false);
    QCOMPARE(absent["lbStatus"].toString(), "ABSENT");
    QVERIFY(absent["drift"].toString().contains("is not behind HAProxy's backend kube_apiservers"));
    // The kubeconfig's own entry has no HAProxy server of its own.
    QVERIFY(!byAddress(servers, m_servers[0]->address(), true).contains("lbStatus"));
    const QStringList drift = report["drift"].toVariant().toStringList();
    QCOMPARE(drift.size(), 3);
    QVERIFY2(drift.last().contains(
                 "kube_apiservers/master0 sends API traffic to 127.0.0.1:" + QString::number(ports.value()[1])),
        qPrintable(drift.last()));

    // The text table shows HAProxy's word beside each API server.
    const CliRun text = runQuorumdeck({"k8s", "control-plane", "--kubeconfig", kubeconfig("good-token"),
        "--haproxy-socket", socket, "--backend", "kube_apiservers"});
    QCOMPARE(text.exitCode, 2);
    QVERIFY2(text.out.contains("HAPROXY (kube_apiservers)") && text.out.contains("UP DRIFT"), text.out.constData());
    QVERIFY2(text.err.contains("drift: "), text.err.constData());

    // The same HAProxy through its stats page, given on the command line or in a profile.
    const QString statsUrl = QStringLiteral("http://127.0.0.1:%1/stats;csv").arg(ports.value()[2]);
    auto matchedThrough = [&](const QStringList &how, const QString &source) {
        const CliRun r = runQuorumdeck(QStringList {"k8s", "control-plane", "-w", "json"} + how);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QString said
            = QStringLiteral("exit %1, loadBalancer %2, %3")
                  .arg(r.exitCode)
                  .arg(QString::fromUtf8(QJsonDocument(o["loadBalancer"].toObject()).toJson(QJsonDocument::Compact)))
                  .arg(QString::fromUtf8(r.err));
        if (r.exitCode != 2 || o["loadBalancer"]["source"].toString() != source
            || o["loadBalancer"]["backend"].toString() != QLatin1String("kube_apiservers"))
            return said;
        const QJsonObject master1 = byAddress(o["apiServers"].toArray(), m_servers[1]->address(), false);
        return master1["lbServer"].toString() == QLatin1String("kube_apiservers/master1") ? QString() : said;
    };
    const QString byUrl
        = matchedThrough({"--kubeconfig", kubeconfig("good-token"), "--haproxy-stats", statsUrl}, statsUrl);
    QVERIFY2(byUrl.isEmpty(), qPrintable(byUrl));
    QCoreApplication::setOrganizationName("QuorumDeck");
    QCoreApplication::setApplicationName("quorumdeck");
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, cliConfigHome());
    ConnectionProfile profile;
    profile.name = "kube-lb";
    profile.endpoints = {QStringLiteral("127.0.0.1:2379")};
    profile.kubeconfig = kubeconfig("good-token");
    profile.apiLbStats = statsUrl;
    profile.apiLbBackend = "kube_apiservers";
    QCOMPARE(ProfileStore::save(profile).problem(), QString());
    const QString byProfile = matchedThrough({"--profile", "kube-lb"}, statsUrl);
    QVERIFY2(byProfile.isEmpty(), qPrintable(byProfile));
    // A stats page without `stats show-legends` gives no addresses: said, with the way out.
    const QString bareUrl = QStringLiteral("http://127.0.0.1:%1/stats;csv").arg(ports.value()[3]);
    const CliRun bare = runQuorumdeck(
        {"k8s", "control-plane", "--kubeconfig", kubeconfig("good-token"), "--haproxy-stats", bareUrl, "-w", "json"});
    QCOMPARE(bare.exitCode, 2);
    QVERIFY2(bare.err.contains("does not show its servers' addresses") && bare.err.contains("stats show-legends"),
        bare.err.constData());

    // A backend that does not exist, and a socket nobody listens on, are named.
    const CliRun wrong = runQuorumdeck({"k8s", "control-plane", "--kubeconfig", kubeconfig("good-token"),
        "--haproxy-socket", socket, "--backend", "etcd_members", "-w", "json"});
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY2(QJsonDocument::fromJson(wrong.out)["loadBalancer"]["error"].toString().contains(
                 "has no backend etcd_members (it has kube_apiservers)"),
        wrong.out.constData());
    lb.terminate();
    QVERIFY(lb.waitForFinished(10000));
    const CliRun gone = runQuorumdeck(args);
    QCOMPARE(gone.exitCode, 2);
    QVERIFY2(gone.err.contains("HAProxy in front of the API servers: "), gone.err.constData());
    m_servers[2]->setFailingReadyz({});
}

QTEST_GUILESS_MAIN(TestKubeControlPlane)
#include "tst_kubecontrolplane.moc"

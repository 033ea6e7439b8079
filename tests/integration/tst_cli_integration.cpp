#include "demo/ProcessControl.h"
#include "profile/ClusterManifest.h"
#include "support/CliRun.h"
#include "support/DemoDirectory.h"
#include "support/FakeKubeApiServer.h"
#include "support/ResultText.h"
#include "support/TestCertificates.h"
#include "support/TestTiming.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

/// The quorumdeck binary as an operator's script runs it: exit codes, JSON, and no etcd
/// process left behind.
class TestCliIntegration : public QObject {
    Q_OBJECT

private slots:
    void badArgumentsFailClearly_data();
    void badArgumentsFailClearly();
    void environmentTimeoutsAreCheckedAsFlagsAre();
    void noDisplayIsOneLineNotACrash();
    void silentListenerIsADialTimeout();
    void unreachableEndpointFailsWithinDeadline();
    void demoUpStatusDownLeavesNothingBehind();
    void takenPortIsExplained();
    void statusExitsTwoWhenQuorumIsLost();
    void eventsFollowPrintsLeaderChanges();
    void eventsFollowAddsTheControlPlanesLeases();
    void clusterCommandsLoadNoNetworkLibrary();

private:
    using Run = CliRun;
    static Run quorumdeck(const QStringList &args, int timeoutMs = 60000) { return runQuorumdeck(args, timeoutMs); }
};

void TestCliIntegration::badArgumentsFailClearly_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown command") << QStringList {"frobnicate"} << "unknown command";
    QTest::newRow("unknown option") << QStringList {"status", "--frob"} << "Unknown option";
    QTest::newRow("bad format") << QStringList {"status", "-w", "yaml", "--endpoints", "127.0.0.1:1"}
                                << "table or json";
    QTest::newRow("bad endpoint") << QStringList {"status", "--endpoints", "127.0.0.1"} << "no port";
    QTest::newRow("bad timeout") << QStringList {"status", "--command-timeout", "soon"} << "not a duration";
    QTest::newRow("option of another command") << QStringList {"status", "--learner"} << "does not apply";
    QTest::newRow("member add without urls")
        << QStringList {"member", "add", "x", "--endpoints", "127.0.0.1:1"} << "--peer-urls";
    QTest::newRow("no such demo dir") << QStringList {"status", "--dir", "/nonexistent/qd"} << "no demo cluster";
    QTest::newRow("demo members out of range")
        << QStringList {"demo", "up", "--members", "9", "--dir", "/nonexistent/qd"} << "between 1 and 7";
    QTest::newRow("etcd not there") << QStringList {"demo", "up", "--etcd", "/nonexistent/etcd", "--dir", "/tmp"}
                                    << "no executable file";
    QTest::newRow("events without follow") << QStringList {"events", "--endpoints", "127.0.0.1:1"} << "--follow";
    QTest::newRow("zero timeout") << QStringList {"status", "--command-timeout", "0", "--endpoints", "127.0.0.1:1"}
                                  << "longer than 0";
    QTest::newRow("a command's flag without the command") << QStringList {"--follow"} << "unknown option --follow";
    QTest::newRow("unknown demo command, no cluster")
        << QStringList {"demo", "frob", "--dir", "/nonexistent/qd"} << "unknown demo command";
    QTest::newRow("demo kill without a member, no cluster")
        << QStringList {"demo", "kill", "--dir", "/nonexistent/qd"} << "usage: quorumdeck demo kill MEMBER";
}

void TestCliIntegration::badArgumentsFailClearly()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const Run r = quorumdeck(args, 10000);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(says), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1); // one clear line
    QVERIFY(r.out.isEmpty());
}

void TestCliIntegration::environmentTimeoutsAreCheckedAsFlagsAre()
{
    QProcessEnvironment env;
    env.insert("ETCDCTL_COMMAND_TIMEOUT", "0");
    const Run r = runQuorumdeck({"status", "--endpoints", "127.0.0.1:1"}, 10000, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("ETCDCTL_COMMAND_TIMEOUT=\"0\": a timeout must be longer than 0"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

void TestCliIntegration::noDisplayIsOneLineNotACrash()
{
    QProcessEnvironment env;
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.insert(name, ""); // empty counts as unset
    const Run r = runQuorumdeck({}, 10000, env);
    QCOMPARE(r.exitCode, 1);
#if QUORUMDECK_GUI_BUILT
    QVERIFY2(r.err.contains("no display to open the window on"), r.err.constData());
#else
    QVERIFY2(r.err.contains("this build has no window"), r.err.constData());
#endif
    QCOMPARE(r.err.count('\n'), 1);
}

void TestCliIntegration::silentListenerIsADialTimeout()
{
    // Accepts connections and never says a word, as a port of some other service might.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    const Run r = quorumdeck({"status", "--endpoints", QStringLiteral("127.0.0.1:%1").arg(silent.serverPort()),
                                 "--dial-timeout", "300ms", "--command-timeout", "5s"},
        10000);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("did not complete the connection within the dial timeout"), r.err.constData());
    QVERIFY2(r.ms < TestTiming::upTo(4000), qPrintable(QString::number(r.ms)));
}

void TestCliIntegration::unreachableEndpointFailsWithinDeadline()
{
    // Nothing listens on a port just closed; the command must say so and not hang.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const Run r
        = quorumdeck({"status", "--endpoints", QStringLiteral("127.0.0.1:%1").arg(port), "--command-timeout", "1s"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no endpoint answered"), r.err.constData());
    QVERIFY2(r.ms < TestTiming::upTo(5000), qPrintable(QString::number(r.ms)));
}

void TestCliIntegration::demoUpStatusDownLeavesNothingBehind()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    const Run up = quorumdeck({"demo", "up", "--dir", dir.path()});
    QVERIFY2(up.exitCode == 0, up.err.constData());
    ClusterManifest manifest;
    QCOMPARE(take(ClusterManifest::read(dir.path()), &manifest), QString());
    QCOMPARE(manifest.members.size(), 3);
    QVERIFY(up.out.contains(manifest.endpoints().join(',').toUtf8()));
    for (const LocalMember &m : manifest.members) {
        QVERIFY(ProcessControl::isAlive(pid_t(m.pid)));
        QVERIFY(m.clientUrl.startsWith("http://127.0.0.1:"));
        QVERIFY(m.peerUrl.startsWith("http://127.0.0.1:"));
    }

    const Run status = quorumdeck({"status", "--dir", dir.path(), "-w", "json"});
    QCOMPARE(status.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(status.out).object();
    QCOMPARE(o.value("members").toArray().size(), 3);
    QCOMPARE(o.value("quorum").toInt(), 2);
    QCOMPARE(o.value("faultTolerance").toInt(), 1);
    QCOMPARE(o.value("leader").toString().size(), 16);

    // The same cluster through its endpoints, as etcdctl users would point at it.
    const Run table = quorumdeck({"status", "--endpoints", manifest.endpoints().join(',')});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains("survives 1 failure"));

    const Run list = quorumdeck({"member", "list", "--dir", dir.path()});
    QCOMPARE(list.exitCode, 0);
    QCOMPARE(list.out.count("started"), 3);

    // Fault injection: a paused member degrades the cluster, resuming heals it; a killed
    // member comes back with restart. A member is named by its id or its name.
    QString etcd3Id;
    for (const QJsonValue &m : o.value("members").toArray()) {
        if (m.toObject().value("name").toString() == "etcd3")
            etcd3Id = m.toObject().value("id").toString();
    }
    QCOMPARE(etcd3Id.size(), 16);
    const Run pause = quorumdeck({"demo", "pause", etcd3Id, "--dir", dir.path()});
    QVERIFY2(pause.exitCode == 0, pause.err.constData());
    QCOMPARE(quorumdeck({"status", "--dir", dir.path(), "--command-timeout", "500ms"}).exitCode, 2);
    // A new voter now would count towards a quorum of 3 of 4 with 2 healthy: refused, and
    // nothing is sent.
    const Run add = quorumdeck({"member", "add", "n4", "--peer-urls", "http://127.0.0.1:1", "--dir", dir.path(),
        "--command-timeout", "500ms"});
    QCOMPARE(add.exitCode, 1);
    QVERIFY2(add.err.contains("below the quorum of 3"), add.err.constData());
    QCOMPARE(add.err.count('\n'), 1);
    const Run paused = quorumdeck({"demo", "status", "--dir", dir.path(), "-w", "json"});
    QCOMPARE(paused.exitCode, 2);
    QVERIFY(paused.out.contains("\"process\":\"paused\""));
    QCOMPARE(quorumdeck({"demo", "resume", "etcd3", "--dir", dir.path()}).exitCode, 0);
    QCOMPARE(quorumdeck({"status", "--dir", dir.path()}).exitCode, 0);
    QCOMPARE(quorumdeck({"member", "list", "--dir", dir.path()}).out.count("started"), 3);
    QCOMPARE(quorumdeck({"demo", "kill", "etcd3", "--dir", dir.path()}).exitCode, 0);
    QCOMPARE(quorumdeck({"status", "--dir", dir.path(), "--command-timeout", "500ms"}).exitCode, 2);
    const Run restart = quorumdeck({"demo", "restart", "etcd3", "--dir", dir.path()});
    QVERIFY2(restart.exitCode == 0, restart.err.constData());
    // Like resume, restart returns once the member answers with the cluster's leader.
    QVERIFY2(restart.out.contains("answers with the cluster's leader"), restart.out.constData());
    QCOMPARE(quorumdeck({"status", "--dir", dir.path()}).exitCode, 0);
    ClusterManifest restarted;
    QCOMPARE(take(ClusterManifest::read(dir.path()), &restarted), QString());
    manifest.members << restarted.members; // the restarted pid must be gone too

    const Run down = quorumdeck({"demo", "down", "--dir", dir.path()});
    QVERIFY2(down.exitCode == 0, down.err.constData());
    for (const LocalMember &m : manifest.members)
        QVERIFY2(!ProcessControl::isAlive(pid_t(m.pid)), qPrintable(m.name));
    QVERIFY(QDir(dir.path()).entryList({"*.pid"}).isEmpty());
}

void TestCliIntegration::takenPortIsExplained()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    const Run up = quorumdeck(
        {"demo", "up", "--dir", dir.path(), "--members", "1", "--base-port", QString::number(squatter.serverPort())});
    QCOMPARE(up.exitCode, 1);
    QVERIFY2(up.err.contains("already in use") && up.err.contains(QByteArray::number(squatter.serverPort())),
        up.err.constData());
}

void TestCliIntegration::statusExitsTwoWhenQuorumIsLost()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    QCOMPARE(quorumdeck({"demo", "up", "--dir", dir.path()}).exitCode, 0);
    QCOMPARE(quorumdeck({"demo", "kill", "etcd1", "--dir", dir.path()}).exitCode, 0);
    QCOMPARE(quorumdeck({"demo", "kill", "etcd2", "--dir", dir.path()}).exitCode, 0);
    const Run unknown = quorumdeck({"demo", "kill", "etcd9", "--dir", dir.path()});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY(unknown.err.contains("no demo member named"));

    // Until its election timeout passes the survivor may still name the dead leader;
    // the exit code is 2 either way, and soon no leader is reported at all.
    Run status;
    QJsonObject o;
    QDeadlineTimer deadline(15000);
    do {
        status = quorumdeck({"status", "--dir", dir.path(), "-w", "json", "--command-timeout", "1s"});
        QCOMPARE(status.exitCode, 2);
        o = QJsonDocument::fromJson(status.out).object();
    } while (!o.value("leader").isNull() && !deadline.hasExpired());
    QVERIFY(o.value("leader").isNull());
    QCOMPARE(o.value("hasQuorum").toBool(), false);
    QCOMPARE(o.value("faultTolerance").toInt(), 0);

    // A removal is refused with the reason, and nothing changes.
    const Run remove = quorumdeck({"member", "remove", "etcd1", "--dir", dir.path(), "--force"});
    QCOMPARE(remove.exitCode, 1);
    QVERIFY2(remove.err.contains("no quorum") || remove.err.contains("refused"), remove.err.constData());
    QCOMPARE(quorumdeck({"demo", "down", "--dir", dir.path()}).exitCode, 0);
}

void TestCliIntegration::eventsFollowPrintsLeaderChanges()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    QCOMPARE(quorumdeck({"demo", "up", "--dir", dir.path()}).exitCode, 0);
    const Run status = quorumdeck({"status", "--dir", dir.path(), "-w", "json"});
    const QJsonObject before = QJsonDocument::fromJson(status.out).object();
    QString leaderName;
    qint64 leaderTerm = 0; // the term it leads in; the cluster's term may be higher already
    for (const QJsonValue &m : before.value("members").toArray()) {
        if (m.toObject().value("role").toString() == "leader") {
            leaderName = m.toObject().value("name").toString();
            leaderTerm = m.toObject().value("term").toInteger();
        }
    }
    QVERIFY(!leaderName.isEmpty());

    QProcess follow;
    follow.start(QStringLiteral(QUORUMDECK_BINARY),
        {"events", "--follow", "-w", "json", "--dir", dir.path(), "--interval", "200ms"});
    QVERIFY(follow.waitForStarted());
    // Events are differences between snapshots: act only once the first one is taken.
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(
        (err += follow.readAllStandardError()).contains("following") || follow.state() != QProcess::Running, 10000);
    QCOMPARE(follow.state(), QProcess::Running);
    QCOMPARE(quorumdeck({"move-leader", "--dir", dir.path()}).exitCode, 0);

    QJsonObject changed;
    QByteArray buffer;
    QDeadlineTimer deadline(15000);
    while (changed.isEmpty() && !deadline.hasExpired()) {
        follow.waitForReadyRead(200);
        buffer += follow.readAllStandardOutput();
        while (buffer.contains('\n')) {
            const qsizetype nl = buffer.indexOf('\n');
            const QJsonObject e = QJsonDocument::fromJson(buffer.left(nl)).object();
            buffer.remove(0, nl + 1);
            if (e.value("type").toString() == "LeaderChanged")
                changed = e;
        }
    }
    follow.terminate(); // SIGTERM: a clean stop with exit code 0
    QVERIFY(follow.waitForFinished(5000));
    QCOMPARE(follow.exitCode(), 0);

    QVERIFY2(!changed.isEmpty(), "no LeaderChanged line");
    for (const char *key : {"time", "type", "member", "from", "to", "term", "detail"})
        QVERIFY2(changed.contains(QLatin1String(key)), key);
    QCOMPARE(changed.value("from").toString(), before.value("leader").toString());
    // Raft: a new leader's term is above the term its predecessor led in. (Not necessarily
    // above the cluster's term in `before`: a follower whose election timer fired on a busy
    // machine may already be campaigning at a higher term, and the first change observed
    // may be its election rather than the transfer.)
    QVERIFY2(changed.value("term").toInteger() > leaderTerm,
        qPrintable(QStringLiteral("before: %1\nchange: %2")
                       .arg(QString::fromUtf8(status.out), QString::fromUtf8(QJsonDocument(changed).toJson()))));
    QVERIFY(QDateTime::fromString(changed.value("time").toString(), Qt::ISODateWithMs).isValid());
    QCOMPARE(quorumdeck({"demo", "down", "--dir", dir.path()}).exitCode, 0);
}

void TestCliIntegration::clusterCommandsLoadNoNetworkLibrary()
{
    // The dynamic linker names every library it loads when LD_DEBUG=files.
    QProcessEnvironment trace;
    trace.insert(QStringLiteral("LD_DEBUG"), QStringLiteral("files"));
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const QString endpoint = QStringLiteral("127.0.0.1:%1").arg(closed.serverPort());
    closed.close();

    // A cluster command: the cluster library and gRPC, without QtNetwork or the tools.
    const CliRun status = runQuorumdeck({"status", "--endpoints", endpoint, "--dial-timeout", "200ms"}, 60000, trace);
    QCOMPARE(status.exitCode, 1);
    QVERIFY2(status.err.contains("libquorumdeck-cluster.so"), status.err.left(2000).constData());
    QVERIFY(status.err.contains("libgrpc"));
    QVERIFY2(!status.err.contains("libQt6Network"), "status loaded QtNetwork");
    QVERIFY(!status.err.contains("quorumdeck-tools.so"));
    QVERIFY(!status.err.contains("libquorumdeck-core.so"));

    // Any other command comes from the tools module, with the whole core beneath it.
    QTemporaryDir empty;
    const CliRun demo = runQuorumdeck({"demo", "status", "--dir", empty.path()}, 60000, trace);
    QVERIFY(demo.exitCode >= 0); // ran and answered, whatever it found
    QVERIFY2(demo.err.contains("quorumdeck-tools.so"), demo.err.right(2000).constData());
    QVERIFY(demo.err.contains("libQt6Network"));
    QVERIFY(demo.err.contains("libquorumdeck-core.so"));
}

void TestCliIntegration::eventsFollowAddsTheControlPlanesLeases()
{
    // etcd's events and, with a kubeconfig, the control plane's: the scheduler's lease
    // taken over on a stand-in API server (no kube-apiserver runs here) is a line of its own.
    QTemporaryDir pkiDir;
    TestCertificates certs(pkiDir.path());
    QVERIFY2(certs.ok(), qPrintable(certs.error()));
    FakeKubeApiServer kube(
        QFINDTESTDATA("../data/kube"), certs.path("server.pem"), certs.path("server.key"), certs.path("ca.pem"));
    QVERIFY(kube.isListening());
    kube.setApiServers({kube.address()});
    kube.setHealthyMasters(true);
    const QString kubeconfig = pkiDir.filePath("kubeconfig");
    QFile f(kubeconfig);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("current-context: t\nclusters:\n- name: c\n  cluster:\n    server: " + kube.url().toUtf8()
        + "\n    certificate-authority: " + certs.path("ca.pem").toUtf8()
        + "\nusers:\n- name: op\n  user:\n    token: good-token\ncontexts:\n- name: t\n  context: {cluster: c, "
          "user: op}\n");
    f.close();

    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    QCOMPARE(quorumdeck({"demo", "up", "--dir", dir.path()}).exitCode, 0);
    QProcess follow;
    follow.start(QStringLiteral(QUORUMDECK_BINARY),
        {"events", "--follow", "-w", "json", "--dir", dir.path(), "--interval", "200ms", "--kubeconfig", kubeconfig});
    QVERIFY(follow.waitForStarted());
    // The fake answers from this event loop: wait with it turning, never blocked.
    QByteArray err;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     err += follow.readAllStandardError();
                     return err.contains("following the control plane") || follow.state() != QProcess::Running;
                 },
                 20000),
        err.constData());
    QVERIFY2(err.contains("kube-scheduler led by master2"), err.constData());
    kube.setLeaseHolder("kube-scheduler", "master1_0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6");

    // The next reading (every 15 s) sees the lease change hands.
    QJsonObject changed;
    QByteArray buffer;
    QTest::qWaitFor(
        [&] {
            buffer += follow.readAllStandardOutput();
            while (buffer.contains('\n')) {
                const qsizetype nl = buffer.indexOf('\n');
                const QJsonObject e = QJsonDocument::fromJson(buffer.left(nl)).object();
                buffer.remove(0, nl + 1);
                if (e.value("type").toString() == "ComponentLeaderChanged")
                    changed = e;
            }
            return !changed.isEmpty() || follow.state() != QProcess::Running;
        },
        40000);
    follow.terminate();
    QVERIFY(QTest::qWaitFor([&] { return follow.state() == QProcess::NotRunning; }, 5000));
    QCOMPARE(follow.exitCode(), 0);
    QVERIFY2(!changed.isEmpty(), follow.readAllStandardError().constData());
    QCOMPARE(changed.value("detail").toString(), QStringLiteral("kube-scheduler: master2 → master1"));
    QCOMPARE(quorumdeck({"demo", "down", "--dir", dir.path()}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestCliIntegration)
#include "tst_cli_integration.moc"

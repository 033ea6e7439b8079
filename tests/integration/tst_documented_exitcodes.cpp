#include "demo/LocalCluster.h"
#include "profile/ClusterManifest.h"
#include "support/CliRun.h"
#include "support/DemoDirectory.h"
#include "support/FakeKubeApiServer.h"
#include "support/ResultText.h"
#include "support/TestCertificates.h"
#include "support/TestSkip.h"
#include "support/TestTiming.h"
#include "support/TinyHttpServer.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>

/// The exit codes README.md (and the man page) promise scripts, one row per promise: the
/// document still says it, and the real binary, in the situation the promise names, exits
/// with that code.
///
/// Rows that need a cluster share one demo cluster. Each row names the state it needs
/// (healthy, a member paused or killed, a network fault, NOSPACE); the test moves the demo
/// from the previous row's state to it, so rows may run in any order, alone or together.
class TestDocumentedExitCodes : public QObject {
    Q_OBJECT

public:
    enum class Situation { NoCluster, Healthy, MemberPaused, MemberKilled, NetworkFault, NoSpace, Interrupted };
    Q_ENUM(Situation)

private slots:
    void initTestCase();
    void cleanupTestCase();
    void exitCode_data();
    void exitCode();

private:
    QString document(const QString &name) const;
    QStringList expand(const QStringList &args) const;
    /// Starts the demo cluster on first use; empty on success, else why not.
    QString ensureDemo();
    /// Brings the demo from its present state to `to`; empty on success, else why not.
    QString moveTo(Situation to);
    QString leave(Situation from);
    QString waitHealthy();
    CliRun runInterrupted(const QStringList &args);

    QTemporaryDir m_files;
    std::unique_ptr<TestCertificates> m_certs;
    std::unique_ptr<FakeKubeApiServer> m_kube;
    std::unique_ptr<TinyHttpServer> m_badMetrics;
    QTcpServer m_silent; // accepts connections and never answers
    QHash<QString, QString> m_vars;
    std::unique_ptr<DemoDirectory> m_demo;
    Situation m_state = Situation::Healthy;
    static constexpr const char *kVictim = "etcd3";
};

namespace {

CliRun qd(const QStringList &args, int timeoutMs = 60000)
{
    return runQuorumdeck(args, timeoutMs);
}

/// A port nothing listens on: taken from the system, then let go.
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QString writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return path;
}

} // namespace

void TestDocumentedExitCodes::initTestCase()
{
    QVERIFY(m_files.isValid());
    QVERIFY(m_silent.listen(QHostAddress::LocalHost));
    m_vars.insert("{silent}", QStringLiteral("127.0.0.1:%1").arg(m_silent.serverPort()));
    m_vars.insert("{closed}", QStringLiteral("127.0.0.1:%1").arg(closedPort()));
    m_vars.insert("{closed-stats}", QStringLiteral("http://127.0.0.1:%1/stats;csv").arg(closedPort()));

    // One valid line and one no Prometheus parser takes.
    m_badMetrics = std::make_unique<TinyHttpServer>("etcd_server_has_leader 1\netcd_server_is_leader{ 1\n");
    QVERIFY(m_badMetrics->isListening());
    m_vars.insert("{bad-metrics}", m_badMetrics->url());

    // A TLS server of a CA of our own, as the Kubernetes API server and as any endpoint.
    m_certs = std::make_unique<TestCertificates>(m_files.path());
    if (!m_certs->ok())
        return; // the rows that need certificates say so
    m_kube = std::make_unique<FakeKubeApiServer>(QFINDTESTDATA("../data/kube"), m_certs->path("server.pem"),
        m_certs->path("server.key"), m_certs->path("ca.pem"));
    QVERIFY(m_kube->isListening());
    auto kubeconfig = [&](const QString &name, const QByteArray &token, bool withCa) {
        const QByteArray ca
            = withCa ? "\n    certificate-authority: " + m_certs->path("ca.pem").toUtf8() : QByteArray();
        return writeFile(m_files.filePath(name),
            "current-context: t\nclusters:\n- name: c\n  cluster:\n    server: " + m_kube->url().toUtf8() + ca
                + "\nusers:\n- name: op\n  user:\n    token: " + token
                + "\ncontexts:\n- name: t\n  context: {cluster: c, user: op}\n");
    };
    m_vars.insert("{kube-expired}", kubeconfig("expired", FakeKubeApiServer::kExpiredToken, true));
    m_vars.insert("{kube-viewer}", kubeconfig("viewer", FakeKubeApiServer::kViewerToken, true));
    m_vars.insert("{kube-unknown-ca}", kubeconfig("unknown-ca", FakeKubeApiServer::kGoodToken, false));
    m_vars.insert("{tls-endpoint}", QStringLiteral("127.0.0.1:%1").arg(m_kube->serverPort()));
    for (const char *file : {"ca.pem", "client.pem", "server.key"})
        m_vars.insert(QStringLiteral("{%1}").arg(QLatin1String(file)), m_certs->path(QLatin1String(file)));
}

void TestDocumentedExitCodes::cleanupTestCase()
{
    if (m_demo)
        QCOMPARE(qd({"demo", "down", "--dir", m_demo->path()}).exitCode, 0);
    m_demo.reset();
}

QString TestDocumentedExitCodes::document(const QString &name) const
{
    QFile f(
        name == QLatin1String("README.md") ? QStringLiteral(QUORUMDECK_README) : QStringLiteral(QUORUMDECK_MANPAGE));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    // The man page escapes its hyphens; the words are what a reader sees.
    return QString::fromUtf8(f.readAll()).replace(QLatin1String("\\-"), QLatin1String("-")).simplified();
}

QStringList TestDocumentedExitCodes::expand(const QStringList &args) const
{
    QStringList out;
    for (QString a : args) {
        for (auto it = m_vars.cbegin(); it != m_vars.cend(); ++it)
            a.replace(it.key(), it.value());
        out << a;
    }
    return out;
}

QString TestDocumentedExitCodes::ensureDemo()
{
    if (m_demo)
        return {};
    auto demo = std::make_unique<DemoDirectory>(QStringLiteral(QUORUMDECK_BINARY));
    // A small quota, so that NOSPACE is a few seconds of writing away.
    const CliRun up = qd({"demo", "up", "--dir", demo->path(), "--quota", "16MiB"});
    if (up.exitCode != 0)
        return QStringLiteral("demo up failed: ") + QString::fromUtf8(up.err);
    ClusterManifest manifest;
    if (const QString e = take(ClusterManifest::read(demo->path()), &manifest); !e.isEmpty())
        return e;
    m_vars.insert("{dir}", demo->path());
    m_vars.insert("{endpoints}", manifest.endpoints().join(','));
    m_demo = std::move(demo);
    m_state = Situation::Healthy;
    return {};
}

QString TestDocumentedExitCodes::waitHealthy()
{
    QDeadlineTimer deadline(TestTiming::upTo(20000));
    CliRun status;
    do {
        status = qd({"status", "--dir", m_demo->path(), "--command-timeout", "1s"});
    } while (status.exitCode != 0 && !deadline.hasExpired());
    return status.exitCode == 0 ? QString() : QStringLiteral("the demo did not become healthy again: ") + status.out;
}

QString TestDocumentedExitCodes::leave(Situation from)
{
    const QString dir = m_demo->path();
    CliRun r;
    switch (from) {
    case Situation::MemberPaused:
        r = qd({"demo", "resume", kVictim, "--dir", dir});
        break;
    case Situation::MemberKilled:
        r = qd({"demo", "restart", kVictim, "--dir", dir});
        break;
    case Situation::NetworkFault:
        r = qd({"demo", "net", "clear", "--dir", dir});
        break;
    case Situation::NoSpace:
        // The filler's old revisions go with compaction and defragmentation; then NOSPACE
        // can be disarmed.
        r = qd({"reclaim", "--compact", "--dir", dir}, 120000);
        break;
    default:
        return {};
    }
    if (r.exitCode != 0)
        return QStringLiteral("could not leave the previous row's state: ") + QString::fromUtf8(r.err);
    return waitHealthy();
}

QString TestDocumentedExitCodes::moveTo(Situation to)
{
    if (to == Situation::NoCluster || to == Situation::Interrupted)
        return {};
    if (const QString e = ensureDemo(); !e.isEmpty())
        return e;
    if (m_state == to)
        return {};
    if (const QString e = leave(m_state); !e.isEmpty())
        return e;
    m_state = Situation::Healthy;
    const QString dir = m_demo->path();
    CliRun r;
    switch (to) {
    case Situation::MemberPaused:
        r = qd({"demo", "pause", kVictim, "--dir", dir});
        break;
    case Situation::MemberKilled:
        r = qd({"demo", "kill", kVictim, "--dir", dir});
        break;
    case Situation::NetworkFault:
        r = qd({"demo", "net", "delay", kVictim, "--ms", "20", "--dir", dir});
        break;
    case Situation::NoSpace:
        r = qd({"demo", "fill", "--dir", dir}, 120000);
        break;
    default:
        r.exitCode = 0;
        break;
    }
    if (r.exitCode != 0)
        return QStringLiteral("could not set the row's state: ") + QString::fromUtf8(r.err);
    m_state = to;
    return {};
}

CliRun TestDocumentedExitCodes::runInterrupted(const QStringList &args)
{
    // The command waits on a listener that never answers; Ctrl+C arrives once it is
    // connected, i.e. surely mid-command.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), cliDataHome());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), cliConfigHome());
    p.setProcessEnvironment(env);
    p.setChildProcessModifier([] { ::setsid(); });
    p.start(QStringLiteral(QUORUMDECK_BINARY), args);
    CliRun r;
    if (!p.waitForStarted() || !QTest::qWaitFor([&] { return m_silent.hasPendingConnections(); }, 20000)) {
        p.kill();
        p.waitForFinished();
        r.err = "the command never reached the listener";
        return r;
    }
    ::kill(pid_t(p.processId()), SIGINT);
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 20000)) {
        p.kill();
        p.waitForFinished();
        r.err = "the command did not stop when interrupted";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    while (QTcpSocket *s = m_silent.nextPendingConnection())
        delete s;
    return r;
}

void TestDocumentedExitCodes::exitCode_data()
{
    QTest::addColumn<QString>("doc");
    QTest::addColumn<QString>("phrase");
    QTest::addColumn<Situation>("situation");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("says"); // stderr must contain it (any case); empty: not checked
    QTest::addColumn<int>("settleMs"); // how long the state may take to show; 0: at once
    using S = Situation;
    const QString readme = "README.md";
    const QString man = "quorumdeck.1";

    const QString statusOk = "`status` exits 0 when there is a leader and every member answers";
    const QString statusDegraded = "2 when the cluster is degraded";
    const QString statusNoAnswer = "1 when nothing answered or the arguments are wrong";
    QTest::newRow("status: healthy") << readme << statusOk << S::Healthy << QStringList {"status", "--dir", "{dir}"}
                                     << 0 << "" << 0;
    QTest::newRow("status: a member paused")
        << readme << statusDegraded << S::MemberPaused
        << QStringList {"status", "--dir", "{dir}", "--command-timeout", "500ms"} << 2 << "" << 0;
    QTest::newRow("status: a member killed")
        << readme << statusDegraded << S::MemberKilled
        << QStringList {"status", "--dir", "{dir}", "--command-timeout", "500ms"} << 2 << "" << 0;
    QTest::newRow("status: nothing answered")
        << readme << statusNoAnswer << S::NoCluster
        << QStringList {"status", "--endpoints", "{closed}", "--command-timeout", "1s"} << 1 << "no endpoint answered"
        << 0;
    QTest::newRow("status: wrong arguments")
        << readme << statusNoAnswer << S::NoCluster << QStringList {"status", "extra", "--endpoints", "{closed}"} << 1
        << "takes no arguments" << 0;

    const QString lbOk = "`lb` exits 0 when every backend is UP and nothing drifts, 2 otherwise";
    const QString lbUnread = "1 when the LB's view cannot be read";
    // HAProxy takes a backend in or out after its checks (every 500 ms): allow it a while.
    QTest::newRow("lb: all UP") << readme << lbOk << S::Healthy << QStringList {"lb", "--dir", "{dir}"} << 0 << ""
                                << 15000;
    QTest::newRow("lb: a backend DOWN") << readme << lbOk << S::MemberKilled << QStringList {"lb", "--dir", "{dir}"}
                                        << 2 << "" << 15000;
    QTest::newRow("lb: stats unreadable") << readme << lbUnread << S::NoCluster
                                          << QStringList {"lb", "--haproxy-stats", "{closed-stats}"} << 1 << "" << 0;

    const QString alarmed = "`volumes` and `alarm list` exit 2 while an alarm is raised";
    QTest::newRow("alarm list: none") << readme << alarmed << S::Healthy
                                      << QStringList {"alarm", "list", "--dir", "{dir}"} << 0 << "" << 0;
    QTest::newRow("volumes: none") << readme << alarmed << S::Healthy << QStringList {"volumes", "--dir", "{dir}"} << 0
                                   << "" << 0;
    QTest::newRow("alarm list: NOSPACE") << readme << alarmed << S::NoSpace
                                         << QStringList {"alarm", "list", "--dir", "{dir}"} << 2 << "" << 0;
    QTest::newRow("volumes: NOSPACE") << readme << alarmed << S::NoSpace << QStringList {"volumes", "--dir", "{dir}"}
                                      << 2 << "" << 0;
    QTest::newRow("volumes: a member does not answer")
        << readme << "(or, for `volumes`, a member does not answer)" << S::MemberPaused
        << QStringList {"volumes", "--dir", "{dir}", "--command-timeout", "500ms"} << 2 << "" << 0;

    const QString stepFailed = "`defrag` and `reclaim` print each step on stderr as it ends and exit 1 when a step "
                               "failed or the plan was refused";
    // With one of three members down, defragmenting another would leave no quorum.
    QTest::newRow("defrag --all: refused")
        << readme << stepFailed << S::MemberKilled << QStringList {"defrag", "--all", "--dir", "{dir}"} << 1
        << "would lose quorum" << 0;
    QTest::newRow("reclaim: refused") << readme << stepFailed << S::MemberKilled
                                      << QStringList {"reclaim", "--dir", "{dir}"} << 1 << "would lose quorum" << 0;

    const QString agree = "`check consistency` exits 0 when every voter's hash agrees";
    const QString undecided = "1 when too few members answer to decide";
    QTest::newRow("check consistency: all agree")
        << readme << agree << S::Healthy << QStringList {"check", "consistency", "--dir", "{dir}"} << 0 << "" << 0;
    QTest::newRow("check consistency: nothing answers")
        << readme << undecided << S::NoCluster
        << QStringList {"check", "consistency", "--endpoints", "{closed}", "--command-timeout", "1s"} << 1
        << "no endpoint answered" << 0;

    QTest::newRow("alerts: nothing pending")
        << readme << "`alerts` exits 2 when any alert is pending or firing, 0 when none is" << S::Healthy
        << QStringList {"alerts", "--dir", "{dir}"} << 0 << "" << 0;
    QTest::newRow("alerts: a member down")
        << readme << "`alerts` exits 2 when any alert is pending or firing" << S::MemberKilled
        << QStringList {"alerts", "--dir", "{dir}"} << 2 << "" << 0;
    QTest::newRow("alerts: nothing answers")
        << readme << "1 when the cluster cannot be reached" << S::NoCluster
        << QStringList {"alerts", "--endpoints", "{closed}", "--command-timeout", "1s"} << 1 << "" << 0;

    const QString k8s = "`k8s volumes` exits 1 when a list could not be read, saying why (an expired token, a "
                        "forbidden list, an unknown CA)";
    QTest::newRow("k8s volumes: expired token")
        << readme << k8s << S::NoCluster << QStringList {"k8s", "volumes", "--kubeconfig", "{kube-expired}"} << 1
        << "401" << 0;
    QTest::newRow("k8s volumes: forbidden list")
        << readme << k8s << S::NoCluster << QStringList {"k8s", "volumes", "--kubeconfig", "{kube-viewer}"} << 1
        << "forbidden" << 0;
    QTest::newRow("k8s volumes: unknown CA")
        << readme << k8s << S::NoCluster << QStringList {"k8s", "volumes", "--kubeconfig", "{kube-unknown-ca}"} << 1
        << "certificate" << 0;

    const QString certs = "`certs` exits 2 when any endpoint or file has a problem";
    QTest::newRow("certs: untrusted endpoint")
        << readme << certs << S::NoCluster << QStringList {"certs", "--endpoints", "https://{tls-endpoint}"} << 2 << ""
        << 0;
    QTest::newRow("certs: key of another certificate")
        << readme << certs << S::NoCluster
        << QStringList {"certs", "--endpoints", "https://{tls-endpoint}", "--cacert", "{ca.pem}", "--cert",
               "{client.pem}", "--key", "{server.key}"}
        << 2 << "" << 0;

    const QString net = "quorumdeck demo net status [-w json] | clear # exit 2 while any fault is set";
    QTest::newRow("demo net status: a delay")
        << readme << net << S::NetworkFault << QStringList {"demo", "net", "status", "--dir", "{dir}"} << 2 << "" << 0;
    QTest::newRow("demo net status: none")
        << readme << net << S::Healthy << QStringList {"demo", "net", "status", "--dir", "{dir}"} << 0 << "" << 0;

    // The man page's promises beyond the README's.
    QTest::newRow("metrics scrape: rejected lines")
        << man << "One scrape of a Prometheus /metrics endpoint, parsed. Exit 2 when lines were rejected."
        << S::NoCluster << QStringList {"metrics", "scrape", "{bad-metrics}"} << 2 << "" << 0;
    QTest::newRow("interrupted") << man << "1 on errors and bad arguments; 130 when interrupted." << S::Interrupted
                                 << QStringList {"status", "--endpoints", "{silent}", "--dial-timeout", "30s",
                                        "--command-timeout", "30s"}
                                 << 130 << "" << 0;
}

void TestDocumentedExitCodes::exitCode()
{
    QFETCH(QString, doc);
    QFETCH(QString, phrase);
    QFETCH(Situation, situation);
    QFETCH(QStringList, args);
    QFETCH(int, expected);
    QFETCH(QString, says);
    QFETCH(int, settleMs);

    QVERIFY2(document(doc).contains(phrase), qPrintable(doc + " no longer says: " + phrase));

    const bool needsCertificates = args.join(' ').contains("{kube-") || args.join(' ').contains("{tls-endpoint}");
    if (needsCertificates && !m_certs->ok()) {
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QD_SKIP_WITHOUT("openssl", "the test makes its certificates with it");
        QFAIL(qPrintable(m_certs->error()));
    }
    if (situation != Situation::NoCluster && situation != Situation::Interrupted) {
        if (!LocalCluster::locateEtcd({}).ok())
            QD_SKIP_WITHOUT("etcd", "the demo cluster runs it");
        if (args.first() == QLatin1String("lb") && LocalCluster::locateHaproxy().isEmpty())
            QD_SKIP_WITHOUT("haproxy", "the demo's load balancer runs it");
    }
    const QString notThere = moveTo(situation);
    QVERIFY2(notThere.isEmpty(), qPrintable(notThere));

    const QStringList command = expand(args);
    CliRun r;
    if (situation == Situation::Interrupted) {
        r = runInterrupted(command);
    } else {
        QDeadlineTimer settled(TestTiming::upTo(settleMs));
        do {
            r = qd(command);
        } while (r.exitCode != expected && !settled.hasExpired());
    }
    QVERIFY2(r.exitCode == expected,
        qPrintable(QStringLiteral("quorumdeck %1\nexited %2, not %3\nstdout: %4\nstderr: %5")
                       .arg(command.join(' '))
                       .arg(r.exitCode)
                       .arg(expected)
                       .arg(QString::fromUtf8(r.out), QString::fromUtf8(r.err))));
    if (!says.isEmpty())
        QVERIFY2(QString::fromUtf8(r.err).contains(says, Qt::CaseInsensitive), r.err.constData());
    if (expected == 1 && situation != Situation::Interrupted)
        QVERIFY2(!r.err.trimmed().isEmpty(), "an exit code of 1 must come with a reason");
}

QTEST_GUILESS_MAIN(TestDocumentedExitCodes)
#include "tst_documented_exitcodes.moc"

#include "demo/LocalCluster.h"
#include "demo/PortAllocator.h"
#include "profile/ClusterManifest.h"
#include "support/CliRun.h"
#include "support/DemoDirectory.h"
#include "support/DemoLoadBalancer.h"
#include "support/ResultText.h"
#include "support/TestSkip.h"
#include "support/TestTiming.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <memory>
#include <optional>
#include <sys/stat.h>

/// The operations README.md shows on the command line, each run for real against a demo
/// cluster and checked with the reference tools (etcdctl, etcd's own /metrics, HAProxy's
/// own pages): the README still shows it, and it does what the README says.
///
/// Rows share their demo clusters: one with a 16 MiB quota for most rows, and one-member
/// clusters for --tls and --auth. Each is taken down when the test ends, however it ends.
class TestDocumentedOperations : public QObject {
    Q_OBJECT

public:
    enum class Demo { Quota16MiB, Tls, Auth };
    Q_ENUM(Demo)
    enum class Operation { UpQuota, LbStats, LbSocket, DefragAll, MemberPromote, Fill, Reclaim, UpTls, UpAuth };
    Q_ENUM(Operation)

private slots:
    void initTestCase();
    void operation_data();
    void operation();

private:
    struct Running {
        std::unique_ptr<DemoDirectory> dir;
        ClusterManifest manifest;
        QByteArray upOutput;
    };
    /// The shared demo of this kind, started on first use (nullptr after a failed start).
    Running *demo(Demo kind);

    void upQuota(const Running &d);
    void lbReadFrom(const Running &d, const QString &flag, const QString &where);
    void defragAll(const Running &d);
    void memberPromote(const Running &d);
    void fill(const Running &d);
    void reclaim(const Running &d);
    void upTls(const Running &d);
    void upAuth(const Running &d);

    QString m_readme;
    std::map<Demo, Running> m_demos;
};

namespace {

CliRun qd(const QStringList &args, int timeoutMs = 60000)
{
    return runQuorumdeck(args, timeoutMs);
}

/// etcdctl (v3 API), the reference client, run as an operator runs it.
CliRun etcdctl(const QStringList &args, int timeoutMs = 30000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ETCDCTL_API"), QStringLiteral("3"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("etcdctl"), QStringList {"--dial-timeout=2s", "--command-timeout=5s"} + args);
    CliRun r;
    if (!p.waitForStarted() || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "etcdctl did not finish";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString endpointsFlag(const ClusterManifest &m)
{
    return QStringLiteral("--endpoints=") + m.endpoints().join(',');
}

/// Each member's database size in bytes, by endpoint, as etcd reports it.
QHash<QString, qint64> dbSizes(const ClusterManifest &m)
{
    QHash<QString, qint64> sizes;
    const CliRun r = etcdctl({endpointsFlag(m), "endpoint", "status", "-w", "json"});
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array()) {
        const QJsonObject o = v.toObject();
        sizes.insert(o.value("Endpoint").toString(), o.value("Status").toObject().value("dbSize").toInteger());
    }
    return sizes;
}

/// The body of an HTTP GET, or an empty array.
QByteArray httpGet(const QString &url)
{
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(nam.get(QNetworkRequest(QUrl(url))));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10000))
        return {};
    return reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
}

/// A sample's value from a Prometheus text page, NaN when it is not there.
double sample(const QByteArray &page, const QByteArray &name)
{
    for (const QByteArray &line : page.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).trimmed().toDouble();
    }
    return qQNaN();
}

/// An etcd member started by hand, as an operator starts one that `member add` announced.
/// Killed when the test ends.
struct HandStartedMember {
    QTemporaryDir dataDir;
    QProcess process;
    ~HandStartedMember()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(10000);
        }
    }
};

} // namespace

void TestDocumentedOperations::initTestCase()
{
    QFile readme(QStringLiteral(QUORUMDECK_README));
    QVERIFY2(readme.open(QIODevice::ReadOnly), qPrintable(readme.fileName()));
    m_readme = QString::fromUtf8(readme.readAll()).simplified();
    if (!LocalCluster::locateEtcd({}).ok())
        QD_SKIP_WITHOUT("etcd", "the demo cluster runs it");
    if (QStandardPaths::findExecutable(QStringLiteral("etcdctl")).isEmpty())
        QD_SKIP_WITHOUT("etcdctl", "it is the reference the operations are checked with");
}

TestDocumentedOperations::Running *TestDocumentedOperations::demo(Demo kind)
{
    if (auto it = m_demos.find(kind); it != m_demos.end())
        return it->second.dir ? &it->second : nullptr;
    Running &d = m_demos[kind];
    auto dir = std::make_unique<DemoDirectory>(QStringLiteral(QUORUMDECK_BINARY));
    QStringList args {"demo", "up", "--dir", dir->path()};
    if (kind == Demo::Quota16MiB)
        args << "--quota"
             << "16MiB";
    else
        args << "--members"
             << "1" << (kind == Demo::Tls ? "--tls" : "--auth");
    const CliRun up = qd(args, 120000);
    if (up.exitCode != 0) {
        qWarning("demo up failed: %s", up.err.constData());
        return nullptr; // the DemoDirectory takes down whatever was started
    }
    if (const QString e = take(ClusterManifest::read(dir->path()), &d.manifest); !e.isEmpty()) {
        qWarning("%s", qPrintable(e));
        return nullptr;
    }
    d.upOutput = up.out;
    d.dir = std::move(dir);
    return &d;
}

void TestDocumentedOperations::operation_data()
{
    QTest::addColumn<QString>("phrase");
    QTest::addColumn<Demo>("demo");
    QTest::addColumn<Operation>("operation");
    using O = Operation;
    const QString lb = "quorumdeck lb --haproxy-stats URL | --haproxy-socket PATH [--backend NAME] [--endpoints ...]";

    QTest::newRow("demo up --quota")
        << "so that the alarm and the runbook can be tried (`quorumdeck demo up --quota 16MiB`)" << Demo::Quota16MiB
        << O::UpQuota;
    QTest::newRow("lb --haproxy-stats URL") << lb << Demo::Quota16MiB << O::LbStats;
    QTest::newRow("lb --haproxy-socket PATH") << lb << Demo::Quota16MiB << O::LbSocket;
    QTest::newRow("defrag --all") << "quorumdeck defrag MEMBER | defrag --all [--pause 5s] [--min-free SIZE] # never "
                                     "the leader in place"
                                  << Demo::Quota16MiB << O::DefragAll;
    QTest::newRow("member promote")
        << "quorumdeck member list | add NAME --peer-urls URLS [--learner] | remove MEMBER [--force] | promote MEMBER"
        << Demo::Quota16MiB << O::MemberPromote;
    QTest::newRow("demo fill") << "quorumdeck demo up --quota 16MiB && quorumdeck demo fill # raise NOSPACE on purpose"
                               << Demo::Quota16MiB << O::Fill;
    QTest::newRow("reclaim") << "quorumdeck reclaim [--compact] [--pause 5s] [--min-free SIZE] # compact, defragment "
                                "each member, disarm NOSPACE"
                             << Demo::Quota16MiB << O::Reclaim;
    QTest::newRow("demo up --tls") << "`quorumdeck demo up --tls` makes a CA and server, peer and client certificates "
                                      "in `DIR/pki` (keys mode 0600) and starts the members with client-certificate "
                                      "authentication on client and peer URLs"
                                   << Demo::Tls << O::UpTls;
    QTest::newRow("demo up --auth")
        << "`--auth` turns on etcd authentication with a root user whose generated password is printed once and "
           "stored nowhere"
        << Demo::Auth << O::UpAuth;
}

void TestDocumentedOperations::operation()
{
    QFETCH(QString, phrase);
    QFETCH(Demo, demo);
    QFETCH(Operation, operation);

    QVERIFY2(m_readme.contains(phrase), qPrintable("README.md no longer says: " + phrase));
    const Running *d = this->demo(demo);
    QVERIFY2(d, "the demo cluster did not start (see the warning above)");
    switch (operation) {
    case Operation::UpQuota:
        return upQuota(*d);
    case Operation::LbStats:
        return lbReadFrom(*d, "--haproxy-stats", d->manifest.lb.statsUrl);
    case Operation::LbSocket:
        return lbReadFrom(*d, "--haproxy-socket", d->manifest.lb.socketPath);
    case Operation::DefragAll:
        return defragAll(*d);
    case Operation::MemberPromote:
        return memberPromote(*d);
    case Operation::Fill:
        return fill(*d);
    case Operation::Reclaim:
        return reclaim(*d);
    case Operation::UpTls:
        return upTls(*d);
    case Operation::UpAuth:
        return upAuth(*d);
    }
}

void TestDocumentedOperations::upQuota(const Running &d)
{
    QCOMPARE(d.manifest.members.size(), 3);
    for (const LocalMember &m : d.manifest.members) {
        const QByteArray page = httpGet(m.clientUrl + "/metrics");
        QVERIFY2(!page.isEmpty(), qPrintable(m.clientUrl));
        QCOMPARE(sample(page, "etcd_server_quota_backend_bytes"), 16.0 * 1024 * 1024);
    }
}

void TestDocumentedOperations::lbReadFrom(const Running &d, const QString &flag, const QString &where)
{
    QD_REQUIRE_DEMO_LB(d.manifest.lb.running(), d.manifest.lb.unavailable);
    QVERIFY(!where.isEmpty());
    const QStringList args {"lb", flag, where, endpointsFlag(d.manifest), "-w", "json"};
    // HAProxy puts a backend in rotation after its first passing check.
    QDeadlineTimer deadline(TestTiming::upTo(15000));
    CliRun r;
    do {
        r = qd(args);
    } while (r.exitCode != 0 && !deadline.hasExpired());
    QVERIFY2(r.exitCode == 0, r.out + r.err);
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("source").toString(), where);
    const QJsonArray backends = o.value("backends").toArray();
    QCOMPARE(backends.size(), d.manifest.members.size());
    QStringList members;
    for (const QJsonValue &v : backends) {
        QCOMPARE(v.toObject().value("lbStatus").toString(), QStringLiteral("UP"));
        members << v.toObject().value("member").toString();
    }
    members.sort();
    QCOMPARE(members, QStringList({"etcd1", "etcd2", "etcd3"}));
}

void TestDocumentedOperations::defragAll(const Running &d)
{
    // Old revisions to give back: overwritten values, then compacted away.
    const CliRun written = qd({"demo", "fill", "--size", "4MiB", "--dir", d.dir->path()});
    QVERIFY2(written.exitCode == 0, written.err.constData());
    const CliRun status = etcdctl({endpointsFlag(d.manifest), "endpoint", "status", "-w", "json"});
    const QJsonArray statuses = QJsonDocument::fromJson(status.out).array();
    QVERIFY2(!statuses.isEmpty(), status.err.constData());
    const QJsonObject first = statuses.first().toObject().value("Status").toObject();
    const qint64 revision = first.value("header").toObject().value("revision").toInteger();
    QVERIFY(revision > 0);
    // The leader by name: its id (decimal in etcdctl's JSON) in the member list.
    const double leaderId = first.value("leader").toDouble();
    const CliRun list = etcdctl({endpointsFlag(d.manifest), "member", "list", "-w", "json"});
    QString leaderName;
    for (const QJsonValue &v : QJsonDocument::fromJson(list.out).object().value("members").toArray()) {
        if (v.toObject().value("ID").toDouble() == leaderId)
            leaderName = v.toObject().value("name").toString();
    }
    QVERIFY2(!leaderName.isEmpty(), list.out.constData());
    const CliRun compacted = etcdctl({endpointsFlag(d.manifest), "compact", QString::number(revision), "--physical"});
    QVERIFY2(compacted.exitCode == 0, compacted.err.constData());
    const QHash<QString, qint64> before = dbSizes(d.manifest);
    QCOMPARE(before.size(), d.manifest.members.size());

    const CliRun defrag = qd({"defrag", "--all", "--dir", d.dir->path()}, 120000);
    QVERIFY2(defrag.exitCode == 0, defrag.err.constData());

    // Every member smaller, as etcd itself reports it.
    const QHash<QString, qint64> after = dbSizes(d.manifest);
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QVERIFY2(after.value(it.key()) < it.value(),
            qPrintable(QStringLiteral("%1: %2 -> %3").arg(it.key()).arg(it.value()).arg(after.value(it.key()))));

    // One member at a time, each said on stderr as it ends, the leader last, after leadership
    // moved off it ("defragment etcd2 (leadership moved to etcd3): done (…)").
    static const QRegularExpression done(QStringLiteral("^defragment (\\S+)( \\(leadership moved to \\S+\\))?: done"));
    QStringList finished;
    bool moved = false;
    for (const QByteArray &line : defrag.err.split('\n')) {
        const QRegularExpressionMatch m = done.match(QString::fromUtf8(line));
        if (m.hasMatch()) {
            finished << m.captured(1);
            moved = !m.captured(2).isEmpty();
        }
    }
    QCOMPARE(finished.size(), d.manifest.members.size());
    QVERIFY2(finished.last() == leaderName && moved, defrag.err.constData());
}

void TestDocumentedOperations::memberPromote(const Running &d)
{
    const Result<QList<quint16>> found = PortAllocator::freePorts(2);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QCOMPARE(ports.size(), 2);
    const QString peerUrl = QStringLiteral("http://127.0.0.1:%1").arg(ports.at(0));
    const QString clientUrl = QStringLiteral("http://127.0.0.1:%1").arg(ports.at(1));
    const QString dir = d.dir->path();

    const CliRun added = qd({"member", "add", "etcd4", "--learner", "--peer-urls", peerUrl, "--dir", dir});
    QVERIFY2(added.exitCode == 0, added.err.constData());
    // Whatever happens next, the cluster goes back to its three members.
    auto removeAtEnd = qScopeGuard([&] { qd({"member", "remove", "etcd4", "--dir", dir}); });
    const QRegularExpressionMatch initial
        = QRegularExpression("ETCD_INITIAL_CLUSTER=\"([^\"]+)\"").match(QString::fromUtf8(added.out));
    QVERIFY2(initial.hasMatch(), added.out.constData());

    auto learnerFlag = [&]() -> std::optional<bool> {
        const CliRun list = etcdctl({endpointsFlag(d.manifest), "member", "list", "-w", "json"});
        for (const QJsonValue &v : QJsonDocument::fromJson(list.out).object().value("members").toArray()) {
            const QJsonObject m = v.toObject();
            if (m.value("peerURLs").toArray().contains(peerUrl))
                return m.value("isLearner").toBool(); // etcdctl leaves the key out for voters
        }
        return std::nullopt;
    };
    QCOMPARE(learnerFlag(), std::optional<bool>(true));

    // The new member's process, started the way `member add` told.
    HandStartedMember member;
    QVERIFY(member.dataDir.isValid());
    member.process.setProcessChannelMode(QProcess::MergedChannels);
    member.process.setStandardOutputFile(QDir(member.dataDir.path()).filePath("etcd.log"));
    member.process.start(QStringLiteral("etcd"),
        {"--name", "etcd4", "--data-dir", QDir(member.dataDir.path()).filePath("data"), "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl, "--listen-client-urls", clientUrl, "--advertise-client-urls",
            clientUrl, "--initial-cluster", initial.captured(1), "--initial-cluster-state", "existing"});
    QVERIFY(member.process.waitForStarted());

    // etcd promotes a learner only once it has caught up with the leader.
    QDeadlineTimer deadline(TestTiming::upTo(30000));
    CliRun promoted;
    do {
        promoted = qd({"member", "promote", "etcd4", "--dir", dir});
    } while (promoted.exitCode != 0 && !deadline.hasExpired() && member.process.state() == QProcess::Running);
    QVERIFY2(promoted.exitCode == 0, promoted.err.constData());
    QCOMPARE(learnerFlag(), std::optional<bool>(false));

    removeAtEnd.dismiss();
    const CliRun removed = qd({"member", "remove", "etcd4", "--dir", dir});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QCOMPARE(learnerFlag(), std::optional<bool>());
}

void TestDocumentedOperations::fill(const Running &d)
{
    const CliRun filled = qd({"demo", "fill", "--dir", d.dir->path()}, 120000);
    QVERIFY2(filled.exitCode == 0, filled.err.constData());
    const CliRun alarms = etcdctl({endpointsFlag(d.manifest), "alarm", "list"});
    QVERIFY2(alarms.out.contains("alarm:NOSPACE"), alarms.out + alarms.err);
    const CliRun put = etcdctl({endpointsFlag(d.manifest), "put", "after-fill", "x"});
    QVERIFY(put.exitCode != 0);
    QVERIFY2(put.err.contains("database space exceeded"), put.err.constData());
}

void TestDocumentedOperations::reclaim(const Running &d)
{
    if (!etcdctl({endpointsFlag(d.manifest), "alarm", "list"}).out.contains("alarm:NOSPACE")) {
        const CliRun filled = qd({"demo", "fill", "--dir", d.dir->path()}, 120000);
        QVERIFY2(filled.exitCode == 0, filled.err.constData());
    }
    QVERIFY(etcdctl({endpointsFlag(d.manifest), "alarm", "list"}).out.contains("alarm:NOSPACE"));

    const CliRun reclaimed = qd({"reclaim", "--compact", "--dir", d.dir->path()}, 180000);
    QVERIFY2(reclaimed.exitCode == 0, reclaimed.err.constData());
    const CliRun alarms = etcdctl({endpointsFlag(d.manifest), "alarm", "list"});
    QCOMPARE(alarms.exitCode, 0);
    QVERIFY2(alarms.out.trimmed().isEmpty(), alarms.out.constData());
    const CliRun put = etcdctl({endpointsFlag(d.manifest), "put", "after-reclaim", "x"});
    QVERIFY2(put.exitCode == 0, put.err.constData());
}

void TestDocumentedOperations::upTls(const Running &d)
{
    const LocalTls &tls = d.manifest.tls;
    QVERIFY(tls.enabled());
    const QString pki = QDir(d.dir->path()).filePath("pki");
    for (const QString &file : {tls.caFile, tls.certFile, tls.keyFile, tls.serverCertFile, tls.serverKeyFile,
             tls.peerCertFile, tls.peerKeyFile}) {
        QVERIFY2(QFileInfo(file).absolutePath() == pki && QFile::exists(file), qPrintable(file));
    }
    for (const QString &key : {tls.keyFile, tls.serverKeyFile, tls.peerKeyFile}) {
        struct stat st { };
        QCOMPARE(::stat(QFile::encodeName(key).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
    }

    const LocalMember &m = d.manifest.members.first();
    QVERIFY(m.clientUrl.startsWith("https://"));
    QVERIFY(m.peerUrl.startsWith("https://"));
    const QString endpoint = "--endpoints=" + m.clientUrl;
    const CliRun withCert = etcdctl(
        {endpoint, "--cacert=" + tls.caFile, "--cert=" + tls.certFile, "--key=" + tls.keyFile, "put", "tls", "yes"});
    QVERIFY2(withCert.exitCode == 0, withCert.err.constData());
    const CliRun noCert = etcdctl({endpoint, "--cacert=" + tls.caFile, "put", "tls", "no"});
    QVERIFY2(noCert.exitCode != 0, "a client without a certificate was served");
    const CliRun plain
        = etcdctl({"--endpoints=" + QString(m.clientUrl).replace("https://", "http://"), "put", "tls", "plain"});
    QVERIFY2(plain.exitCode != 0, "plain HTTP was served");

    // Peers must present certificates too: the member was started to demand them.
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(m.pid));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    const QList<QByteArray> argv = cmdline.readAll().split('\0');
    QVERIFY(argv.contains("--client-cert-auth"));
    QVERIFY(argv.contains("--peer-client-cert-auth"));
}

void TestDocumentedOperations::upAuth(const Running &d)
{
    QCOMPARE(d.manifest.authUser, QStringLiteral("root"));
    const QRegularExpressionMatch shown
        = QRegularExpression("password is\\s+(\\S+)").match(QString::fromUtf8(d.upOutput));
    QVERIFY2(shown.hasMatch(), d.upOutput.constData());
    const QString password = shown.captured(1);
    const QString endpoint = "--endpoints=" + d.manifest.members.first().clientUrl;

    const CliRun anonymous = etcdctl({endpoint, "put", "auth", "no"});
    QVERIFY2(anonymous.exitCode != 0, "a client without a user was served");
    const CliRun wrong = etcdctl({endpoint, "--user=root:not-" + password, "put", "auth", "no"});
    QVERIFY2(wrong.exitCode != 0 && wrong.err.contains("authentication failed"), wrong.err.constData());
    const CliRun root = etcdctl({endpoint, "--user=root:" + password, "put", "auth", "yes"});
    QVERIFY2(root.exitCode == 0, root.err.constData());

    // Printed once: not in what the demo keeps, nor in what it prints later.
    QFile manifest(d.manifest.path());
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    QVERIFY(!manifest.readAll().contains(password.toUtf8()));
    const CliRun status = qd({"demo", "status", "--dir", d.dir->path()});
    QCOMPARE(status.exitCode, 0);
    QVERIFY(!status.out.contains(password.toUtf8()));
}

QTEST_GUILESS_MAIN(TestDocumentedOperations)
#include "tst_documented_operations.moc"

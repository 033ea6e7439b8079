#include "cluster/MemberOps.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/TestTiming.h"
#include "tls/CertificateAuthority.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

/// A demo cluster with etcd authentication on (plain HTTP, so that passwords and tokens are
/// what identifies a client) and a short token lifetime.
class AuthIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void rightPasswordWorks();
    void wrongPasswordFailsClearly();
    void expiredTokenIsRenewedUnnoticed();
    void memberOperationsNeedTheRootRole();
    void backupOfAnAuthenticatedClusterVerifies();
    void noSecretIsWrittenAnywhere();
    void clientCertificateNameIsTheIdentity();
    void membersWithoutQuorumStillShowTheirStatus();

private:
    ConnectionSettings as(const QString &user, const QString &password) const;

    DemoClusterFixture m_demo;
    QString m_rootPassword;
    static constexpr int kTokenTtlSeconds = 2;
    static constexpr const char *kViewerPassword = "viewer-secret-7f3a";
    static constexpr const char *kRenewerPassword = "renewer-secret-41c9";
};

void AuthIntegrationTest::initTestCase()
{
    LocalClusterOptions options;
    options.auth = true;
    options.authTokenTtlSeconds = kTokenTtlSeconds;
    const OperationResult r = m_demo.start(options);
    QVERIFY2(r.ok(), qPrintable(r.sentence));
    m_rootPassword = r.details.value(QStringLiteral("rootPassword")).toString();
    QVERIFY(m_rootPassword.size() >= 20);
    QCOMPARE(m_demo.cluster().manifest().authUser, QStringLiteral("root"));
}

ConnectionSettings AuthIntegrationTest::as(const QString &user, const QString &password) const
{
    ConnectionSettings s = m_demo.settings();
    s.user = user;
    s.password = password;
    return s;
}

void AuthIntegrationTest::rightPasswordWorks()
{
    EtcdClient client(as("root", m_rootPassword));
    ClusterMonitor monitor(&client);
    QVERIFY(QTest::qWaitFor([&] { return takeSnapshot(monitor).isHealthy(); }, 20000));

    const CliRun withPassword = runQuorumdeck({"status", "--dir", m_demo.dir(), "--password", m_rootPassword});
    QCOMPARE(withPassword.exitCode, 0);
    const CliRun inUser = runQuorumdeck(
        {"member", "list", "--endpoints", m_demo.endpoints().join(','), "--user", "root:" + m_rootPassword});
    QCOMPARE(inUser.exitCode, 0);
    QVERIFY(inUser.out.contains("etcd1"));
}

void AuthIntegrationTest::wrongPasswordFailsClearly()
{
    EtcdClient client(as("root", "not-the-password"));
    std::optional<EtcdResult<StatusInfo>> r;
    client.status(m_demo.endpoints().first(), nullptr, [&](const EtcdResult<StatusInfo> &s) { r = s; });
    QVERIFY(QTest::qWaitFor([&] { return r.has_value(); }, 10000));
    QVERIFY(!r->ok());
    QVERIFY2(
        r->error.message.contains("authentication failed, invalid user ID or password"), qPrintable(r->error.message));
    QVERIFY2(r->error.sentence.contains("wrong user name or password"), qPrintable(r->error.sentence));

    const CliRun cli = runQuorumdeck({"status", "--dir", m_demo.dir(), "--password", "not-the-password"});
    QCOMPARE(cli.exitCode, 1);
    QVERIFY2(cli.err.contains("wrong user name or password"), cli.err.constData());
    // Without a terminal to ask on, a missing password is refused the same way.
    const CliRun none = runQuorumdeck({"status", "--dir", m_demo.dir()});
    QCOMPARE(none.exitCode, 1);
}

void AuthIntegrationTest::expiredTokenIsRenewedUnnoticed()
{
    const QString endpoint = m_demo.endpoints().first();
    // A user of this function's own (with the root role), so that the member's log line
    // about a token of that user's ending is about this client's token and no other's.
    EtcdClient root(as("root", m_rootPassword));
    auto ok = [&](const std::function<void(EtcdCallback<ResponseHeaderInfo>)> &f) {
        std::optional<EtcdResult<ResponseHeaderInfo>> r;
        f([&](const EtcdResult<ResponseHeaderInfo> &x) { r = x; });
        (void)QTest::qWaitFor([&] { return r.has_value(); }, 10000);
        return r && r->ok();
    };
    QVERIFY(ok([&](auto done) { root.userAdd(endpoint, "renewer", kRenewerPassword, nullptr, done); }));
    QVERIFY(ok([&](auto done) { root.userGrantRole(endpoint, "renewer", "root", nullptr, done); }));

    EtcdClient client(as("renewer", kRenewerPassword));
    // A read checks the token (Status does not look at it).
    auto status = [&] {
        std::optional<EtcdResult<RangeInfo>> r;
        client.range(endpoint, "/app/x", {}, false, nullptr, [&](const EtcdResult<RangeInfo> &s) { r = s; });
        (void)QTest::qWaitFor([&] { return r.has_value(); }, 10000);
        return r;
    };
    auto first = status();
    QVERIFY(first && first->ok());
    QCOMPARE(client.authentications(), 1);
    // etcd drops a simple token once it has been idle for its TTL, and says so in its log;
    // using it refreshes it, so the only way to an expired token is to leave it unused
    // until the member that checks it has dropped it.
    const LocalMember *member = nullptr;
    for (const LocalMember &m : m_demo.cluster().manifest().members) {
        if (m.clientUrl == endpoint)
            member = &m;
    }
    QVERIFY(member);
    auto dropped = [&] {
        QFile log(member->logFile);
        if (!log.open(QIODevice::ReadOnly))
            return false;
        for (const QByteArray &line : log.readAll().split('\n')) {
            if (line.contains("deleted a simple token") && line.contains("\"renewer\""))
                return true;
        }
        return false;
    };
    QVERIFY2(QTest::qWaitFor(dropped, TestTiming::upTo((kTokenTtlSeconds + 5) * 1000)),
        qPrintable(member->logFile + " never says the token of renewer was deleted"));
    auto second = status();
    QVERIFY(second.has_value());
    QVERIFY2(second->ok(), qPrintable(second->error.sentence));
    QCOMPARE(client.authentications(), 2); // the expired token was renewed, and the call succeeded
}

void AuthIntegrationTest::memberOperationsNeedTheRootRole()
{
    const QString endpoint = m_demo.endpoints().first();
    EtcdClient root(as("root", m_rootPassword));
    auto ok = [](const std::optional<EtcdResult<ResponseHeaderInfo>> &r) { return r && r->ok(); };
    auto call = [&](const std::function<void(EtcdCallback<ResponseHeaderInfo>)> &f) {
        std::optional<EtcdResult<ResponseHeaderInfo>> r;
        f([&](const EtcdResult<ResponseHeaderInfo> &x) { r = x; });
        (void)QTest::qWaitFor([&] { return r.has_value(); }, 10000);
        return r;
    };
    QVERIFY(ok(call([&](auto done) { root.roleAdd(endpoint, "app", nullptr, done); })));
    QVERIFY(ok(call([&](auto done) { root.roleGrantReadWrite(endpoint, "app", "/app/", "/app0", nullptr, done); })));
    QVERIFY(ok(call([&](auto done) { root.userAdd(endpoint, "viewer", kViewerPassword, nullptr, done); })));
    QVERIFY(ok(call([&](auto done) { root.userGrantRole(endpoint, "viewer", "app", nullptr, done); })));

    // As root, a leader transfer goes through.
    ClusterMonitor rootMonitor(&root);
    const ClusterSnapshot s = takeSnapshot(rootMonitor);
    QVERIFY(s.isHealthy());
    MemberOps rootOps(&root);
    const OperationResult moved = awaitOperation([&](OperationCallback done) { rootOps.moveLeader(s, {}, done); });
    QVERIFY2(moved.ok(), qPrintable(moved.sentence));

    // As a user without the root role, it is refused with the permission sentence.
    EtcdClient viewer(as("viewer", kViewerPassword));
    ClusterMonitor viewerMonitor(&viewer);
    ClusterSnapshot seen;
    QVERIFY(QTest::qWaitFor(
        [&] {
            seen = takeSnapshot(viewerMonitor);
            return seen.isHealthy();
        },
        20000));
    MemberOps viewerOps(&viewer);
    const OperationResult refused = awaitOperation(
        [&](OperationCallback done) { viewerOps.addMember(seen, "etcd9", {"http://127.0.0.1:1"}, true, done); });
    QVERIFY(!refused.ok());
    QVERIFY2(refused.sentence.contains("the user lacks the permission for this (member changes need the root role)"),
        qPrintable(refused.sentence));
    const CliRun cli = runQuorumdeck({"member", "add", "etcd9", "--peer-urls", "http://127.0.0.1:1", "--dir",
        m_demo.dir(), "--user", QStringLiteral("viewer:%1").arg(kViewerPassword)});
    QCOMPARE(cli.exitCode, 1);
    QVERIFY2(cli.err.contains("member changes need the root role"), cli.err.constData());
}

void AuthIntegrationTest::backupOfAnAuthenticatedClusterVerifies()
{
    EtcdClient root(as("root", m_rootPassword));
    std::optional<EtcdResult<ResponseHeaderInfo>> put;
    root.put(m_demo.endpoints().first(), "/backed-up", "yes", nullptr, [&](const auto &r) { put = r; });
    QVERIFY(QTest::qWaitFor([&] { return put.has_value(); }, 10000));
    QVERIFY2(put->ok(), qPrintable(put->error.sentence));

    // etcd streams snapshots to the root user only.
    const QString dir = m_demo.dir() + QStringLiteral("/backups");
    const QStringList connection {"--endpoints", m_demo.endpoints().join(','), "--to", dir};
    const CliRun refused = runQuorumdeck(QStringList {"backup", "save"} + connection);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("requires authentication"), refused.err.constData());
    QVERIFY(!QFileInfo::exists(dir) || QDir(dir).isEmpty());

    const CliRun saved
        = runQuorumdeck(QStringList {"backup", "save", "--user", "root:" + m_rootPassword, "-w", "json"} + connection);
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    const QJsonObject manifest = QJsonDocument::fromJson(saved.out).object();
    const QString file = dir + '/' + manifest["file"].toString();
    QVERIFY(manifest.contains("hashKV"));

    // The restored member keeps authentication on: without credentials the revision is
    // checked and the rest is said to be out of reach; with them, keys and HashKV are read.
    const CliRun bare = runQuorumdeck({"backup", "verify", file, "-w", "json"});
    QVERIFY2(bare.exitCode == 0, bare.err.constData());
    const QJsonObject without = QJsonDocument::fromJson(bare.out).object();
    QCOMPARE(without["state"].toString(), QStringLiteral("verified"));
    QCOMPARE(without["revision"].toInteger(), manifest["revision"].toInteger());
    QVERIFY(!without.contains("keys"));
    QVERIFY2(without["checks"].toArray().last().toString().contains("give --user"), bare.out.constData());

    const CliRun full = runQuorumdeck({"backup", "verify", file, "--user", "root:" + m_rootPassword, "-w", "json"});
    QVERIFY2(full.exitCode == 0, full.err.constData());
    const QJsonObject with = QJsonDocument::fromJson(full.out).object();
    QCOMPARE(with["state"].toString(), QStringLiteral("verified"));
    QVERIFY(with["keys"].toInteger() > 0);
    QCOMPARE(with["hashKV"].toInteger(), manifest["hashKV"].toInteger());
}

void AuthIntegrationTest::noSecretIsWrittenAnywhere()
{
    // What the CLI did above was journalled; the demo wrote its manifest and logs.
    const QByteArray secrets[] = {m_rootPassword.toUtf8(), QByteArray(kViewerPassword), QByteArray(kRenewerPassword)};
    int files = 0;
    for (const QString &root : {m_demo.dir(), cliDataHome()}) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            // etcd's own storage is etcd's business: 3.4 keeps a new user's password in its
            // write-ahead log until compaction (3.5 is sent a hash instead).
            if (path.contains(QLatin1String(".data/")))
                continue;
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            const QByteArray contents = f.readAll();
            for (const QByteArray &secret : secrets)
                QVERIFY2(!contents.contains(secret), qPrintable(f.fileName()));
        }
    }
    QVERIFY(files > 4); // the manifest, the logs, the journal at least
    QVERIFY(QFile::exists(cliDataHome() + "/QuorumDeck/quorumdeck/journal.sqlite"));
}

void AuthIntegrationTest::clientCertificateNameIsTheIdentity()
{
    // With TLS and authentication, the client certificate's CN is the user: no password.
    DemoClusterFixture secure;
    LocalClusterOptions options;
    options.members = 1;
    options.tls = true;
    options.auth = true;
    const OperationResult up = secure.start(options);
    QVERIFY2(up.ok(), qPrintable(up.sentence));
    const ConnectionSettings asRoot = secure.settings();
    QVERIFY(asRoot.user.isEmpty());
    QVERIFY(asRoot.tls.enabled());

    const CliRun list = runQuorumdeck({"member", "list", "--dir", secure.dir()});
    QCOMPARE(list.exitCode, 0);
    // Member changes as root (CN root): add a learner and remove it again.
    const CliRun added = runQuorumdeck({"member", "add", "extra", "--learner", "--peer-urls", "https://127.0.0.1:1",
        "--dir", secure.dir(), "-w", "json"});
    QCOMPARE(added.exitCode, 0);
    const CliRun removed = runQuorumdeck({"member", "remove", "extra", "--dir", secure.dir()});
    QVERIFY2(removed.exitCode == 0 || removed.err.contains("extra"), removed.err.constData());

    // A certificate for another user (CN viewer, a user without the root role) is refused them.
    EtcdClient root(asRoot);
    const QString endpoint = secure.endpoints().first();
    std::optional<EtcdResult<ResponseHeaderInfo>> r;
    root.userAdd(endpoint, "viewer", kViewerPassword, nullptr, [&](const auto &x) { r = x; });
    QVERIFY(QTest::qWaitFor([&] { return r.has_value(); }, 10000));
    QVERIFY2(r->ok(), qPrintable(r->error.sentence));
    CertificateAuthority ca;
    const QString pki = QDir(secure.dir()).filePath("pki/");
    QCOMPARE(ca.load(pki + "ca.pem", pki + "ca-key.pem").problem(), QString());
    CertificateRequest request;
    request.commonName = "viewer";
    request.use = CertificateUse::Client;
    QCOMPARE(ca.issue(request, pki + "viewer.pem", pki + "viewer-key.pem").problem(), QString());
    const CliRun refused = runQuorumdeck({"member", "add", "other", "--peer-urls", "https://127.0.0.1:2", "--endpoints",
        endpoint, "--cacert", pki + "ca.pem", "--cert", pki + "viewer.pem", "--key", pki + "viewer-key.pem"});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("member changes need the root role"), refused.err.constData());
}

void AuthIntegrationTest::membersWithoutQuorumStillShowTheirStatus()
{
    // etcd serves Status without a token, but Authenticate needs a quorum to commit. A console
    // given credentials must still see the members that are up when the quorum is gone: that
    // is when their status matters most.
    const QString survivor = m_demo.cluster().manifest().member("etcd1")->clientUrl;
    for (const char *name : {"etcd2", "etcd3"})
        QVERIFY(m_demo.act(name, LocalCluster::MemberAction::Kill).ok());
    EtcdClient client(as("root", m_rootPassword)); // no token yet
    std::optional<EtcdResult<StatusInfo>> r;
    QElapsedTimer clock;
    clock.start();
    client.status(survivor, nullptr, [&](const EtcdResult<StatusInfo> &s) { r = s; });
    QVERIFY(QTest::qWaitFor([&] { return r.has_value(); }, 10000));
    QVERIFY2(r->ok(), qPrintable(r->error.sentence));
    QVERIFY2(clock.elapsed() < TestTiming::upTo(client.settings().deadlines.readMs + 500),
        qPrintable(QString::number(clock.elapsed())));
    // The monitor shows it reachable, and the quorum lost.
    ClusterMonitor monitor(&client);
    const ClusterSnapshot s = waitForSnapshot(monitor, [](const ClusterSnapshot &x) { return !x.hasLeader(); });
    const MemberState *m = s.findMember("etcd1");
    QVERIFY(m);
    QVERIFY2(m->reachable, qPrintable(m->errors.join("; ")));
    QVERIFY(!s.hasQuorum());

    for (const char *name : {"etcd2", "etcd3"})
        QVERIFY(m_demo.act(name, LocalCluster::MemberAction::Restart).ok());
    EtcdClient healed(as("root", m_rootPassword));
    ClusterMonitor again(&healed);
    QVERIFY(waitForSnapshot(again, [](const ClusterSnapshot &x) { return x.isHealthy(); }).isHealthy());
}

QTEST_GUILESS_MAIN(AuthIntegrationTest)
#include "tst_auth_integration.moc"

#include "lb/LbSnapshot.h"
#include "profile/ProfileStore.h"
#include "scrape/MetricsFetcher.h"
#include "session/ConsoleSession.h"
#include "session/DemoController.h"
#include "storage/StorageReader.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/DemoLoadBalancer.h"
#include "tls/CertificateAuthority.h"
#include "tls/CertificateDiagnostics.h"
#include "tls/HttpTls.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QtTest>

/// A demo cluster started with TLS and client-certificate auth on client and peer URLs:
/// everything works with the right files, and each way of getting them wrong produces its
/// own sentence.
class TlsIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void keysArePrivateAndMembersServeTls();
    void statusMembersAndCertsWorkWithTheRightFiles();
    void scrapesAndLoadBalancerProbesUseTheCertificates();
    void unknownCaIsNamed();
    void missingClientCertificateIsNamed();
    void expiredClientCertificateIsNamed();
    void nameMismatchIsNamed();
    void keyThatDoesNotMatchIsNamed();
    void skipVerificationStillPresentsTheClientCertificate();
    void profilesCarryTheConnectionForTheCli();
    void encryptedKeyIsNamedWithoutAsking();
    void aJoiningMemberEntersTheLoadBalancerOverTls();

private:
    QStringList withFiles(const QStringList &args, const QString &ca, const QString &cert, const QString &key) const;
    QString pki(const QString &name) const { return QDir(m_demo.dir()).filePath("pki/" + name); }
    /// A CA the demo's members do not trust, made once for the whole class.
    QString otherCa() const { return m_other.filePath("other-ca.pem"); }

    DemoClusterFixture m_demo;
    QTemporaryDir m_other;
};

void TlsIntegrationTest::initTestCase()
{
    const QString error = m_demo.start(3, 0, true);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(m_other.isValid());
    CertificateAuthority other;
    const QString created
        = other.create("Someone else's CA", otherCa(), m_other.filePath("other-ca-key.pem")).problem();
    QVERIFY2(created.isEmpty(), qPrintable(created));
}

QStringList TlsIntegrationTest::withFiles(
    const QStringList &args, const QString &ca, const QString &cert, const QString &key) const
{
    QStringList out = args;
    out << "--endpoints" << m_demo.endpoints().join(',');
    if (!ca.isEmpty())
        out << "--cacert" << ca;
    if (!cert.isEmpty())
        out << "--cert" << cert;
    if (!key.isEmpty())
        out << "--key" << key;
    return out;
}

void TlsIntegrationTest::keysArePrivateAndMembersServeTls()
{
    for (const QString &key : {"ca-key.pem", "server-key.pem", "peer-key.pem", "client-key.pem", "lb-check.pem"}) {
        const QFileInfo info(pki(key));
        QVERIFY2(info.exists(), qPrintable(key));
        QCOMPARE(info.permissions()
                & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther),
            QFileDevice::Permissions());
    }
    for (const LocalMember &m : m_demo.cluster().manifest().members) {
        QVERIFY(m.clientUrl.startsWith("https://127.0.0.1:"));
        QVERIFY(m.peerUrl.startsWith("https://127.0.0.1:"));
    }
}

void TlsIntegrationTest::statusMembersAndCertsWorkWithTheRightFiles()
{
    EtcdClient client(m_demo.settings());
    ClusterMonitor monitor(&client);
    QVERIFY(QTest::qWaitFor([&] { return takeSnapshot(monitor).isHealthy(); }, 20000));

    const CliRun status = runQuorumdeck({"status", "--dir", m_demo.dir(), "-w", "json"});
    QCOMPARE(status.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(status.out).object()["members"].toArray().size(), 3);
    const CliRun explicitFiles
        = runQuorumdeck(withFiles({"member", "list"}, pki("ca.pem"), pki("client.pem"), pki("client-key.pem")));
    QCOMPARE(explicitFiles.exitCode, 0);
    QVERIFY(explicitFiles.out.contains("etcd2"));

    const CliRun certs = runQuorumdeck({"certs", "--dir", m_demo.dir(), "-w", "json"});
    QCOMPARE(certs.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(certs.out).object();
    QCOMPARE(o["files"]["client"]["subject"].toString(), QStringLiteral("CN=root, O=QuorumDeck demo"));
    QCOMPARE(o["files"]["client"]["keyType"].toString(), QStringLiteral("EC 256-bit"));
    const QJsonArray endpoints = o["endpoints"].toArray();
    QCOMPARE(endpoints.size(), 3);
    for (const QJsonValue &e : endpoints) {
        QVERIFY(e["ok"].toBool());
        const QJsonObject server = e["chain"].toArray().at(0).toObject();
        QVERIFY(server["subjectAltNames"].toArray().contains(QStringLiteral("IP:127.0.0.1")));
        QCOMPARE(server["issuer"].toString(), QStringLiteral("CN=QuorumDeck demo CA, O=QuorumDeck demo"));
        QVERIFY(server["daysLeft"].toInt() > 300);
    }
}

void TlsIntegrationTest::scrapesAndLoadBalancerProbesUseTheCertificates()
{
    const Result<QSslConfiguration> configured = HttpTls::configuration(m_demo.settings().tls);
    QVERIFY2(configured.ok(), qPrintable(configured.problem()));
    const QSslConfiguration tls = configured.value();
    MetricsFetcher fetcher;
    std::optional<MetricsFetcher::Answer> scraped;
    fetcher.fetch(QUrl(m_demo.endpoints().first() + "/metrics"), 5000, tls, {},
        [&](const MetricsFetcher::Answer &r) { scraped = r; });
    QVERIFY(QTest::qWaitFor([&] { return scraped.has_value(); }, 10000));
    QVERIFY2(scraped->body, qPrintable(scraped->body.problem()));
    QCOMPARE(scraped->httpStatus, 200);
    QVERIFY(scraped->body.value().contains("etcd_server_has_leader 1"));

    // The storage view reads the quota from /metrics over the same TLS.
    EtcdClient client(m_demo.settings());
    ClusterMonitor monitor(&client);
    StorageReader reader(m_demo.settings().tls);
    std::optional<QList<MemberStorage>> storage;
    reader.read(takeSnapshot(monitor), [&](const QList<MemberStorage> &s) { storage = s; });
    QVERIFY(QTest::qWaitFor([&] { return storage.has_value(); }, 10000));
    for (const MemberStorage &m : *storage)
        QVERIFY2(m.quota > 0, qPrintable(m.quotaError));

    const LocalLoadBalancer &demoLb = m_demo.cluster().manifest().lb;
    QD_REQUIRE_DEMO_LB(demoLb.running(), demoLb.unavailable);
    // HAProxy checks the members over TLS with the client certificate, and so does the
    // console's own probe: every backend UP and healthy on both sides.
    // A check that timed out on a busy machine shows as "UP 1/2" until the next one passes:
    // wait for every backend to be plainly UP.
    CliRun lb;
    auto allUp = [&] {
        const QJsonArray backends = QJsonDocument::fromJson(lb.out).object()["backends"].toArray();
        return !backends.isEmpty() && std::all_of(backends.begin(), backends.end(), [](const QJsonValue &b) {
            return b["lbStatusText"].toString() == QLatin1String("UP");
        });
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            lb = runQuorumdeck({"lb", "--dir", m_demo.dir(), "-w", "json"});
            return lb.exitCode == 0 && allUp();
        },
        15000));
    for (const QJsonValue &b : QJsonDocument::fromJson(lb.out).object()["backends"].toArray()) {
        QCOMPARE(b["lbStatusText"].toString(), QStringLiteral("UP"));
        QCOMPARE(b["probeStatus"].toString(), QStringLiteral("ok"));
    }
}

void TlsIntegrationTest::unknownCaIsNamed()
{
    const CliRun r = runQuorumdeck(withFiles({"status"}, otherCa(), pki("client.pem"), pki("client-key.pem")));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("was issued by CN=QuorumDeck demo CA, O=QuorumDeck demo, a CA that is not trusted here"),
        r.err.constData());
}

void TlsIntegrationTest::missingClientCertificateIsNamed()
{
    const CliRun r = runQuorumdeck(withFiles({"status"}, pki("ca.pem"), {}, {}));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("the server requires a client certificate and none was given"), r.err.constData());
}

void TlsIntegrationTest::expiredClientCertificateIsNamed()
{
    CertificateAuthority ca;
    QCOMPARE(ca.load(pki("ca.pem"), pki("ca-key.pem")).problem(), QString());
    CertificateRequest request;
    request.commonName = "root";
    request.use = CertificateUse::Client;
    request.notBefore = QDateTime::currentDateTimeUtc().addDays(-30);
    request.notAfter = QDateTime::currentDateTimeUtc().addDays(-1);
    QCOMPARE(
        ca.issue(request, m_other.filePath("expired.pem"), m_other.filePath("expired-key.pem")).problem(), QString());
    const CliRun r = runQuorumdeck(
        withFiles({"status"}, pki("ca.pem"), m_other.filePath("expired.pem"), m_other.filePath("expired-key.pem")));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("your client certificate (" + m_other.filePath("expired.pem").toUtf8() + ") expired on"),
        r.err.constData());

    // One that expires within 30 days works, with a warning.
    request.notBefore = QDateTime::currentDateTimeUtc().addDays(-1);
    request.notAfter = QDateTime::currentDateTimeUtc().addDays(10);
    QCOMPARE(ca.issue(request, m_other.filePath("soon.pem"), m_other.filePath("soon-key.pem")).problem(), QString());
    const CliRun soon = runQuorumdeck(
        withFiles({"certs"}, pki("ca.pem"), m_other.filePath("soon.pem"), m_other.filePath("soon-key.pem")));
    QCOMPARE(soon.exitCode, 0);
    QVERIFY2(soon.out.contains("warning: your client certificate expires in 9 day(s)"), soon.out.constData());

    // `alerts` evaluates the console's certificate rule over the same files: a warning for
    // the whole cluster, not for a member, and exit 2 as for any alert.
    const CliRun alerts = runQuorumdeck(withFiles(
        {"alerts", "-w", "json"}, pki("ca.pem"), m_other.filePath("soon.pem"), m_other.filePath("soon-key.pem")));
    QCOMPARE(alerts.exitCode, 2);
    QJsonObject certificate;
    for (const QJsonValue &a : QJsonDocument::fromJson(alerts.out).object()["alerts"].toArray()) {
        if (a["alert"].toString() == QLatin1String("CertificateExpiresSoon"))
            certificate = a.toObject();
    }
    QVERIFY2(!certificate.isEmpty(), alerts.out.constData());
    QCOMPARE(certificate["severity"].toString(), QStringLiteral("warning"));
    QVERIFY(certificate["member"].isNull());

    // `alerts watch --duration` prints the change as a JSON line, then ends by itself with
    // exit 0 once the duration is over (not at the first alert, not killed by the test).
    const CliRun watch = runQuorumdeck(withFiles({"alerts", "watch", "--duration", "3s", "-w", "json"}, pki("ca.pem"),
        m_other.filePath("soon.pem"), m_other.filePath("soon-key.pem")));
    QCOMPARE(watch.exitCode, 0);
    QVERIFY2(watch.ms >= 3000, qPrintable(QString::number(watch.ms)));
    bool firing = false;
    for (const QByteArray &line : watch.out.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        firing = firing
            || (o["alert"].toString() == QLatin1String("CertificateExpiresSoon")
                && o["state"].toString() == QLatin1String("firing") && o["member"].isNull());
    }
    QVERIFY2(firing, watch.out.constData());
}

void TlsIntegrationTest::nameMismatchIsNamed()
{
    const CliRun r = runQuorumdeck(withFiles(
        {"status", "--server-name", "etcd.example.com"}, pki("ca.pem"), pki("client.pem"), pki("client-key.pem")));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("the server's certificate is for DNS:localhost, IP:127.0.0.1, not for etcd.example.com"),
        r.err.constData());
}

void TlsIntegrationTest::keyThatDoesNotMatchIsNamed()
{
    const CliRun r = runQuorumdeck(withFiles({"status"}, pki("ca.pem"), pki("client.pem"), pki("peer-key.pem")));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("the key in " + pki("peer-key.pem").toUtf8() + " does not belong to the certificate in"),
        r.err.constData());
    QVERIFY(!CertificateDiagnostics::keyMatchesCertificate("not pem", "not pem"));
}

void TlsIntegrationTest::skipVerificationStillPresentsTheClientCertificate()
{
    // An untrusted CA, but verification switched off: the client certificate still gets in.
    const CliRun r = runQuorumdeck(
        withFiles({"status", "--insecure-skip-tls-verify"}, otherCa(), pki("client.pem"), pki("client-key.pem")));
    QCOMPARE(r.exitCode, 0);
}

void TlsIntegrationTest::profilesCarryTheConnectionForTheCli()
{
    // The profile is written where the CLI the test runs reads its settings.
    QCoreApplication::setOrganizationName("QuorumDeck");
    QCoreApplication::setApplicationName("quorumdeck");
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, cliConfigHome());
    const ClusterManifest &m = m_demo.cluster().manifest();
    ConnectionProfile p;
    p.name = "demo-tls";
    p.endpoints = m.endpoints();
    p.tls.caFile = pki("ca.pem");
    p.tls.certFile = pki("client.pem");
    p.tls.keyFile = pki("client-key.pem");
    QCOMPARE(ProfileStore::save(p).problem(), QString());

    const CliRun status = runQuorumdeck({"status", "--profile", "demo-tls", "-w", "json"});
    QCOMPARE(status.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(status.out).object()["members"].toArray().size(), 3);
    // Flags still win over the profile: a wrong CA given on the command line is used.
    const CliRun overridden = runQuorumdeck({"status", "--profile", "demo-tls", "--cacert", otherCa()});
    QCOMPARE(overridden.exitCode, 1);
    const CliRun unknown = runQuorumdeck({"status", "--profile", "nope"});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("no profile is called nope; saved profiles: demo-tls"), unknown.err.constData());

    // The profile's load balancer is reached with the profile's certificates too.
    QD_REQUIRE_DEMO_LB(m.lb.running(), m.lb.unavailable);
    p.lbKind = LbDefinition::Kind::Haproxy;
    p.lbStatsUrl = m.lb.statsUrl;
    p.lbFrontend = m.lb.frontend;
    QCOMPARE(ProfileStore::save(p).problem(), QString());
    const CliRun lb = runQuorumdeck({"lb", "--profile", "demo-tls", "-w", "json"});
    QCOMPARE(lb.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(lb.out).object()["backends"].toArray().size(), 3);
}

void TlsIntegrationTest::encryptedKeyIsNamedWithoutAsking()
{
    QProcess openssl;
    openssl.start("openssl",
        {"pkey", "-in", pki("client-key.pem"), "-aes256", "-passout", "pass:secret", "-out",
            m_other.filePath("encrypted-key.pem")});
    QVERIFY(openssl.waitForFinished(10000) && openssl.exitCode() == 0);
    const CliRun r
        = runQuorumdeck(withFiles({"certs"}, pki("ca.pem"), pki("client.pem"), m_other.filePath("encrypted-key.pem")));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains("is encrypted; give an unencrypted PEM key"), r.out.constData());
}

void TlsIntegrationTest::aJoiningMemberEntersTheLoadBalancerOverTls()
{
    const LocalLoadBalancer &demoLb = m_demo.cluster().manifest().lb;
    QD_REQUIRE_DEMO_LB(demoLb.running(), demoLb.unavailable);
    // The window's way: a session that owns the demo adds a learner, whose process starts
    // and whose backend joins HAProxy at runtime with TLS checks.
    auto *demo = new LocalCluster;
    QCOMPARE(demo->attach(m_demo.dir()).problem(), QString());
    ConsoleSession session(m_demo.settings(), nullptr, new DemoController(demo));
    session.start();
    QVERIFY(QTest::qWaitFor([&] { return session.snapshot().isHealthy(); }, 15000));
    QSignalSpy finished(&session, &ConsoleSession::operationFinished);
    session.addMember("etcd4", {session.proposePeerUrl()}, true);
    QVERIFY(finished.wait(60000));
    const auto added = finished.at(0).at(1).value<OperationResult>();
    QVERIFY2(added.ok(), qPrintable(added.sentence));
    auto backendState = [&](const QString &name) {
        const CliRun lb = runQuorumdeck({"lb", "--dir", m_demo.dir(), "-w", "json"});
        for (const QJsonValue &b : QJsonDocument::fromJson(lb.out).object()["backends"].toArray())
            if (b["name"].toString() == name)
                return b["lbStatusText"].toString();
        return QString();
    };
    // A learner stands in the LB out of rotation until it is promoted.
    QTRY_COMPARE_WITH_TIMEOUT(backendState("etcd4"), QStringLiteral("MAINT"), 15000);
    session.removeMember("etcd4", false);
    QVERIFY(finished.wait(60000));
    const auto removed = finished.at(1).at(1).value<OperationResult>();
    QVERIFY2(removed.ok(), qPrintable(removed.sentence));
    QTRY_COMPARE_WITH_TIMEOUT(backendState("etcd4"), QString(), 15000);
    session.stop();
}

QTEST_GUILESS_MAIN(TlsIntegrationTest)
#include "tst_tls_integration.moc"

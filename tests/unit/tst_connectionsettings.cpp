#include "common/Endpoint.h"
#include "etcd/ConnectionSettings.h"
#include "etcd/EtcdError.h"

#include <QTest>

class TestConnectionSettings : public QObject {
    Q_OBJECT

private slots:
    void endpoints_data();
    void endpoints();
    void durations_data();
    void durations();
    void environment();
    void environmentRejectsBadDuration();
    void userSpec();
    void validate();
    void durationsAreBounded();
    void errorSentences();
};

void TestConnectionSettings::endpoints_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<QString>("target");
    QTest::newRow("bare") << "127.0.0.1:2379" << false << "http://127.0.0.1:2379"
                          << "ipv4:127.0.0.1:2379";
    QTest::newRow("bare tls") << "etcd-0:2379" << true << "https://etcd-0:2379"
                              << "etcd-0:2379";
    QTest::newRow("http") << "http://10.0.0.1:2379" << false << "http://10.0.0.1:2379"
                          << "ipv4:10.0.0.1:2379";
    QTest::newRow("https kept without tls flag") << "https://a.example:2379/" << false << "https://a.example:2379"
                                                 << "a.example:2379";
    QTest::newRow("upper-case scheme") << "HTTP://h:1" << false << "http://h:1"
                                       << "h:1";
    QTest::newRow("ipv6") << "http://[::1]:2379" << false << "http://[::1]:2379"
                          << "ipv6:[::1]:2379";
    QTest::newRow("blanks") << "  localhost:2379 " << false << "http://localhost:2379"
                            << "localhost:2379";
    QTest::newRow("no port") << "127.0.0.1" << false << ""
                             << "";
    QTest::newRow("bad scheme") << "unix://x:1" << false << ""
                                << "";
    QTest::newRow("path") << "http://h:1/v3" << false << ""
                          << "";
    QTest::newRow("empty") << "" << false << ""
                           << "";
}

void TestConnectionSettings::endpoints()
{
    QFETCH(QString, text);
    QFETCH(bool, tls);
    QFETCH(QString, canonical);
    const Result<Endpoint> e = Endpoint::parse(text, tls);
    if (canonical.isEmpty()) {
        QVERIFY(!e);
        QCOMPARE(e.error().kind(), Error::Kind::Invalid);
        QVERIFY(!e.error().describe().isEmpty());
        return;
    }
    QVERIFY2(e, qPrintable(e.problem()));
    QVERIFY(e.value().isValid());
    QCOMPARE(e.value().toString(), canonical);
    QTEST(e.value().grpcTarget(), "target");
}

void TestConnectionSettings::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("ms");
    QTest::newRow("seconds") << "2s" << 2000;
    QTest::newRow("millis") << "500ms" << 500;
    QTest::newRow("mixed") << "1m30s" << 90000;
    QTest::newRow("fraction") << "1.5s" << 1500;
    QTest::newRow("bare seconds") << "3" << 3000;
    QTest::newRow("hours") << "1h" << 3600000;
    QTest::newRow("garbage") << "soon" << -1;
    QTest::newRow("trailing garbage") << "2sx" << -1;
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("negative") << "-1" << -1;
}

void TestConnectionSettings::durations()
{
    QFETCH(QString, text);
    QFETCH(int, ms);
    const auto parsed = ConnectionSettings::parseDurationMs(text);
    if (ms < 0)
        QVERIFY(!parsed);
    else
        QCOMPARE(parsed.value_or(-1), ms);
}

void TestConnectionSettings::environment()
{
    QProcessEnvironment env;
    env.insert("ETCDCTL_ENDPOINTS", "a:1,b:2");
    env.insert("ETCDCTL_CACERT", "/ca.pem");
    env.insert("ETCDCTL_CERT", "/c.pem");
    env.insert("ETCDCTL_KEY", "/k.pem");
    env.insert("ETCDCTL_USER", "root:secret");
    env.insert("ETCDCTL_DIAL_TIMEOUT", "3s");
    env.insert("ETCDCTL_COMMAND_TIMEOUT", "750ms");
    ConnectionSettings s;
    QCOMPARE(s.applyEnvironment(env), QString());
    QCOMPARE(s.endpoints, (QStringList {"a:1", "b:2"}));
    QCOMPARE(s.tls.caFile, QStringLiteral("/ca.pem"));
    QCOMPARE(s.tls.certFile, QStringLiteral("/c.pem"));
    QCOMPARE(s.tls.keyFile, QStringLiteral("/k.pem"));
    QCOMPARE(s.user, QStringLiteral("root"));
    QCOMPARE(s.password, QStringLiteral("secret"));
    QCOMPARE(s.deadlines.dialMs, 3000);
    QCOMPARE(s.deadlines.readMs, 750);
    QCOMPARE(s.deadlines.writeMs, 750);
    QCOMPARE(s.deadlines.moveLeaderMs, Deadlines().moveLeaderMs); // long calls keep their own
    QVERIFY(s.tls.enabled());

    // --user naming someone else drops the environment's password; the same user keeps it.
    ConnectionSettings same = s;
    same.setUserSpec("root");
    QCOMPARE(same.password, QStringLiteral("secret"));
    s.setUserSpec("alice");
    QCOMPARE(s.user, QStringLiteral("alice"));
    QCOMPARE(s.password, QString());

    for (const char *yes : {"1", "t", "TRUE", "True", "true"}) {
        QProcessEnvironment skip;
        skip.insert("ETCDCTL_INSECURE_SKIP_TLS_VERIFY", yes);
        ConnectionSettings t;
        QCOMPARE(t.applyEnvironment(skip), QString());
        QVERIFY2(t.tls.insecureSkipVerify, yes);
    }
    QProcessEnvironment no;
    no.insert("ETCDCTL_INSECURE_SKIP_TLS_VERIFY", "false");
    ConnectionSettings u;
    QCOMPARE(u.applyEnvironment(no), QString());
    QVERIFY(!u.tls.insecureSkipVerify);
}

void TestConnectionSettings::environmentRejectsBadDuration()
{
    QProcessEnvironment env;
    env.insert("ETCDCTL_DIAL_TIMEOUT", "forever");
    ConnectionSettings s;
    QVERIFY(s.applyEnvironment(env).contains("ETCDCTL_DIAL_TIMEOUT"));
}

void TestConnectionSettings::userSpec()
{
    ConnectionSettings s;
    s.setUserSpec("alice");
    QCOMPARE(s.user, QStringLiteral("alice"));
    QVERIFY(s.password.isEmpty());
    s.setUserSpec("bob:pa:ss");
    QCOMPARE(s.user, QStringLiteral("bob"));
    QCOMPARE(s.password, QStringLiteral("pa:ss"));
}

void TestConnectionSettings::validate()
{
    ConnectionSettings s;
    QVERIFY(s.validate().contains("no endpoints"));
    s.endpoints = {"127.0.0.1:2379"};
    QCOMPARE(s.validate(), QString());
    s.endpoints = {"127.0.0.1"};
    QVERIFY(s.validate().contains("no port"));
    s.endpoints = {"127.0.0.1:2379"};
    s.tls.caFile = "/nonexistent/ca.pem";
    QVERIFY(s.validate().contains("--cacert"));
    s.tls.caFile.clear();
    s.tls.certFile = QFINDTESTDATA("tst_connectionsettings.cpp");
    QVERIFY(s.validate().contains("both --cert and --key"));
}

void TestConnectionSettings::durationsAreBounded()
{
    QCOMPARE(ConnectionSettings::parseDurationMs("1.5"), std::optional<int>(1500));
    QCOMPARE(ConnectionSettings::parseDurationMs("2m3s"), std::optional<int>(123000));
    QVERIFY(!ConnectionSettings::parseDurationMs("1e12"));
    QVERIFY(!ConnectionSettings::parseDurationMs("inf"));
    QVERIFY(!ConnectionSettings::parseDurationMs("nan"));
    QVERIFY(!ConnectionSettings::parseDurationMs("25h"));
}

void TestConnectionSettings::errorSentences()
{
    const EtcdError notLeader
        = EtcdError::fromStatus(EtcdError::FailedPrecondition, "etcdserver: not leader", "http://h:1");
    QCOMPARE(notLeader.codeName(), QStringLiteral("FailedPrecondition"));
    QCOMPARE(notLeader.message, QStringLiteral("etcdserver: not leader"));
    QVERIFY(notLeader.sentence.contains("not the leader"));
    const EtcdError inSync = EtcdError::fromStatus(EtcdError::FailedPrecondition,
        "etcdserver: can only promote a learner member which is in sync with leader", "x");
    QVERIFY(inSync.sentence.contains("caught up"));
    const EtcdError voter
        = EtcdError::fromStatus(EtcdError::FailedPrecondition, "etcdserver: can only promote a learner member", "x");
    QVERIFY(voter.sentence.contains("already votes"));
    const EtcdError deadline = EtcdError::fromStatus(EtcdError::DeadlineExceeded, "Deadline Exceeded", "http://h:1");
    QVERIFY(deadline.sentence.contains("http://h:1"));
    QVERIFY(deadline.isError());
    const EtcdError refused = EtcdError::fromStatus(EtcdError::Unavailable,
        "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: Failed to connect to remote host: "
        "Connection refused",
        "http://h:1");
    QVERIFY2(refused.sentence.contains("cannot be reached (connection refused"), qPrintable(refused.sentence));
    const EtcdError dialTimeout = EtcdError::fromStatus(EtcdError::Unavailable,
        "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: connection attempt timed out "
        "before receiving SETTINGS frame",
        "http://h:1");
    QVERIFY2(dialTimeout.sentence.contains("within the dial timeout"), qPrintable(dialTimeout.sentence));
    const EtcdError declined
        = EtcdError::fromStatus(EtcdError::Unavailable, "etcdserver: leader changed", "http://h:1");
    QVERIFY2(declined.sentence.contains("could not serve the request now: etcdserver: leader changed"),
        qPrintable(declined.sentence));
    const EtcdError handshake = EtcdError::fromStatus(EtcdError::Unavailable,
        "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: Ssl handshake failed: "
        "SSL_ERROR_SSL: error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED",
        "https://h:1");
    QVERIFY2(handshake.sentence.contains("TLS handshake with https://h:1 failed"), qPrintable(handshake.sentence));
    QVERIFY(!EtcdError().isError());
}

QTEST_GUILESS_MAIN(TestConnectionSettings)
#include "tst_connectionsettings.moc"

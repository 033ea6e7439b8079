#include "cluster/ClusterEvent.h"
#include "cluster/PeerUrlValidator.h"
#include "common/Format.h"
#include "common/MemberId.h"
#include "profile/ClusterManifest.h"
#include "support/SnapshotBuilder.h"

#include <QTest>

class TestValueTypes : public QObject {
    Q_OBJECT

private slots:
    void memberIds();
    void peerUrls_data();
    void peerUrls();
    void eventJsonRoundTrip();
    void eventJsonShape();
    void byteSizes();
    void manifestMemberWritesStayInTheManifest();
};

void TestValueTypes::memberIds()
{
    QCOMPARE(MemberId::toHex(0x8e9e05c52164694dULL), QStringLiteral("8e9e05c52164694d"));
    QCOMPARE(MemberId::toHex(1), QStringLiteral("0000000000000001"));
    QCOMPARE(MemberId::fromHex(u"8e9e05c52164694d").value_or(0), 0x8e9e05c52164694dULL);
    QCOMPARE(MemberId::fromHex(u"0xFF").value_or(0), 255u);
    QVERIFY(!MemberId::fromHex(u"xyz"));
    QVERIFY(!MemberId::fromHex(u"12345678901234567"));
    QVERIFY(!MemberId::fromHex(u""));
}

void TestValueTypes::peerUrls_data()
{
    QTest::addColumn<QString>("urls");
    QTest::addColumn<QString>("problem");
    QTest::newRow("good") << "http://10.0.0.4:2380"
                          << "";
    QTest::newRow("two good") << "http://10.0.0.4:2380, https://n4.example:2380"
                              << "";
    QTest::newRow("none") << ""
                          << "at least one";
    QTest::newRow("no scheme") << "10.0.0.4:2380"
                               << "http";
    QTest::newRow("ftp") << "ftp://10.0.0.4:2380"
                         << "http";
    QTest::newRow("no port") << "http://10.0.0.4"
                             << "port";
    QTest::newRow("path") << "http://10.0.0.4:2380/x"
                          << "path";
    QTest::newRow("twice") << "http://a:1,http://a:1"
                           << "twice";
    QTest::newRow("taken") << "http://127.0.0.1:20001"
                           << "already the peer URL of member a";
    QTest::newRow("taken, spelled localhost") << "http://localhost:20001"
                                              << "already the peer URL of member a";
    QTest::newRow("taken, other scheme and case") << "HTTPS://127.0.0.1:20001/"
                                                  << "already the peer URL of member a";
    QTest::newRow("a member's client URL") << "http://127.0.0.1:10001"
                                           << "client URL of member a";
    QTest::newRow("same socket twice") << "http://localhost:2380,http://127.0.0.1:2380"
                                       << "twice";
    QTest::newRow("port out of range") << "http://10.0.0.4:70000"
                                       << "port (1-65535)";
    QTest::newRow("port not a number") << "http://10.0.0.4:23x0"
                                       << "port (1-65535)";
    QTest::newRow("IPv6 host, no port") << "http://[fd00::4]"
                                        << "port";
    QTest::newRow("IPv6 host with port") << "http://[fd00::4]:2380"
                                         << "";
    QTest::newRow("other host, same port") << "http://10.0.0.9:20001"
                                           << "";
}

void TestValueTypes::peerUrls()
{
    QFETCH(QString, urls);
    QFETCH(QString, problem);
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 1).build();
    const QString result = PeerUrlValidator::check(PeerUrlValidator::split(urls), s);
    if (problem.isEmpty())
        QCOMPARE(result, QString());
    else
        QVERIFY2(result.contains(problem), qPrintable(result));
}

void TestValueTypes::eventJsonRoundTrip()
{
    ClusterEvent e;
    e.type = ClusterEvent::Type::LeaderChanged;
    e.timeMs = 1795806106298;
    e.member = 0xa59cf23b02742eafULL;
    e.from = 0x1bd61139a0526f88ULL;
    e.to = 0xa59cf23b02742eafULL;
    e.term = 42;
    e.detail = "leadership transferred by the operator";
    e.requested = true;
    const auto back = ClusterEvent::fromJson(e.toJson());
    QVERIFY(back);
    QCOMPARE(*back, e);
}

void TestValueTypes::eventJsonShape()
{
    ClusterEvent e;
    e.type = ClusterEvent::Type::QuorumLost;
    e.timeMs = 1000;
    const QJsonObject o = e.toJson();
    QCOMPARE(o.value("time").toString(), QStringLiteral("1970-01-01T00:00:01.000Z"));
    QCOMPARE(o.value("type").toString(), QStringLiteral("QuorumLost"));
    for (const char *key : {"time", "type", "member", "from", "to", "term", "detail"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    QCOMPARE(o.value("member").toString(), QString());
    QVERIFY(!ClusterEvent::fromJson(QJsonObject {{"type", "Nonsense"}, {"time", "1970-01-01T00:00:01.000Z"}}));
}

void TestValueTypes::byteSizes()
{
    QCOMPARE(Format::bytes(512), QStringLiteral("512 B"));
    QCOMPARE(Format::bytes(1536), QStringLiteral("1.5 KiB"));
    QCOMPARE(Format::bytes(20 * 1024 * 1024), QStringLiteral("20 MiB"));
    QCOMPARE(Format::parseBytes("16MiB"), 16LL * 1024 * 1024);
    QCOMPARE(Format::parseBytes("16MB"), 16LL * 1000 * 1000);
    QCOMPARE(Format::parseBytes("2GiB"), 2LL * 1024 * 1024 * 1024);
    QCOMPARE(Format::parseBytes("4096"), 4096);
    QCOMPARE(Format::parseBytes("lots"), -1);
}

void TestValueTypes::manifestMemberWritesStayInTheManifest()
{
    ClusterManifest manifest;
    for (const char *name : {"etcd1", "etcd2", "etcd3"}) {
        LocalMember m;
        m.name = QString::fromLatin1(name);
        m.pid = 100;
        manifest.members << m;
    }
    // A view keeps a copy, which shares the list's buffer until one of them changes.
    const ClusterManifest copy = manifest;
    LocalMember *restarted = manifest.member(QStringLiteral("etcd2"));
    QVERIFY(restarted);
    // What a restart does: walk the members for the initial cluster, then record the new pid.
    QStringList names;
    for (LocalMember &m : manifest.members)
        names << m.name;
    restarted->pid = 200;
    QCOMPARE(manifest.member(QStringLiteral("etcd2"))->pid, 200);
    QCOMPARE(copy.member(QStringLiteral("etcd2"))->pid, 100);
}

QTEST_GUILESS_MAIN(TestValueTypes)
#include "tst_valuetypes.moc"

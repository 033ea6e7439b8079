#include "lb/HaproxyStats.h"

#include <QFile>
#include <QTest>

using namespace HaproxyStats;

/// HAProxy's stats CSV, as HAProxy 2.6 (Debian 12) writes it.
class TestHaproxyStats : public QObject {
    Q_OBJECT

private slots:
    void realOutputWithEveryState();
    void statusTexts_data();
    void statusTexts();
    void quotedFieldsAndMovedColumns();
    void notACsv();
};

void TestHaproxyStats::realOutputWithEveryState()
{
    // Captured from haproxy 2.6.12: etcd2 has nothing listening (DOWN), etcd3 is "disabled"
    // in the configuration (MAINT), etcd4 was set to drain on the admin socket.
    QFile f(QFINDTESTDATA("../data/haproxy-2.6-stats.csv"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const Result r = parse(f.readAll());
    QCOMPARE(r.error, QString());
    QCOMPARE(r.rows.size(), 8);
    const Row &frontend = r.rows.at(0);
    QVERIFY(frontend.isFrontend());
    QCOMPARE(frontend.proxy, QStringLiteral("etcd"));
    QCOMPARE(frontend.status, QStringLiteral("OPEN"));
    QCOMPARE(frontend.totalSessions, 3);

    QStringList states;
    for (const Row &row : r.rows) {
        if (row.isServer() && row.proxy == QLatin1String("etcd_members"))
            states << row.server + QLatin1Char('=') + stateName(row.state);
    }
    QCOMPARE(states, (QStringList {"etcd1=UP", "etcd2=DOWN", "etcd3=MAINT", "etcd4=DRAIN"}));
    const Row &up = r.rows.at(1);
    QCOMPARE(up.checkStatus, QStringLiteral("L7OK"));
    QCOMPARE(up.checkCode, 200);
    QCOMPARE(up.checkDescription, QStringLiteral("Layer7 check passed"));
    QCOMPARE(up.totalSessions, 3);
    QCOMPARE(up.bytesIn, 255);
    QCOMPARE(up.bytesOut, 423);
    QCOMPARE(up.weight, 1);
    QCOMPARE(up.secondsSinceChange, 6);
    QCOMPARE(r.rows.at(2).checkStatus, QStringLiteral("L4CON"));
    QCOMPARE(r.rows.at(3).checkStatus, QString()); // no checks while in maintenance
    QVERIFY(r.rows.at(5).isBackend());
}

void TestHaproxyStats::statusTexts_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("transitioning");
    QTest::newRow("up") << "UP" << int(ServerState::Up) << false;
    QTest::newRow("going down") << "UP 1/2" << int(ServerState::Up) << true;
    QTest::newRow("coming up") << "DOWN 1/2" << int(ServerState::Down) << true;
    QTest::newRow("maint via tracking") << "MAINT (via be/s1)" << int(ServerState::Maint) << false;
    QTest::newRow("maint resolution") << "MAINT (resolution)" << int(ServerState::Maint) << false;
    QTest::newRow("drain") << "DRAIN" << int(ServerState::Drain) << false;
    QTest::newRow("nolb") << "NOLB" << int(ServerState::NoLb) << false;
    QTest::newRow("unchecked") << "no check" << int(ServerState::Up) << false;
    QTest::newRow("garbage") << "???" << int(ServerState::Unknown) << false;
}

void TestHaproxyStats::statusTexts()
{
    QFETCH(QString, status);
    QFETCH(int, state);
    QFETCH(bool, transitioning);
    bool moving = false;
    QCOMPARE(int(stateOf(status, &moving)), state);
    QCOMPARE(moving, transitioning);
}

void TestHaproxyStats::quotedFieldsAndMovedColumns()
{
    const Result r = parse("# svname,status,pxname,check_desc,scur,check_status\r\n"
                           "s1,UP 1/3,be,\"Layer7 wrong status, \"\"503\"\"\",7,* L7STS\r\n");
    QCOMPARE(r.error, QString());
    QCOMPARE(r.rows.size(), 1);
    QCOMPARE(r.rows.at(0).proxy, QStringLiteral("be"));
    QCOMPARE(r.rows.at(0).server, QStringLiteral("s1"));
    QCOMPARE(r.rows.at(0).checkDescription, QStringLiteral("Layer7 wrong status, \"503\""));
    QCOMPARE(r.rows.at(0).currentSessions, 7);
    QVERIFY(r.rows.at(0).transitioning);
    QCOMPARE(r.rows.at(0).checkStatus, QStringLiteral("L7STS"));
    QVERIFY(r.rows.at(0).checkRunning);
}

void TestHaproxyStats::notACsv()
{
    QVERIFY(!parse("<html>Statistics Report</html>\n").error.isEmpty());
    QVERIFY(!parse("").error.isEmpty());
    QVERIFY(parse("").rows.isEmpty());
}

QTEST_GUILESS_MAIN(TestHaproxyStats)
#include "tst_haproxystats.moc"

#include "lb/HaproxyStats.h"
#include "local/ClusterManifest.h"
#include "local/LocalCluster.h"
#include "local/ProcessControl.h"
#include "support/DemoDirectory.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>

/// The demo cluster's load balancer: a real HAProxy started by `demo up` in front of real
/// etcd members.
class TestLbIntegration : public QObject {
    Q_OBJECT

private slots:
    void demoRunsHaproxyInFrontOfTheMembers();

private:
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Run quorumdeck(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(QUORUMDECK_BINARY), args);
        Run r;
        if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 60000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    /// HAProxy's state of each server of the members' backend, by name.
    QHash<QString, HaproxyStats::ServerState> lbView(const QString &statsUrl)
    {
        QNetworkRequest request((QUrl(statsUrl)));
        request.setTransferTimeout(2000);
        QNetworkReply *reply = m_http.get(request);
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 3000))
            reply->abort();
        QHash<QString, HaproxyStats::ServerState> out;
        for (const HaproxyStats::Row &row : HaproxyStats::parse(reply->readAll()).rows) {
            if (row.isServer() && row.proxy == QLatin1String("etcd_members"))
                out.insert(row.server, row.state);
        }
        reply->deleteLater();
        return out;
    }

    QNetworkAccessManager m_http;
};

void TestLbIntegration::demoRunsHaproxyInFrontOfTheMembers()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    const Run up = quorumdeck({"demo", "up", "--dir", dir.path()});
    QVERIFY2(up.exitCode == 0, up.err.constData());
    ClusterManifest m;
    QCOMPARE(ClusterManifest::load(dir.path(), &m), QString());
    if (LocalCluster::locateHaproxy().isEmpty())
        QSKIP("haproxy is not installed (installer/install-deps.sh installs it)");
    QVERIFY2(m.lb.running(), qPrintable(m.lb.unavailable)); // installed, so it must run
    QVERIFY2(up.out.contains("load balancer: " + m.lb.frontend.toUtf8()), up.out.constData());
    QVERIFY(m.lb.frontend.startsWith(QLatin1String("127.0.0.1:"))); // loopback only
    QVERIFY(m.lb.statsUrl.startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(QFileInfo(m.lb.socketPath).exists());
    QVERIFY((QFileInfo(m.lb.socketPath).permissions() & (QFile::ReadOther | QFile::WriteOther)) == 0);

    // The cluster answers through the LB, and the LB sees every member up.
    const Run status = quorumdeck({"status", "--endpoints", m.lb.frontend, "-w", "json"});
    QVERIFY2(status.exitCode == 0, status.err.constData());
    QVERIFY(QJsonDocument::fromJson(status.out).object().value("leader").toString().size() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(lbView(m.lb.statsUrl).size() == 3, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(lbView(m.lb.statsUrl).keys(HaproxyStats::ServerState::Up).size() == 3, 10000);

    // A killed member leaves the rotation within fall × inter (2 × 500 ms), and some slack.
    QCOMPARE(quorumdeck({"demo", "kill", "etcd2", "--dir", dir.path()}).exitCode, 0);
    QTRY_COMPARE_WITH_TIMEOUT(lbView(m.lb.statsUrl).value("etcd2"), HaproxyStats::ServerState::Down, 3000);
    QCOMPARE(lbView(m.lb.statsUrl).value("etcd1"), HaproxyStats::ServerState::Up);

    // Stopping the demo stops HAProxy too.
    const Run down = quorumdeck({"demo", "down", "--dir", dir.path()});
    QVERIFY2(down.exitCode == 0, down.err.constData());
    QVERIFY(!ProcessControl::isAlive(pid_t(m.lb.pid)));
    QVERIFY(!QFileInfo::exists(m.lb.socketPath));
}

QTEST_GUILESS_MAIN(TestLbIntegration)
#include "tst_lb_integration.moc"

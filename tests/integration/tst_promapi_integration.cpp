// Prometheus and Alertmanager as sources, against the real servers: `metrics query` prints
// exactly the `data` Prometheus' own HTTP API gives for the same query over demo members,
// and `alerts --alertmanager` lists what was posted to an Alertmanager, silences included.

#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/ServerProcess.h"
#include "support/TestCertificates.h"
#include "support/TestSkip.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrlQuery>

namespace {

QString secondsText(qint64 ms)
{
    return QString::number(double(ms) / 1000, 'f', 3);
}

} // namespace

class TestPromApiIntegration : public QObject {
    Q_OBJECT

private slots:
    void queryAgreesWithPrometheus()
    {
        const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (prometheus.isEmpty())
            QD_SKIP_WITHOUT("prometheus", "the server metrics query reads (installer/install-deps.sh --tests)");
        DemoClusterFixture fx;
        QCOMPARE(fx.start(3), QString());
        QStringList targets;
        for (const LocalMember &m : fx.cluster().manifest().members)
            targets << QStringLiteral("'%1'").arg(QUrl(m.clientUrl).authority());
        const QByteArray config = QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: etcd\n"
                                                 "    static_configs:\n      - targets: [%1]\n")
                                      .arg(targets.join(QStringLiteral(", ")))
                                      .toUtf8();
        ServerProcess server;
        QCOMPARE(server.start(prometheus,
                     {"--config.file={dir}/prometheus.yml", "--storage.tsdb.path={dir}/data",
                         "--web.listen-address=127.0.0.1:{port}", "--log.level=warn"},
                     {{"prometheus.yml", config}}),
            QString());
        QVERIFY(server.waitReady("/-/ready"));
        const QString url = server.url().toString();
        // Ready once every member has been scraped for ten seconds without a miss.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         const QJsonObject r = ServerProcess::request(
                             server.url("/api/v1/query?query=min(count_over_time(up%5B10s%5D))%20and%20"
                                        "count(up%3D%3D1)%3D%3D3"))
                                                   .object();
                         const QJsonArray result = r["data"].toObject()["result"].toArray();
                         return !result.isEmpty() && result[0].toObject()["value"].toArray()[1].toString().toInt() >= 9;
                     },
                     40000),
            "prometheus did not scrape the three members for ten seconds");

        const qint64 end = QDateTime::currentMSecsSinceEpoch() - 1000;
        const qint64 start = end - 5000;
        // A '+' and spaces: they must reach the server as written.
        const QString expr
            = "sum by (instance) (rate(etcd_server_proposals_committed_total[5s])) + 0 * sum by (instance) (up)";
        const CliRun range = runQuorumdeck({"metrics", "query", expr, "--prometheus", url, "--start",
            secondsText(start), "--end", secondsText(end), "--step", "1s", "-w", "json"});
        QVERIFY2(range.exitCode == 0, range.err.constData());
        QUrlQuery q;
        q.addQueryItem("query", QString::fromLatin1(QUrl::toPercentEncoding(expr)));
        q.addQueryItem("start", secondsText(start));
        q.addQueryItem("end", secondsText(end));
        q.addQueryItem("step", "1");
        QUrl direct = server.url("/api/v1/query_range");
        direct.setQuery(q);
        const QJsonObject theirs = ServerProcess::request(direct).object()["data"].toObject();
        const QJsonObject ours = QJsonDocument::fromJson(range.out).object();
        QCOMPARE(ours, theirs);
        QCOMPARE(ours["resultType"].toString(), QStringLiteral("matrix"));
        QVERIFY2(ours["result"].toArray().size() == 3, range.out.constData());

        // Instant at --end, against the API at the same time.
        const CliRun instant
            = runQuorumdeck({"metrics", "query", "up", "--prometheus", url, "--end", secondsText(end), "-w", "json"});
        QVERIFY2(instant.exitCode == 0, instant.err.constData());
        const QJsonObject instantTheirs
            = ServerProcess::request(server.url("/api/v1/query?query=up&time=" + secondsText(end)))
                  .object()["data"]
                  .toObject();
        QCOMPARE(QJsonDocument::fromJson(instant.out).object(), instantTheirs);
        QCOMPARE(instantTheirs["resultType"].toString(), QStringLiteral("vector"));

        // Relative times; the text form names each series.
        const CliRun relative = runQuorumdeck({"metrics", "query", "up", "--prometheus", url, "--start", "-10s"});
        QVERIFY2(relative.exitCode == 0, relative.err.constData());
        QCOMPARE(relative.out.count("up{"), 3);

        // The server's own sentence for a query it refuses; exit 1.
        const CliRun bad = runQuorumdeck({"metrics", "query", "sum(", "--prometheus", url});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("parse error"), bad.err.constData());
        const CliRun badTime
            = runQuorumdeck({"metrics", "query", "up", "--prometheus", url, "--start", "yesterday-ish"});
        QCOMPARE(badTime.exitCode, 1);
        QVERIFY2(badTime.err.contains("is not a time"), badTime.err.constData());
    }

    /// A Prometheus that serves HTTPS only and asks every client for a certificate of its CA
    /// (its --web.config.file): the connection options' files reach it.
    void tlsReachesPrometheus()
    {
        const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (prometheus.isEmpty())
            QD_SKIP_WITHOUT("prometheus", "the server metrics query reads (installer/install-deps.sh --tests)");
        QTemporaryDir pki;
        TestCertificates certs(pki.path());
        QVERIFY2(certs.ok(), qPrintable(certs.error()));
        const QByteArray web = QStringLiteral("tls_server_config:\n  cert_file: %1\n  key_file: %2\n"
                                              "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: %3\n")
                                   .arg(certs.path("server.pem"), certs.path("server.key"), certs.path("ca.pem"))
                                   .toUtf8();
        ServerProcess server;
        QCOMPARE(server.start(prometheus,
                     {"--config.file={dir}/prometheus.yml", "--web.config.file={dir}/web.yml",
                         "--storage.tsdb.path={dir}/data", "--web.listen-address=127.0.0.1:{port}", "--log.level=warn"},
                     {{"prometheus.yml", "global:\n  scrape_interval: 1s\n"}, {"web.yml", web}}),
            QString());
        const QString url = server.url().toString().replace(QStringLiteral("http:"), QStringLiteral("https:"));
        const QStringList files {
            "--cacert", certs.path("ca.pem"), "--cert", certs.path("client.pem"), "--key", certs.path("client.key")};
        CliRun r;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         r = runQuorumdeck(
                             QStringList {"metrics", "query", "1+1", "--prometheus", url, "-w", "json"} + files);
                         return r.exitCode == 0;
                     },
                     30000),
            r.err.constData());
        const QJsonObject answer = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(answer["resultType"].toString(), QStringLiteral("scalar"));
        QCOMPARE(answer["result"].toArray()[1].toString(), QStringLiteral("2"));

        // Without the client certificate the server ends the handshake; without the CA the
        // console does not trust the server. Each is a sentence and exit 1.
        const CliRun noClient
            = runQuorumdeck({"metrics", "query", "1+1", "--prometheus", url, "--cacert", certs.path("ca.pem")});
        QCOMPARE(noClient.exitCode, 1);
        QVERIFY2(!noClient.err.trimmed().isEmpty(), noClient.out.constData());
        const CliRun untrusted = runQuorumdeck({"metrics", "query", "1+1", "--prometheus", url, "--cert",
            certs.path("client.pem"), "--key", certs.path("client.key")});
        QCOMPARE(untrusted.exitCode, 1);
        QVERIFY2(untrusted.err.contains("certificate"), untrusted.err.constData());
    }

    /// Prometheus and Alertmanager check no bearer token themselves (a proxy in front of
    /// them does), so what matters is that the token file's content travels in the
    /// Authorization header and nowhere else: a listener records the request and answers
    /// as the API reference documents.
    void theBearerTokenTravelsInTheHeader()
    {
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost));
        QByteArray request;
        connect(&listener, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = listener.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [socket, &request] {
                request += socket->readAll();
                if (!request.contains("\r\n\r\n"))
                    return;
                const QByteArray body
                    = R"({"status":"success","data":{"resultType":"scalar","result":[1700000000,"2"]}})";
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                              "Content-Length: "
                    + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                socket->disconnectFromHost();
            });
        });
        QTemporaryDir dir;
        QFile token(dir.filePath("token"));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("s3cret-token\n");
        token.close();
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(listener.serverPort());
        const CliRun r = runQuorumdeck(
            {"metrics", "query", "1+1", "--prometheus", url, "--bearer-token-file", token.fileName(), "-w", "json"},
            20000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(request.contains("\r\nAuthorization: Bearer s3cret-token\r\n"), request.constData());
        QVERIFY(!r.out.contains("s3cret-token"));
        QVERIFY(!r.err.contains("s3cret-token"));
    }

    void alertmanagerAlertsAreListed()
    {
        const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus-alertmanager"));
        if (binary.isEmpty())
            QD_SKIP_WITHOUT("prometheus-alertmanager",
                "the Alertmanager alerts --alertmanager reads "
                "(installer/install-deps.sh --tests)");
        ServerProcess am;
        QCOMPARE(am.startAlertmanager(binary), QString());
        QVERIFY(am.waitReady("/-/ready"));

        const QByteArray alerts = R"([
            {"labels": {"alertname": "etcdNoLeader", "severity": "critical", "instance": "10.0.0.1:2379", "cluster": "prod"},
             "annotations": {"summary": "etcd member has no leader."}},
            {"labels": {"alertname": "etcdHighFsyncDurations", "severity": "warning", "instance": "10.0.1.1:2379", "cluster": "staging"},
             "annotations": {"summary": "etcd WAL fsync is slow."}}])";
        ServerProcess::request(am.url("/api/v2/alerts"), &alerts);
        const QString url = am.url().toString();
        auto listed = [&](const QStringList &extra) {
            const CliRun r = runQuorumdeck(QStringList {"alerts", "--alertmanager", url, "-w", "json"} + extra, 10000);
            return std::pair {r, QJsonDocument::fromJson(r.out).object()["alerts"].toArray()};
        };
        QVERIFY2(
            QTest::qWaitFor([&] { return listed({}).second.size() == 2; }, 10000), "the posted alerts were not listed");
        const auto [all, list] = listed({});
        QCOMPARE(all.exitCode, 0);
        QVERIFY(all.ms < 10000);
        QStringList names;
        for (const QJsonValue &a : list)
            names << a["alert"].toString();
        names.sort();
        QCOMPARE(names, (QStringList {"etcdHighFsyncDurations", "etcdNoLeader"}));

        const auto [prod, prodList] = listed({"--cluster", "prod"});
        QCOMPARE(prod.exitCode, 0);
        QCOMPARE(prodList.size(), 1);
        QCOMPARE(prodList[0]["alert"].toString(), QStringLiteral("etcdNoLeader"));
        QCOMPARE(prodList[0]["severity"].toString(), QStringLiteral("critical"));
        QCOMPARE(prodList[0]["summary"].toString(), QStringLiteral("etcd member has no leader."));
        QCOMPARE(prodList[0]["state"].toString(), QStringLiteral("active"));
        QCOMPARE(prodList[0]["labels"]["instance"].toString(), QStringLiteral("10.0.0.1:2379"));

        // A silence shows: the alert is suppressed, silenced by its id.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QByteArray silence = QJsonDocument(
            QJsonObject {
                {"matchers",
                    QJsonArray {QJsonObject {{"name", "alertname"}, {"value", "etcdNoLeader"}, {"isRegex", false}}}},
                {"startsAt", now.toString(Qt::ISODateWithMs)},
                {"endsAt", now.addSecs(3600).toString(Qt::ISODateWithMs)}, {"createdBy", "tst_promapi_integration"},
                {"comment",
                    "maintenance"}}).toJson();
        const QString silenceId
            = ServerProcess::request(am.url("/api/v2/silences"), &silence).object()["silenceID"].toString();
        QVERIFY(!silenceId.isEmpty());
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         const auto [r, l] = listed({"--cluster", "prod"});
                         return l.size() == 1 && l[0]["silencedBy"].toArray().contains(silenceId)
                             && l[0]["state"].toString() == "suppressed";
                     },
                     15000),
            "the silence did not show");
        const CliRun text = runQuorumdeck({"alerts", "--alertmanager", url, "--cluster", "prod"});
        QVERIFY2(text.out.contains("silenced (" + silenceId.toUtf8()), text.out.constData());

        // Nothing listening: one sentence, exit 1, within seconds.
        const CliRun closed = runQuorumdeck({"alerts", "--alertmanager", "http://127.0.0.1:1"});
        QCOMPARE(closed.exitCode, 1);
        QVERIFY2(closed.err.contains("cannot reach"), closed.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestPromApiIntegration)
#include "tst_promapi_integration.moc"

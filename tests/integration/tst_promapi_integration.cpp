// Prometheus and Alertmanager as sources, against the real servers: `metrics query` prints
// exactly the `data` Prometheus' own HTTP API gives for the same query over demo members,
// and `alerts --alertmanager` lists what was posted to an Alertmanager, silences included.

#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/ServerProcess.h"
#include "support/TestSkip.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
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

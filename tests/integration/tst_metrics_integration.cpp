#include "profile/ClusterManifest.h"
#include "scrape/MetricsCollector.h"
#include "support/CliRun.h"
#include "support/DemoDirectory.h"
#include "support/ResultText.h"
#include "support/TestCertificates.h"
#include "support/TinyHttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <zlib.h>

/// `quorumdeck metrics scrape` and the collector against a live demo cluster and against payloads the test
/// serves itself (special values, rejected lines, gzip).
class TestMetricsIntegration : public QObject {
    Q_OBJECT

private slots:
    void everyMemberHasALeader();
    void specialValuesAndRejectedLines();
    void gzipIsAccepted();
    void collectorScrapesEveryMemberAndShowsGaps();
    void scrapesOverTlsWithAClientCertificate();

private:
    using Run = CliRun;
    static Run quorumdeck(const QStringList &args) { return runQuorumdeck(args); }

    static QJsonObject family(const QJsonObject &scrape, const QString &name)
    {
        for (const QJsonValue &f : scrape.value("families").toArray()) {
            if (f.toObject().value("name").toString() == name)
                return f.toObject();
        }
        return {};
    }
};

void TestMetricsIntegration::everyMemberHasALeader()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    QCOMPARE(quorumdeck({"demo", "up", "--dir", dir.path()}).exitCode, 0);
    ClusterManifest manifest;
    QCOMPARE(take(ClusterManifest::read(dir.path()), &manifest), QString());
    for (const LocalMember &m : manifest.members) {
        const Run r = quorumdeck({"metrics", "scrape", m.clientUrl, "-w", "json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject scrape = QJsonDocument::fromJson(r.out).object();
        QVERIFY(scrape.value("errors").toArray().isEmpty());
        const QJsonObject hasLeader = family(scrape, "etcd_server_has_leader");
        QCOMPARE(hasLeader.value("type").toString(), QStringLiteral("gauge"));
        QVERIFY(!hasLeader.value("help").toString().isEmpty());
        QCOMPARE(hasLeader.value("samples").toArray().first().toObject().value("value").toDouble(), 1.0);
        QVERIFY(scrape.value("families").toArray().size() > 100);
    }
    QCOMPARE(quorumdeck({"demo", "down", "--dir", dir.path()}).exitCode, 0);
}

void TestMetricsIntegration::specialValuesAndRejectedLines()
{
    TinyHttpServer server("# HELP s A summary\n# TYPE s summary\n"
                          "s{quantile=\"0.5\"} NaN\ns{quantile=\"0.9\",path=\"a\\\"b\"} +Inf 1700000000000\n"
                          "s_sum -Inf\ns_count 2\nbroken{ 1\n");
    const Run r = quorumdeck({"metrics", "scrape", server.url(), "-w", "json"});
    QCOMPARE(r.exitCode, 2);
    const QJsonObject scrape = QJsonDocument::fromJson(r.out).object();
    const QJsonArray samples = family(scrape, "s").value("samples").toArray();
    QCOMPARE(samples.size(), 4);
    QCOMPARE(samples.at(0).toObject().value("value").toString(), QStringLiteral("NaN"));
    QCOMPARE(samples.at(1).toObject().value("value").toString(), QStringLiteral("+Inf"));
    QCOMPARE(samples.at(1).toObject().value("timestamp").toInteger(), 1700000000000);
    QCOMPARE(samples.at(1).toObject().value("labels").toObject().value("path").toString(), QStringLiteral("a\"b"));
    QCOMPARE(samples.at(2).toObject().value("value").toString(), QStringLiteral("-Inf"));
    QCOMPARE(samples.at(3).toObject().value("value").toDouble(), 2.0);
    const QJsonArray errors = scrape.value("errors").toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).toObject().value("line").toInt(), 7);
    QVERIFY(server.lastRequest().contains("GET /metrics"));
}

void TestMetricsIntegration::gzipIsAccepted()
{
    const QByteArray plain = "# TYPE up gauge\nup 1\n";
    // gzip framing around zlib's deflate.
    z_stream z {};
    QVERIFY(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    QByteArray gz(256, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(plain.constData()));
    z.avail_in = uInt(plain.size());
    z.next_out = reinterpret_cast<Bytef *>(gz.data());
    z.avail_out = uInt(gz.size());
    QCOMPARE(deflate(&z, Z_FINISH), Z_STREAM_END);
    gz.resize(qsizetype(z.total_out));
    deflateEnd(&z);

    TinyHttpServer server(gz, "gzip");
    const Run r = quorumdeck({"metrics", "scrape", server.url()});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("up 1\n"));
    QVERIFY(QString::fromLatin1(server.lastRequest())
                .contains(QRegularExpression("accept-encoding:[^\r]*gzip", QRegularExpression::CaseInsensitiveOption)));
    QVERIFY(server.lastRequest().contains("User-Agent: QuorumDeck/"));
}

void TestMetricsIntegration::collectorScrapesEveryMemberAndShowsGaps()
{
    DemoDirectory dir(QStringLiteral(QUORUMDECK_BINARY));
    QCOMPARE(quorumdeck({"demo", "up", "--dir", dir.path()}).exitCode, 0);
    ClusterManifest manifest;
    QCOMPARE(take(ClusterManifest::read(dir.path()), &manifest), QString());
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString deadUrl = QStringLiteral("http://127.0.0.1:%1/metrics").arg(closed.serverPort());
    closed.close();

    MetricsCollector collector;
    QList<ScrapeTarget> targets;
    for (const LocalMember &m : manifest.members)
        targets << ScrapeTarget {QUrl(m.clientUrl).authority(), QUrl(m.clientUrl + "/metrics"), 200, 200};
    targets << ScrapeTarget {"dead", QUrl(deadUrl), 200, 200};
    QHash<QString, QList<ScrapeHealth>> seen;
    connect(&collector, &MetricsCollector::scraped, this, [&](const ScrapeHealth &h) { seen[h.instance] << h; });
    collector.setTargets(targets);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(targets.cbegin(), targets.cend(),
                                 [&](const ScrapeTarget &t) { return seen.value(t.instance).size() >= 3; }),
        15000);

    for (const ScrapeTarget &t : std::as_const(targets)) {
        const ScrapeHealth last = seen.value(t.instance).last(); // a copy: value() returns a temporary list
        if (t.instance == "dead") {
            QVERIFY(!last.up);
            QVERIFY(!last.error.isEmpty());
            continue;
        }
        QVERIFY2(last.up, qPrintable(last.error));
        QVERIFY(last.samples > 1000);
        QVERIFY(last.bytes > 100000);
    }
    collector.read([&](const SeriesStore &store) {
        const auto leaders = store.select("etcd_server_has_leader");
        QCOMPARE(leaders.size(), size_t(3));
        for (int id : leaders)
            QCOMPARE(store.range(id, 0, INT64_MAX).back().value, 1.0);
        // The dead target has only its up series, all zeros: a gap, not zeros, elsewhere.
        const auto up = store.select("up", {{"instance", "dead"}});
        QCOMPARE(up.size(), size_t(1));
        for (const SeriesPoint &p : store.range(up.front(), 0, INT64_MAX))
            QCOMPARE(p.value, 0.0);
        QVERIFY(store.select("scrape_duration_seconds", {{"instance", "dead"}}).empty());
        QCOMPARE(store.select("scrape_duration_seconds").size(), size_t(3));
    });
    QCOMPARE(quorumdeck({"demo", "down", "--dir", dir.path()}).exitCode, 0);
}

void TestMetricsIntegration::scrapesOverTlsWithAClientCertificate()
{
    QTemporaryDir dir;
    const TestCertificates certs(dir.path());
    QVERIFY2(certs.ok(), qPrintable(certs.error()));
    // A server that demands a client certificate from the test CA, as etcd does with
    // --client-cert-auth.
    TinyHttpsServer server("# TYPE etcd_server_has_leader gauge\netcd_server_has_leader 1\n");
    QSslConfiguration serverTls = QSslConfiguration::defaultConfiguration();
    serverTls.setLocalCertificateChain(QSslCertificate::fromPath(certs.path("server.pem")));
    QFile key(certs.path("server.key"));
    QVERIFY(key.open(QIODevice::ReadOnly));
    serverTls.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa));
    serverTls.setCaCertificates(QSslCertificate::fromPath(certs.path("ca.pem")));
    serverTls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    server.setSslConfiguration(serverTls);

    auto scrapeWith = [&](const TlsSettings &tls) {
        MetricsCollector collector;
        collector.setTls(tls);
        QSignalSpy scraped(&collector, &MetricsCollector::scraped);
        collector.setTargets({ScrapeTarget {"tls", QUrl(server.url()), 500, 500}});
        if (!scraped.wait(5000)) {
            ScrapeHealth none;
            none.error = QStringLiteral("no scrape within 5 s");
            return std::pair {none, size_t(0)};
        }
        const ScrapeHealth h = scraped.first().first().value<ScrapeHealth>();
        const size_t series
            = collector.read([](const SeriesStore &s) { return s.select("etcd_server_has_leader").size(); });
        return std::pair {h, series};
    };

    // CA, client certificate (an EC key) and key: scraped.
    const auto [good, series] = scrapeWith({certs.path("ca.pem"), certs.path("client.pem"), certs.path("client.key")});
    QVERIFY2(good.up, qPrintable(good.error));
    QCOMPARE(series, size_t(1));
    // No client certificate: the server refuses the handshake.
    const auto [noCert, none] = scrapeWith({certs.path("ca.pem"), {}, {}});
    QVERIFY(!noCert.up);
    QVERIFY(!noCert.error.isEmpty());
    QCOMPARE(none, size_t(0));
    // A CA the server's certificate does not chain to: the console refuses the server.
    const auto [wrongCa, _]
        = scrapeWith({certs.path("client.pem"), certs.path("client.pem"), certs.path("client.key")});
    QVERIFY(!wrongCa.up);
    QVERIFY2(wrongCa.error.contains("certificate", Qt::CaseInsensitive), qPrintable(wrongCa.error));
    // An unreadable key is named, and nothing is fetched.
    const auto [missingKey, __]
        = scrapeWith({certs.path("ca.pem"), certs.path("client.pem"), dir.filePath("nope.key")});
    QVERIFY(!missingKey.up);
    QVERIFY2(missingKey.error.contains("nope.key"), qPrintable(missingKey.error));

    // The command line takes the same files.
    const Run r = quorumdeck({"metrics", "scrape", server.url(), "--cacert", certs.path("ca.pem"), "--cert",
        certs.path("client.pem"), "--key", certs.path("client.key")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("etcd_server_has_leader 1\n"));
    const Run refused = quorumdeck({"metrics", "scrape", server.url(), "--cacert", certs.path("ca.pem")});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY(!refused.err.isEmpty());
}

QTEST_GUILESS_MAIN(TestMetricsIntegration)
#include "tst_metrics_integration.moc"

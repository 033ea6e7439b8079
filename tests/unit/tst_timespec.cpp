// The times and steps `metrics query` takes, as operators write them.

#include "promapi/ApiEndpoint.h"
#include "promapi/PrometheusApi.h"
#include "promapi/TimeSpec.h"

#include <QJsonDocument>
#include <QTest>
#include <cmath>

class TestTimeSpec : public QObject {
    Q_OBJECT

private slots:
    void rangeMatrixReads()
    {
        const QJsonObject data = QJsonDocument::fromJson(R"({"resultType": "matrix", "result": [
            {"metric": {"instance": "a:2379"}, "values": [[1700000000.5, "1"], [1700000001, "NaN"], [1700000002, "+Inf"]]},
            {"metric": {}, "values": [[1700000000, "-Inf"], [1700000001, "2.5e-3"]]}]})")
                                     .object();
        const QList<PromSeries> m = PromSeries::matrix(data);
        QCOMPARE(m.size(), 2);
        QCOMPARE(m[0].metric.value("instance"), QStringLiteral("a:2379"));
        QCOMPARE(m[0].points.size(), 3);
        QCOMPARE(m[0].points[0].first, qint64(1700000000500));
        QCOMPARE(m[0].points[0].second, 1.0);
        QVERIFY(std::isnan(m[0].points[1].second));
        QVERIFY(std::isinf(m[0].points[2].second) && m[0].points[2].second > 0);
        QVERIFY(std::isinf(m[1].points[0].second) && m[1].points[0].second < 0);
        QCOMPARE(m[1].points[1].second, 0.0025);
        QVERIFY(PromSeries::matrix(QJsonObject {{"resultType", "vector"}}).isEmpty());
    }

    void times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms"); // -1: refused
        const qint64 now = 1796541966000;
        QTest::newRow("now") << "now" << now;
        QTest::newRow("relative") << "-30s" << now - 30000;
        QTest::newRow("relative hours") << "-2h" << now - 7200000;
        QTest::newRow("now minus") << "now-1h30m" << now - 5400000;
        QTest::newRow("ahead") << "+5m" << now + 300000;
        QTest::newRow("unix seconds") << "1796541900" << qint64(1796541900000);
        QTest::newRow("unix fraction") << "1796541900.25" << qint64(1796541900250);
        QTest::newRow("rfc3339 utc") << "2026-12-06T10:00:00Z" << qint64(1796551200000);
        QTest::newRow("rfc3339 offset") << "2026-12-06T11:00:00+01:00" << qint64(1796551200000);
        QTest::newRow("rfc3339 millis") << "2026-12-06T10:00:00.5Z" << qint64(1796551200500);
        QTest::newRow("no zone") << "2026-12-06T10:00:00" << qint64(-1);
        QTest::newRow("words") << "yesterday" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
        QTest::newRow("bad unit") << "-5x" << qint64(-1);
    }

    void times()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const Result<qint64> r = TimeSpec::parseTime(text, 1796541966000);
        if (ms < 0) {
            QVERIFY(!r);
            QVERIFY(r.error().describe().contains(QStringLiteral("is not a time")));
            return;
        }
        QVERIFY2(r.ok(), qPrintable(r.problem()));
        QCOMPARE(r.value(), ms);
    }

    void steps()
    {
        QCOMPARE(TimeSpec::parseStep("15s").value(), qint64(15000));
        QCOMPARE(TimeSpec::parseStep("1m30s").value(), qint64(90000));
        QCOMPARE(TimeSpec::parseStep("500ms").value(), qint64(500));
        QCOMPARE(TimeSpec::parseStep("15").value(), qint64(15000));
        QCOMPARE(TimeSpec::parseStep("0.5").value(), qint64(500));
        QVERIFY(!TimeSpec::parseStep("0"));
        QVERIFY(!TimeSpec::parseStep("-1"));
        QVERIFY(!TimeSpec::parseStep("fast"));
    }

    void apiTimes()
    {
        QCOMPARE(TimeSpec::apiTime(1796541966000), QStringLiteral("1796541966"));
        QCOMPARE(TimeSpec::apiTime(1796541966250), QStringLiteral("1796541966.250"));
    }

    void pathsJoinTheBase()
    {
        ApiEndpoint e;
        e.url = QUrl("https://host/prometheus/");
        QCOMPARE(e.resolve("/api/v1/query").toString(), QStringLiteral("https://host/prometheus/api/v1/query"));
        e.url = QUrl("http://host:9090");
        QCOMPARE(e.resolve("/api/v1/query").toString(), QStringLiteral("http://host:9090/api/v1/query"));
    }
};

QTEST_GUILESS_MAIN(TestTimeSpec)
#include "tst_timespec.moc"

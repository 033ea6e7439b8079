// How the dashboard's history from Prometheus is asked for and read back: the grid of
// steps, gaps where the server had no value, and which member each instance is.

#include "cluster/ClusterSnapshot.h"
#include "session/MemberInstances.h"
#include "session/PrometheusHistory.h"

#include <QJsonDocument>
#include <QTest>
#include <cmath>

class TestPrometheusHistory : public QObject {
    Q_OBJECT

private slots:
    void stepsKeepTheirGridWhenTheWindowEndsEarly()
    {
        PanelQuery::Window window;
        window.fromMs = 1'700'000'007'000;
        window.toMs = window.fromMs + 24 * 3600 * 1000;
        window.columns = 600;
        const PanelQuery::Window whole = PrometheusHistory::remoteWindow(window);
        const int64_t step = whole.stepMs();
        QCOMPARE(step, int64_t(72'000)); // a day over 1,200 half-columns
        QCOMPARE(whole.fromMs % step, int64_t(0));
        QVERIFY(whole.fromMs <= window.fromMs);
        QCOMPARE(whole.intervalMs, PrometheusHistory::kIntervalMs);

        // Up to where the console's store begins: the same step, the end on the grid.
        for (const int64_t until : {window.fromMs + 3'600'000, window.fromMs + 3'672'000, window.fromMs + 100'000}) {
            const PanelQuery::Window part = PrometheusHistory::remoteWindow(window, until);
            QCOMPARE(part.stepMs(), step);
            QCOMPARE(part.fromMs % step, int64_t(0));
            QCOMPARE(part.toMs % step, int64_t(0));
            QVERIFY(part.fromMs <= window.fromMs);
            QVERIFY2(part.toMs <= std::max<int64_t>(until, part.fromMs + 2 * step), qPrintable(QString::number(until)));
            QCOMPARE(part.rateRangeMs(), whole.rateRangeMs());
        }

        // Short windows never step finer than Prometheus' own scrape interval.
        PanelQuery::Window live = window;
        live.toMs = live.fromMs + 5 * 60 * 1000;
        QCOMPARE(PrometheusHistory::remoteWindow(live).stepMs(), PrometheusHistory::kIntervalMs);
    }

    void answersBecomeLinesWithGaps()
    {
        const QJsonObject data = QJsonDocument::fromJson(R"({"resultType": "matrix", "result": [
            {"metric": {"instance": "b:2379"}, "values": [[100, "1"], [115, "2"], [160, "3"], [175, "NaN"]]},
            {"metric": {"instance": "a:2379"}, "values": [[100, "5"]]}]})")
                                     .object();
        const std::vector<PanelQuery::Line> lines
            = PrometheusHistory::lines(PromSeries::matrix(data), "in", PrometheusHistory::kIntervalMs);
        QCOMPARE(lines.size(), size_t(2));
        QCOMPARE(lines[0].instance, std::string("a:2379")); // sorted by instance
        QCOMPARE(lines[0].legend, std::string("in"));
        const std::vector<SeriesPoint> &b = lines[1].points;
        // 115 → 160 skips two steps: a NaN one step after the last value breaks the line.
        QCOMPARE(b.size(), size_t(5));
        QCOMPARE(b[1].timestampMs, int64_t(115'000));
        QCOMPARE(b[2].timestampMs, int64_t(130'000));
        QVERIFY(std::isnan(b[2].value));
        QCOMPARE(b[3].value, 3.0);
        QVERIFY(std::isnan(b[4].value)); // the server's own NaN stays one
    }

    void selectorNamesTheClusterOnly()
    {
        PrometheusHistory history("http://127.0.0.1:1", {}, {}, "prod \"eu\"");
        QCOMPARE(history.selector({"10.0.0.1:2379", "10.0.0.2:2379"}),
            QStringLiteral(
                "instance=~\"10\\\\.0\\\\.0\\\\.1:2379|10\\\\.0\\\\.0\\\\.2:2379\", cluster=\"prod \\\"eu\\\"\""));
        PrometheusHistory unlabelled("http://127.0.0.1:1", {}, {}, {});
        // Nothing known: nothing asked (it would be every etcd the server watches).
        QCOMPARE(unlabelled.selector({}), QString());
        bool answered = false;
        unlabelled.readMetric("etcd_server_has_leader", false, PanelQuery::Window {}, {},
            [&](const Result<std::vector<PanelQuery::Line>> &r) {
                answered = true;
                QVERIFY(!r);
                QVERIFY2(r.error().describe().contains("not ready"), qPrintable(r.error().describe()));
            });
        QVERIFY(answered);
    }

    void instancesAreMembersWithCorrections()
    {
        MemberListInfo list;
        list.members = {MemberInfo {0xa1, "etcd1", {}, {"http://127.0.0.1:23791"}},
            MemberInfo {0xb2, "etcd2", {}, {"https://127.0.0.1:23792", "http://127.0.0.1:9999"}}};
        const ClusterSnapshot snapshot = ClusterSnapshot::build(1000, list, true, {});
        MemberInstances instances;
        instances.update(snapshot);
        QCOMPARE(instances.at("127.0.0.1:23791").name, QStringLiteral("etcd1"));
        QCOMPARE(instances.at("127.0.0.1:23792").id, uint64_t(0xb2));
        QCOMPARE(instances.at("10.9.9.9:9100").name, QStringLiteral("10.9.9.9:9100")); // no member
        QCOMPARE(instances.at("10.9.9.9:9100").id, uint64_t(0));
        QCOMPARE(instances.idOf("etcd2"), uint64_t(0xb2));

        // Prometheus scrapes the metrics port: the profile says whose it is.
        instances.setCorrections({{"127.0.0.1:2381", "etcd2"}, {"127.0.0.1:2382", "gone"}});
        QCOMPARE(instances.at("127.0.0.1:2381").id, uint64_t(0xb2));
        QCOMPARE(instances.at("127.0.0.1:2381").name, QStringLiteral("etcd2"));
        QCOMPARE(instances.at("127.0.0.1:2382").name, QStringLiteral("gone"));
        QCOMPARE(instances.instances(),
            QStringList({"127.0.0.1:23791", "127.0.0.1:23792", "127.0.0.1:2381", "127.0.0.1:2382"}));

        // A member that leaves keeps its name: its lines stay in the history.
        list.members.removeLast();
        instances.update(ClusterSnapshot::build(2000, list, true, {}));
        QCOMPARE(instances.at("127.0.0.1:23792").name, QStringLiteral("etcd2"));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusHistory)
#include "tst_prometheushistory.moc"

// The console's alerts against a real Prometheus 2 evaluating the printed rules over the
// same demo members: two of three members stop, the third has no leader; both see
// etcdNoLeader pending for that member, then firing after its minute, then resolved when
// the members return.

#include "demo/PortAllocator.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/TestSkip.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

namespace {

/// A Prometheus server of its own: free port, throw-away config and data directory.
class PrometheusServer {
public:
    ~PrometheusServer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
        }
    }

    QString start(const QString &binary, const QStringList &targets, const QByteArray &rules)
    {
        const Result<QList<quint16>> ports = PortAllocator::freePorts(1);
        if (!ports)
            return ports.error().describe();
        m_port = ports.value().front();
        QFile rulesFile(m_dir.filePath(QStringLiteral("etcd-rules.yml")));
        if (!rulesFile.open(QIODevice::WriteOnly) || rulesFile.write(rules) != rules.size())
            return QStringLiteral("cannot write the rules file");
        rulesFile.close();
        QString config = QStringLiteral("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                        "rule_files:\n  - %1\nscrape_configs:\n  - job_name: etcd\n"
                                        "    static_configs:\n      - targets: [%2]\n")
                             .arg(rulesFile.fileName(),
                                 QStringLiteral("'") + targets.join(QStringLiteral("', '")) + QStringLiteral("'"));
        QFile configFile(m_dir.filePath(QStringLiteral("prometheus.yml")));
        if (!configFile.open(QIODevice::WriteOnly) || configFile.write(config.toUtf8()) < 0)
            return QStringLiteral("cannot write the configuration");
        configFile.close();
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(binary,
            {QStringLiteral("--config.file=") + configFile.fileName(),
                QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
                QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port), QStringLiteral("--log.level=warn")});
        if (!m_process.waitForStarted(10000))
            return QStringLiteral("prometheus did not start: ") + m_process.errorString();
        return {};
    }

    QUrl url(const QString &path) const { return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

QJsonObject getJson(QNetworkAccessManager &net, const QUrl &url)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(5000);
    QNetworkReply *reply = net.get(request);
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 6000))
        reply->abort();
    const QJsonObject out = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return out;
}

/// Prometheus' etcdNoLeader alerts: instance -> state.
QHash<QString, QString> prometheusNoLeader(QNetworkAccessManager &net, const PrometheusServer &server)
{
    QHash<QString, QString> out;
    const QJsonObject answer = getJson(net, server.url(QStringLiteral("/api/v1/alerts")));
    for (const QJsonValue &a :
        answer.value(QStringLiteral("data")).toObject().value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject labels = a.toObject().value(QStringLiteral("labels")).toObject();
        if (labels.value(QStringLiteral("alertname")).toString() == QLatin1String("etcdNoLeader"))
            out.insert(labels.value(QStringLiteral("instance")).toString(),
                a.toObject().value(QStringLiteral("state")).toString());
    }
    return out;
}

} // namespace

class TestAlertsIntegration : public QObject {
    Q_OBJECT

private slots:
    void noLeaderAsPrometheusSeesIt()
    {
        const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (prometheus.isEmpty())
            QD_SKIP_WITHOUT("prometheus", "the reference for alert evaluation (installer/install-deps.sh --tests)");
        DemoClusterFixture fx;
        QCOMPARE(fx.start(3), QString());
        const QList<LocalMember> members = fx.cluster().manifest().members;
        QStringList instances;
        for (const LocalMember &m : members)
            instances << QUrl(m.clientUrl).authority();

        const CliRun rules = runQuorumdeck({QStringLiteral("alerts"), QStringLiteral("rules")});
        QCOMPARE(rules.exitCode, 0);
        PrometheusServer server;
        QCOMPARE(server.start(prometheus, instances, rules.out), QString());
        QNetworkAccessManager net;
        // Ready once every member has been scraped and is up.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         const QJsonObject up = getJson(net, server.url(QStringLiteral("/api/v1/query?query=sum(up)")));
                         const QJsonArray r
                             = up.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
                         return !r.isEmpty()
                             && r[0].toObject().value(QStringLiteral("value")).toArray().at(1).toString()
                             == QLatin1String("3");
                     },
                     30000),
            "prometheus did not scrape the three members");

        QProcess watch;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), cliDataHome());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), cliConfigHome());
        watch.setProcessEnvironment(env);
        watch.start(QStringLiteral(QUORUMDECK_BINARY),
            {QStringLiteral("alerts"), QStringLiteral("watch"), QStringLiteral("-w"), QStringLiteral("json"),
                QStringLiteral("--duration"), QStringLiteral("10m"), QStringLiteral("--endpoints"),
                fx.endpoints().join(QLatin1Char(','))});
        QByteArray said;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         said += watch.readAllStandardError();
                         return said.contains("evaluating") || watch.state() == QProcess::NotRunning;
                     },
                     20000),
            "alerts watch did not start");
        QVERIFY2(said.contains("evaluating"), said.constData());

        // Lines as they come, parsed.
        QList<QJsonObject> lines;
        QByteArray pending;
        auto readLines = [&] {
            pending += watch.readAllStandardOutput();
            int nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                lines << QJsonDocument::fromJson(pending.left(nl)).object();
                pending.remove(0, nl + 1);
            }
        };
        const LocalMember &survivor = members[0];
        // The members stop one after the other, so the second one may lose its leader (and
        // say so) for a moment before it stops too: lines are looked up per member.
        auto find = [&](const QString &state, const QString &member) -> std::optional<QJsonObject> {
            readLines();
            for (const QJsonObject &l : lines) {
                if (l.value(QStringLiteral("alert")).toString() == QLatin1String("etcdNoLeader")
                    && l.value(QStringLiteral("state")).toString() == state
                    && l.value(QStringLiteral("member")).toString() == member)
                    return l;
            }
            return std::nullopt;
        };

        const QString survivorInstance = QUrl(survivor.clientUrl).authority();
        QVERIFY(fx.act(members[1].name, LocalCluster::MemberAction::Stop).ok());
        QVERIFY(fx.act(members[2].name, LocalCluster::MemberAction::Stop).ok());

        QVERIFY2(QTest::qWaitFor([&] { return find(QStringLiteral("pending"), survivor.name).has_value(); }, 30000),
            "the console never saw etcdNoLeader pending");
        const QJsonObject pendingLine = *find(QStringLiteral("pending"), survivor.name);
        QCOMPARE(pendingLine.value(QStringLiteral("member")).toString(), survivor.name);
        QCOMPARE(pendingLine.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(pendingLine.keys(),
            (QStringList {QStringLiteral("alert"), QStringLiteral("member"), QStringLiteral("severity"),
                QStringLiteral("since"), QStringLiteral("state"), QStringLiteral("summary")}));
        QVERIFY2(
            QTest::qWaitFor(
                [&] { return prometheusNoLeader(net, server).value(survivorInstance) == QLatin1String("pending"); },
                30000),
            "prometheus never saw etcdNoLeader pending for the survivor");
        QCOMPARE(prometheusNoLeader(net, server).keys(), QStringList {survivorInstance});

        QVERIFY2(QTest::qWaitFor([&] { return find(QStringLiteral("firing"), survivor.name).has_value(); }, 120000),
            "the console never fired etcdNoLeader");
        const QJsonObject firingLine = *find(QStringLiteral("firing"), survivor.name);
        QCOMPARE(firingLine.value(QStringLiteral("member")).toString(), survivor.name);
        // Like Prometheus (checked below), the console fires for the survivor alone: a stopped
        // member has no series left to keep its alert going.
        for (const LocalMember &stopped : {members[1], members[2]})
            QVERIFY2(!find(QStringLiteral("firing"), stopped.name).has_value(), qPrintable(stopped.name));
        const QDateTime pendingSince
            = QDateTime::fromString(pendingLine.value(QStringLiteral("since")).toString(), Qt::ISODate);
        const QDateTime firingSince
            = QDateTime::fromString(firingLine.value(QStringLiteral("since")).toString(), Qt::ISODate);
        QVERIFY(pendingSince.isValid() && firingSince.isValid());
        QVERIFY2(pendingSince.secsTo(firingSince) >= 60, "fired before its minute was up");
        QVERIFY2(QTest::qWaitFor(
                     [&] { return prometheusNoLeader(net, server).value(survivorInstance) == QLatin1String("firing"); },
                     30000),
            "prometheus did not fire etcdNoLeader for the survivor");

        QVERIFY(fx.act(members[1].name, LocalCluster::MemberAction::Restart).ok());
        QVERIFY(fx.act(members[2].name, LocalCluster::MemberAction::Restart).ok());
        QVERIFY2(QTest::qWaitFor([&] { return find(QStringLiteral("resolved"), survivor.name).has_value(); }, 60000),
            "the console never resolved etcdNoLeader for the survivor");
        QVERIFY2(QTest::qWaitFor([&] { return prometheusNoLeader(net, server).isEmpty(); }, 30000),
            "prometheus kept etcdNoLeader after the members returned");

        watch.terminate(); // an interrupt ends a watch successfully
        QVERIFY(watch.waitForFinished(10000));
        QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
        QCOMPARE(watch.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlertsIntegration)
#include "tst_alerts_integration.moc"

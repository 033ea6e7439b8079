// The maintenance questions against a real three-member cluster, each answer compared with
// etcdctl's: do the members hold the same data (`check consistency` against `etcdctl
// endpoint hashkv --rev`), what fills the database (`keyspace` against a walk of `etcdctl
// get --prefix -w json`), and `defrag --all`, which must never defragment the leader.

#include "cluster/ClusterMonitor.h"
#include "common/MemberId.h"
#include "demo/MemberProcesses.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/EtcdctlRun.h"
#include "support/TestSkip.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QStandardPaths>
#include <QTest>
#include <algorithm>
#include <memory>

namespace {

QJsonObject jsonOf(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

/// The test's own grouping, written from the contract rather than shared with the console:
/// the first `depth` segments of the key, never its last one.
QString groupOf(const QString &key, int depth)
{
    const bool rooted = key.startsWith(QLatin1Char('/'));
    QStringList segments = key.split(QLatin1Char('/'));
    if (rooted)
        segments.removeFirst();
    segments.removeLast(); // the key's own name
    const QStringList kept = segments.mid(0, depth);
    if (kept.isEmpty())
        return rooted ? QStringLiteral("/") : QString();
    return (rooted ? QStringLiteral("/") : QString()) + kept.join(QLatin1Char('/'));
}

} // namespace

class MaintenanceIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void consistencyAgreesWithEtcdctl();
    void consistencyRightAfterCompactingEverything();
    void keyspaceAgreesWithAnEtcdctlWalk_data();
    void keyspaceAgreesWithAnEtcdctlWalk();
    void defragAllNeverDefragmentsTheLeader();
    void minFreeSkipsMembersWithLittleToReclaim();

private:
    QStringList connection() const
    {
        return {QStringLiteral("--endpoints"), m_demo.endpoints().join(QLatin1Char(','))};
    }
    void put(const QByteArray &key, const QByteArray &value);

    DemoClusterFixture m_demo;
    std::unique_ptr<EtcdClient> m_client;
    std::unique_ptr<ClusterMonitor> m_monitor;
};

void MaintenanceIntegrationTest::initTestCase()
{
    if (!MemberProcesses::locateEtcd({}).ok())
        QD_SKIP_WITHOUT("etcd", "the checks run against a real cluster");
    if (QStandardPaths::findExecutable(QStringLiteral("etcdctl")).isEmpty())
        QD_SKIP_WITHOUT("etcdctl", "the reference the answers are compared with");
    const QString error = m_demo.start(3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_client = std::make_unique<EtcdClient>(m_demo.settings());
    m_monitor = std::make_unique<ClusterMonitor>(m_client.get());
    QVERIFY(QTest::qWaitFor([&] { return takeSnapshot(*m_monitor).isHealthy(); }, 20000));

    // More than two pages of keys (1,000 a page), in several groups and sizes: Kubernetes'
    // layout, cluster-scoped objects, keys outside any directory, and a few large values.
    // Shared with the callbacks, which may still arrive after a failed wait has returned.
    auto pending = std::make_shared<int>(0);
    const auto putAsync = [&](const QByteArray &key, const QByteArray &value) {
        ++*pending;
        m_client->put(m_demo.endpoints().at(*pending % 3), key, value, nullptr, [pending](const auto &r) {
            --*pending;
            if (!r.ok())
                qWarning("put failed: %s", qPrintable(r.error.sentence));
        });
    };
    for (int i = 0; i < 1500; ++i)
        putAsync("/registry/pods/ns-" + QByteArray::number(i % 4) + "/pod-" + QByteArray::number(i),
            QByteArray(50 + i % 200, 'p'));
    for (int i = 0; i < 700; ++i)
        putAsync("/registry/configmaps/kube-system/cm-" + QByteArray::number(i), QByteArray(20 + i % 50, 'c'));
    for (int i = 0; i < 30; ++i)
        putAsync("/registry/namespaces/ns-" + QByteArray::number(i), "{}");
    for (int i = 0; i < 20; ++i)
        putAsync("flat-" + QByteArray::number(i), "v");
    for (int i = 0; i < 5; ++i)
        putAsync("/big/blob-" + QByteArray::number(i), QByteArray(20000 + 1000 * i, 'b'));
    QVERIFY(QTest::qWaitFor([&] { return *pending == 0; }, 60000));
}

void MaintenanceIntegrationTest::put(const QByteArray &key, const QByteArray &value)
{
    auto r = std::make_shared<std::optional<EtcdResult<ResponseHeaderInfo>>>();
    m_client->put(m_demo.endpoints().first(), key, value, nullptr, [r](const auto &answer) { *r = answer; });
    QVERIFY(QTest::qWaitFor([&] { return r->has_value(); }, 10000));
    QVERIFY2((*r)->ok(), qPrintable((*r)->error.sentence));
}

void MaintenanceIntegrationTest::consistencyAgreesWithEtcdctl()
{
    // A compaction first, so that the revision chosen must lie above a compact revision.
    const ClusterSnapshot s = takeSnapshot(*m_monitor);
    int64_t revision = 0;
    for (const MemberState &m : s.members())
        revision = qMax(revision, m.revision);
    QVERIFY(revision > 100);
    const EtcdctlRun compact = etcdctl({QStringLiteral("--endpoints"), m_demo.endpoints().first(),
        QStringLiteral("compact"), QString::number(revision - 50), QStringLiteral("--physical")});
    QVERIFY2(compact.exitCode == 0, compact.err.constData());
    put("/after-compaction", "1");

    const CliRun run = runQuorumdeck(QStringList {QStringLiteral("check"), QStringLiteral("consistency"),
                                         QStringLiteral("-w"), QStringLiteral("json")}
        + connection());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject report = jsonOf(run.out);
    QVERIFY(report[QStringLiteral("consistent")].toBool());
    const qint64 at = report[QStringLiteral("revision")].toInteger();
    QVERIFY2(at > revision - 50, qPrintable(QString::number(at)));
    const QJsonArray members = report[QStringLiteral("members")].toArray();
    QCOMPARE(members.size(), 3);

    const EtcdctlRun reference = etcdctl({QStringLiteral("--endpoints"), m_demo.endpoints().join(QLatin1Char(',')),
        QStringLiteral("endpoint"), QStringLiteral("hashkv"), QStringLiteral("--rev"), QString::number(at),
        QStringLiteral("-w"), QStringLiteral("json")});
    QVERIFY2(reference.exitCode == 0, reference.err.constData());
    // etcdctl prints member ids as decimal numbers; JSON doubles cannot hold 64 bits, so
    // the ids are read from the text.
    QMap<QString, QPair<qint64, qint64>> byMember; // hex id → hash, compact revision
    const QJsonArray answers = QJsonDocument::fromJson(reference.out).array();
    QCOMPARE(answers.size(), 3);
    const QString text = QString::fromUtf8(reference.out);
    static const QRegularExpression idPattern(QStringLiteral("\"member_id\":(\\d+)"));
    auto ids = idPattern.globalMatch(text);
    for (const QJsonValue &a : answers) {
        QVERIFY(ids.hasNext());
        const QString id = MemberId::toHex(ids.next().captured(1).toULongLong());
        const QJsonObject h = a[QStringLiteral("HashKV")].toObject();
        byMember.insert(id, {h[QStringLiteral("hash")].toInteger(), h[QStringLiteral("compact_revision")].toInteger()});
    }
    for (const QJsonValue &m : members) {
        const QString id = m[QStringLiteral("id")].toString();
        QVERIFY2(byMember.contains(id), qPrintable(id));
        QCOMPARE(m[QStringLiteral("hash")].toInteger(), byMember.value(id).first);
        QCOMPARE(m[QStringLiteral("compactRevision")].toInteger(), byMember.value(id).second);
        QCOMPARE(m[QStringLiteral("compactRevision")].toInteger(), revision - 50);
        // etcd 3.4 does not report the hash revision: it is the one asked for.
        QCOMPARE(m[QStringLiteral("hashRevision")].toInteger(), at);
    }
}

void MaintenanceIntegrationTest::consistencyRightAfterCompactingEverything()
{
    // Compacted at the current revision with nothing written since: no revision lies above
    // the compaction, so the members' hashes of the current state are compared, as
    // `etcdctl endpoint hashkv` (revision 0) computes them.
    const EtcdctlRun status = etcdctl({QStringLiteral("--endpoints"), m_demo.endpoints().first(),
        QStringLiteral("endpoint"), QStringLiteral("status"), QStringLiteral("-w"), QStringLiteral("json")});
    QVERIFY2(status.exitCode == 0, status.err.constData());
    const qint64 revision = QJsonDocument::fromJson(status.out)
                                .array()
                                .first()[QStringLiteral("Status")][QStringLiteral("header")][QStringLiteral("revision")]
                                .toInteger();
    QVERIFY(revision > 0);
    const EtcdctlRun compact = etcdctl({QStringLiteral("--endpoints"), m_demo.endpoints().first(),
        QStringLiteral("compact"), QString::number(revision), QStringLiteral("--physical")});
    QVERIFY2(compact.exitCode == 0, compact.err.constData());

    const CliRun run = runQuorumdeck(QStringList {QStringLiteral("check"), QStringLiteral("consistency"),
                                         QStringLiteral("-w"), QStringLiteral("json")}
        + connection());
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    const QJsonObject report = jsonOf(run.out);
    QCOMPARE(report[QStringLiteral("revision")].toInteger(), revision);
    const EtcdctlRun reference = etcdctl({QStringLiteral("--endpoints"), m_demo.endpoints().join(QLatin1Char(',')),
        QStringLiteral("endpoint"), QStringLiteral("hashkv"), QStringLiteral("-w"), QStringLiteral("json")});
    QVERIFY2(reference.exitCode == 0, reference.err.constData());
    QSet<qint64> theirs;
    for (const QJsonValue &a : QJsonDocument::fromJson(reference.out).array()) {
        QCOMPARE(
            a[QStringLiteral("HashKV")][QStringLiteral("header")][QStringLiteral("revision")].toInteger(), revision);
        theirs.insert(a[QStringLiteral("HashKV")][QStringLiteral("hash")].toInteger());
    }
    QCOMPARE(theirs.size(), 1);
    for (const QJsonValue &m : report[QStringLiteral("members")].toArray()) {
        QCOMPARE(m[QStringLiteral("hash")].toInteger(), *theirs.cbegin());
        QCOMPARE(m[QStringLiteral("compactRevision")].toInteger(), revision);
    }
}

void MaintenanceIntegrationTest::keyspaceAgreesWithAnEtcdctlWalk_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("top");
    QTest::newRow("everything, default depth") << QString() << 3 << 10;
    QTest::newRow("pods, by resource") << QStringLiteral("/registry/pods") << 2 << 7;
    QTest::newRow("one segment") << QString() << 1 << 3;
}

void MaintenanceIntegrationTest::keyspaceAgreesWithAnEtcdctlWalk()
{
    QFETCH(QString, prefix);
    QFETCH(int, depth);
    QFETCH(int, top);
    QStringList args {QStringLiteral("keyspace"), QStringLiteral("--depth"), QString::number(depth),
        QStringLiteral("--top"), QString::number(top), QStringLiteral("-w"), QStringLiteral("json")};
    if (!prefix.isEmpty())
        args << QStringLiteral("--prefix") << prefix;
    const CliRun run = runQuorumdeck(args + connection());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.err.contains("walked"), run.err.constData()); // progress on stderr
    const QJsonObject summary = jsonOf(run.out);
    const qint64 revision = summary[QStringLiteral("revision")].toInteger();
    QVERIFY(revision > 0);

    // etcdctl reads the same revision in one go; its keys and values are base64.
    const EtcdctlRun get = etcdctl({QStringLiteral("--endpoints"), m_demo.endpoints().first(), QStringLiteral("get"),
        prefix.isEmpty() ? QStringLiteral("") : prefix, QStringLiteral("--prefix"), QStringLiteral("--rev"),
        QString::number(revision), QStringLiteral("-w"), QStringLiteral("json")});
    QVERIFY2(get.exitCode == 0, get.err.constData());
    const QJsonArray kvs = jsonOf(get.out)[QStringLiteral("kvs")].toArray();
    QVERIFY(kvs.size() > (prefix.isEmpty() ? 2000 : 1000));
    QMap<QString, QPair<qint64, qint64>> groups; // prefix → keys, bytes
    QList<QPair<qint64, QString>> sizes;
    qint64 total = 0;
    for (const QJsonValue &kv : kvs) {
        const QByteArray key = QByteArray::fromBase64(kv[QStringLiteral("key")].toString().toLatin1());
        const QByteArray value = QByteArray::fromBase64(kv[QStringLiteral("value")].toString().toLatin1());
        const qint64 bytes = key.size() + value.size();
        auto &g = groups[groupOf(QString::fromUtf8(key), depth)];
        ++g.first;
        g.second += bytes;
        sizes.append({bytes, QString::fromUtf8(key)});
        total += bytes;
    }
    QCOMPARE(summary[QStringLiteral("keys")].toInteger(), qint64(kvs.size()));
    QCOMPARE(summary[QStringLiteral("bytes")].toInteger(), total);

    const QJsonArray prefixes = summary[QStringLiteral("prefixes")].toArray();
    QCOMPARE(prefixes.size(), groups.size());
    qint64 previous = std::numeric_limits<qint64>::max();
    for (const QJsonValue &p : prefixes) {
        const QString name = p[QStringLiteral("prefix")].toString();
        QVERIFY2(groups.contains(name), qPrintable(name));
        QCOMPARE(p[QStringLiteral("keys")].toInteger(), groups.value(name).first);
        QCOMPARE(p[QStringLiteral("bytes")].toInteger(), groups.value(name).second);
        QVERIFY(p[QStringLiteral("bytes")].toInteger() <= previous); // largest first
        previous = p[QStringLiteral("bytes")].toInteger();
    }
    if (depth == 3 && prefix.isEmpty()) {
        QVERIFY(groups.contains(QStringLiteral("/registry/pods/ns-0")));
        QVERIFY(groups.contains(QStringLiteral("/registry/namespaces")));
    }

    std::sort(sizes.begin(), sizes.end(),
        [](const auto &a, const auto &b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    const QJsonArray largest = summary[QStringLiteral("largest")].toArray();
    QCOMPARE(largest.size(), qMin<qsizetype>(top, sizes.size()));
    for (int i = 0; i < largest.size(); ++i) {
        QCOMPARE(largest.at(i)[QStringLiteral("key")].toString(), sizes.at(i).second);
        QCOMPARE(largest.at(i)[QStringLiteral("bytes")].toInteger(), sizes.at(i).first);
    }
}

void MaintenanceIntegrationTest::defragAllNeverDefragmentsTheLeader()
{
    const ClusterSnapshot before = takeSnapshot(*m_monitor);
    QVERIFY(before.isHealthy());
    const QString leader = before.member(before.leaderId())->name;
    const CliRun run
        = runQuorumdeck(QStringList {QStringLiteral("defrag"), QStringLiteral("--all"), QStringLiteral("--pause"),
                            QStringLiteral("200ms"), QStringLiteral("-w"), QStringLiteral("json")}
            + connection());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject r = jsonOf(run.out);
    QCOMPARE(r[QStringLiteral("result")].toString(), QStringLiteral("done"));
    const QJsonArray steps = r[QStringLiteral("steps")].toArray();
    // One entry per member, the leadership move inside the former leader's entry.
    QCOMPARE(steps.size(), 3);
    QSet<QString> names;
    for (int i = 0; i < steps.size(); ++i) {
        const QJsonObject s = steps.at(i).toObject();
        names.insert(s[QStringLiteral("name")].toString());
        QCOMPARE(s[QStringLiteral("leader")].toBool(true), false);
        QVERIFY(s[QStringLiteral("skipped")].isNull());
        QVERIFY(s[QStringLiteral("before")].toInteger() > 0 && s[QStringLiteral("after")].toInteger() > 0);
        const bool wasLeader = s[QStringLiteral("name")].toString() == leader;
        QCOMPARE(s.contains(QStringLiteral("movedLeadershipTo")), wasLeader);
        QCOMPARE(wasLeader, i == 2); // the leader goes last
    }
    QCOMPARE(names.size(), 3);

    // One leader change for the one leader defragmented, no more: Raft's term counts them.
    const ClusterSnapshot after = takeSnapshot(*m_monitor);
    QVERIFY(after.isHealthy());
    QCOMPARE(after.term(), before.term() + 1);
    QVERIFY(after.leaderId() != before.leaderId());
    QCOMPARE(steps.at(2)[QStringLiteral("movedLeadershipTo")].toString(), after.member(after.leaderId())->name);
}

void MaintenanceIntegrationTest::minFreeSkipsMembersWithLittleToReclaim()
{
    const ClusterSnapshot before = takeSnapshot(*m_monitor);
    const CliRun run
        = runQuorumdeck(QStringList {QStringLiteral("defrag"), QStringLiteral("--all"), QStringLiteral("--min-free"),
                            QStringLiteral("1GiB"), QStringLiteral("-w"), QStringLiteral("json")}
            + connection());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonArray steps = jsonOf(run.out)[QStringLiteral("steps")].toArray();
    QCOMPARE(steps.size(), 3);
    for (const QJsonValue &s : steps) {
        QVERIFY2(s[QStringLiteral("skipped")].toString().contains(QLatin1String("less than --min-free 1.0 GiB")),
            qPrintable(s[QStringLiteral("skipped")].toString()));
        QVERIFY(!s.toObject().contains(QStringLiteral("movedLeadershipTo")));
    }
    // Nothing was moved: no election.
    QCOMPARE(takeSnapshot(*m_monitor).term(), before.term());

    const CliRun bad = runQuorumdeck(QStringList {QStringLiteral("defrag"), QStringLiteral("--all"),
                                         QStringLiteral("--min-free"), QStringLiteral("lots")}
        + connection());
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("--min-free takes a size"), bad.err.constData());
}

QTEST_GUILESS_MAIN(MaintenanceIntegrationTest)
#include "tst_maintenance_integration.moc"

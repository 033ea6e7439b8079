#include "storage/LocalVolume.h"
#include "storage/MemberStorage.h"
#include "storage/ReclaimRunbook.h"
#include "storage/StorageReader.h"
#include "support/SnapshotBuilder.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

/// The storage arithmetic, the runbook's plan (order and refusals) and the local volume
/// reader, without a cluster.
class StorageTest : public QObject {
    Q_OBJECT

private slots:
    void fragmentationAndHeadroom_data();
    void fragmentationAndHeadroom();
    void jsonCarriesTheContractKeys();
    void planPutsTheLeaderLast();
    void planSkipsUnreachableMembersAndRefusesLosingQuorum();
    void planForOneMemberAndUnknownNames();
    void oneMemberClusterMayBeDefragmented();
    void quotaIsReadFromEtcdMetrics();
    void localVolumeCountsWalAndSnapBytes();
};

void StorageTest::fragmentationAndHeadroom_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<qint64>("inUse");
    QTest::addColumn<qint64>("quota");
    QTest::addColumn<double>("fragmentation");
    QTest::addColumn<qint64>("headroom");
    QTest::addColumn<double>("used");
    QTest::newRow("quarter free") << qint64(4096) << qint64(3072) << qint64(16384) << 0.25 << qint64(12288) << 0.25;
    QTest::newRow("all in use") << qint64(8192) << qint64(8192) << qint64(8192) << 0.0 << qint64(0) << 1.0;
    QTest::newRow("past the quota") << qint64(20) << qint64(5) << qint64(16) << 0.75 << qint64(-4) << 1.25;
    QTest::newRow("empty database") << qint64(0) << qint64(0) << qint64(100) << 0.0 << qint64(100) << 0.0;
    QTest::newRow("quota unknown") << qint64(100) << qint64(50) << qint64(0) << 0.5 << qint64(0) << 0.0;
    // etcd reads size and in-use at different moments; in use can exceed size by a page.
    QTest::newRow("in use above size") << qint64(100) << qint64(104) << qint64(1000) << 0.0 << qint64(900) << 0.1;
}

void StorageTest::fragmentationAndHeadroom()
{
    QFETCH(qint64, size);
    QFETCH(qint64, inUse);
    QFETCH(qint64, quota);
    MemberStorage m;
    m.dbSize = size;
    m.dbSizeInUse = inUse;
    m.quota = quota;
    QTEST(m.fragmentation(), "fragmentation");
    QTEST(qint64(m.headroom()), "headroom");
    QTEST(m.quotaUsedFraction(), "used");
}

void StorageTest::jsonCarriesTheContractKeys()
{
    MemberStorage m;
    m.id = 0x8e9e05c52164694d;
    m.name = QStringLiteral("etcd1");
    m.dbSize = 2000;
    m.dbSizeInUse = 1500;
    m.quota = 4000;
    m.alarms = {QStringLiteral("NOSPACE")};
    QJsonObject o = m.toJson();
    QCOMPARE(o["id"].toString(), QStringLiteral("8e9e05c52164694d"));
    QCOMPARE(o["name"].toString(), QStringLiteral("etcd1"));
    QCOMPARE(o["dbSize"].toInteger(), 2000);
    QCOMPARE(o["dbSizeInUse"].toInteger(), 1500);
    QCOMPARE(o["quota"].toInteger(), 4000);
    QCOMPARE(o["fragmentation"].toDouble(), 0.25);
    QCOMPARE(o["alarms"].toArray(), QJsonArray {"NOSPACE"});
    // The local disk appears only for demo members, whose volume was read.
    QVERIFY(!o.contains("fsCapacity") && !o.contains("walBytes"));
    m.volume.known = true;
    m.volume.fsCapacity = 10;
    m.volume.fsFree = 4;
    m.volume.walBytes = 3;
    m.volume.snapBytes = 2;
    o = m.toJson();
    QCOMPARE(o["fsCapacity"].toInteger(), 10);
    QCOMPARE(o["fsFree"].toInteger(), 4);
    QCOMPARE(o["walBytes"].toInteger(), 3);
    QCOMPARE(o["snapBytes"].toInteger(), 2);
    // Unknown quota is null, never a made-up number.
    m.quota = 0;
    QVERIFY(m.toJson()["quota"].isNull());
}

void StorageTest::planPutsTheLeaderLast()
{
    // The leader is listed first; it must still come last.
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 5).member(2, "b", 1, 5).member(3, "c", 1, 5).build();
    ReclaimOptions options;
    options.compact = true;
    const ReclaimPlan plan = ReclaimRunbook::plan(s, options);
    QVERIFY2(plan.allowed, qPrintable(plan.sentence));
    QCOMPARE(plan.steps.size(), 5);
    QCOMPARE(plan.steps.at(0).kind, ReclaimStep::Kind::Compact);
    QCOMPARE(plan.steps.at(1).member, QStringLiteral("b"));
    QCOMPARE(plan.steps.at(2).member, QStringLiteral("c"));
    QCOMPARE(plan.steps.at(3).member, QStringLiteral("a"));
    QVERIFY(plan.steps.at(3).ledWhenPlanned);
    QVERIFY(!plan.steps.at(3).wasLeader); // known only once it is defragmented
    QCOMPARE(plan.steps.at(4).kind, ReclaimStep::Kind::Disarm);
    QVERIFY(plan.warning.contains(QLatin1String("answers no reads or writes")));
    QVERIFY(plan.warning.contains(QLatin1String("older revision")));

    // Without compaction the warning says nothing about it.
    const ReclaimPlan plain = ReclaimRunbook::plan(s, {});
    QCOMPARE(plain.steps.size(), 4);
    QVERIFY(!plain.warning.contains(QLatin1String("older revision")));
}

void StorageTest::planSkipsUnreachableMembersAndRefusesLosingQuorum()
{
    // Five voters, one down: four healthy, quorum three; blocking one leaves three.
    const ClusterSnapshot five = SnapshotBuilder()
                                     .member(1, "a", 2, 5)
                                     .member(2, "b", 2, 5)
                                     .member(3, "c", 2, 5)
                                     .member(4, "d", 2, 5)
                                     .down(5, "e")
                                     .build();
    const ReclaimPlan ok = ReclaimRunbook::plan(five, {});
    QVERIFY2(ok.allowed, qPrintable(ok.sentence));
    int skipped = 0;
    for (const ReclaimStep &step : ok.steps)
        if (step.state == ReclaimStep::State::Skipped) {
            ++skipped;
            QCOMPARE(step.member, QStringLiteral("e"));
        }
    QCOMPARE(skipped, 1);

    // Three voters, one down: blocking either survivor would lose quorum.
    const ClusterSnapshot three = SnapshotBuilder().member(1, "a", 1, 5).member(2, "b", 1, 5).down(3, "c").build();
    const ReclaimPlan refused = ReclaimRunbook::plan(three, {});
    QVERIFY(!refused.allowed);
    QVERIFY2(refused.sentence.contains(QLatin1String("only 2 of 3 voters are healthy")), qPrintable(refused.sentence));
    // Compacting and disarming alone block nobody.
    ReclaimOptions noDefrag;
    noDefrag.defragment = false;
    noDefrag.compact = true;
    QVERIFY(ReclaimRunbook::plan(three, noDefrag).allowed);

    // A learner blocks no voter: defragmenting it alone is fine even then.
    const ClusterSnapshot withLearner = SnapshotBuilder()
                                            .member(1, "a", 1, 5)
                                            .member(2, "b", 1, 5)
                                            .down(3, "c")
                                            .member(4, "l", 1, 5, 100, true)
                                            .build();
    ReclaimOptions learnerOnly;
    learnerOnly.member = QStringLiteral("l");
    QVERIFY2(ReclaimRunbook::plan(withLearner, learnerOnly).allowed,
        qPrintable(ReclaimRunbook::plan(withLearner, learnerOnly).sentence));

    const ClusterSnapshot leaderless = SnapshotBuilder().member(1, "a", 0, 5).member(2, "b", 0, 5).build();
    const ReclaimPlan none = ReclaimRunbook::plan(leaderless, {});
    QVERIFY(!none.allowed);
    QVERIFY(none.sentence.contains(QLatin1String("no leader")));
}

void StorageTest::planForOneMemberAndUnknownNames()
{
    const ClusterSnapshot s = SnapshotBuilder().member(1, "a", 1, 5).member(2, "b", 1, 5).member(3, "c", 1, 5).build();
    ReclaimOptions one;
    one.member = QStringLiteral("b");
    one.disarm = false;
    const ReclaimPlan plan = ReclaimRunbook::plan(s, one);
    QVERIFY(plan.allowed);
    QCOMPARE(plan.steps.size(), 1);
    QCOMPARE(plan.steps.at(0).memberId, uint64_t(2));

    one.member = QStringLiteral("zz");
    const ReclaimPlan unknown = ReclaimRunbook::plan(s, one);
    QVERIFY(!unknown.allowed);
    QCOMPARE(unknown.sentence, QStringLiteral("no member is called zz"));
}

void StorageTest::oneMemberClusterMayBeDefragmented()
{
    const ClusterSnapshot single = SnapshotBuilder().member(1, "solo", 1, 2).build();
    const ReclaimPlan plan = ReclaimRunbook::plan(single, {});
    QVERIFY2(plan.allowed, qPrintable(plan.sentence));
    QCOMPARE(plan.steps.size(), 2);
}

void StorageTest::quotaIsReadFromEtcdMetrics()
{
    QFile f(QFINDTESTDATA("../data/etcd-3.4.23-metrics.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray payload = f.readAll();
    const auto quota = StorageReader::quotaFromMetrics(payload);
    QVERIFY(quota.has_value());
    // The recorded member ran with etcd's default quota, 2 GiB.
    QCOMPARE(*quota, 2147483648.0);
    QVERIFY(!StorageReader::quotaFromMetrics("etcd_server_has_leader 1\n").has_value());
    QCOMPARE(*StorageReader::quotaFromMetrics("etcd_server_quota_backend_bytes 1.6777216e+07"), 16777216.0);
}

void StorageTest::localVolumeCountsWalAndSnapBytes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QDir(dir.path()).mkpath("member/wal");
    QDir(dir.path()).mkpath("member/snap/nested");
    auto write = [&](const QString &name, int bytes) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(bytes, 'x'));
    };
    write("member/wal/0000000000000000-0000000000000000.wal", 4000);
    write("member/wal/0.tmp", 1000);
    write("member/snap/db", 3000);
    write("member/snap/nested/0000000000000002-0000000000000010.snap", 500);
    write("elsewhere", 7000);
    const LocalVolume v = LocalVolume::read(dir.path());
    QVERIFY2(v.known, qPrintable(v.error));
    QCOMPARE(v.walBytes, 5000);
    QCOMPARE(v.snapBytes, 3500);
    QVERIFY(v.fsCapacity > 0);
    QVERIFY(v.fsFree >= 0 && v.fsFree <= v.fsCapacity);
    QVERIFY(v.fsUsedFraction() >= 0.0 && v.fsUsedFraction() <= 1.0);

    const LocalVolume missing = LocalVolume::read(dir.filePath("nope"));
    QVERIFY(!missing.known);
    QVERIFY(missing.error.contains(QLatin1String("does not exist")));
}

QTEST_GUILESS_MAIN(StorageTest)
#include "tst_storage.moc"

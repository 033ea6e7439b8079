// The consistency check's choice of revision and its verdict, against a stand-in for HashKV:
// real etcd members cannot be made to diverge on demand. The stand-in answers as etcd's
// mvcc store does: a revision at or below the compact revision is refused, one above the
// current revision is a future revision, revision 0 hashes at the current one.

#include "cluster/ConsistencyCheck.h"
#include "support/SnapshotBuilder.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

namespace {

/// One member's keyspace as far as HashKV can see it.
struct FakeMember {
    int64_t current = 0;
    int64_t compacted = 0;
    uint32_t hashSeed = 0; ///< members with equal seeds hold equal data
    bool answers = true;
};

class FakeCluster {
public:
    QHash<QString, FakeMember> members; ///< by endpoint
    QList<QPair<QString, int64_t>> calls;

    ConsistencyCheck::HashCall call()
    {
        return [this](const QString &endpoint, int64_t revision, EtcdCallback<HashKVInfo> done) {
            calls.append({endpoint, revision});
            const FakeMember m = members.value(endpoint);
            EtcdResult<HashKVInfo> r;
            if (!m.answers) {
                r.error
                    = EtcdError::fromStatus(EtcdError::DeadlineExceeded, QStringLiteral("Deadline Exceeded"), endpoint);
            } else if (revision > 0 && revision <= m.compacted) {
                r.error = EtcdError::fromStatus(
                    EtcdError::OutOfRange, QStringLiteral("mvcc: required revision has been compacted"), endpoint);
            } else if (revision > m.current) {
                r.error = EtcdError::fromStatus(
                    EtcdError::OutOfRange, QStringLiteral("mvcc: required revision is a future revision"), endpoint);
            } else {
                HashKVInfo h;
                h.header.revision = m.current;
                h.compactRevision = m.compacted;
                const int64_t at = revision == 0 ? m.current : revision;
                // What lies below the compact revision is not hashed: it changes the hash.
                h.hash = uint32_t(m.hashSeed * 1000003u + uint32_t(at) + uint32_t(qMax<int64_t>(m.compacted, 0)) * 7u);
                r.value = h;
            }
            // Answers arrive later, as from the network.
            QMetaObject::invokeMethod(
                QCoreApplication::instance(), [done, r] { done(r); }, Qt::QueuedConnection);
        };
    }
};

QString ep(uint64_t id)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(10000 + id);
}

ConsistencyReport run(FakeCluster &fake, const ClusterSnapshot &s)
{
    // On the heap, and left alone when it never finishes: answers still queued would
    // otherwise reach a destroyed check.
    auto *check = new ConsistencyCheck(fake.call());
    QSignalSpy done(check, &ConsistencyCheck::finished);
    if (!check->start(s) || !done.wait(5000))
        return {};
    delete check;
    return done.at(0).at(0).value<ConsistencyReport>();
}

} // namespace

class ConsistencyTest : public QObject {
    Q_OBJECT

private slots:
    void agreeingMembersAreConsistentAtTheLowestRevision();
    void theMinorityIsNamed();
    void aSplitWithoutMajorityNamesEveryone();
    void tooFewAnswersCannotDecide();
    void compactionMovesTheRevisionAbove();
    void compactedAtTheCurrentRevisionComparesThatState();
    void learnersAreListedNotHashed();
    void aCompactionBeingAppliedIsNoDivergence();
    void jsonCarriesTheContractKeys();
};

void ConsistencyTest::agreeingMembersAreConsistentAtTheLowestRevision()
{
    FakeCluster fake;
    fake.members = {{ep(1), {120, 10, 7}}, {ep(2), {118, 10, 7}}, {ep(3), {125, 10, 7}}};
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 5)
                                  .member(2, "b", 1, 5)
                                  .member(3, "c", 1, 5)
                                  .revision(1, 120)
                                  .revision(2, 118)
                                  .revision(3, 125)
                                  .build();
    const ConsistencyReport r = run(fake, s);
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Consistent);
    QCOMPARE(r.exitCode(), 0);
    QCOMPARE(r.revision, 118);
    QCOMPARE(fake.calls.size(), 3); // one hash per member when nothing is compacted past it
    for (const MemberHash &m : r.members) {
        QVERIFY(m.hashed());
        QCOMPARE(m.hashRevision, 118); // etcd 3.4 does not report it: the revision asked
        QCOMPARE(m.compactRevision, 10);
    }
    QCOMPARE(r.members.at(0).currentRevision, 120);
    QVERIFY2(
        r.sentence.startsWith(QLatin1String("consistent at revision 118: 3 members agree")), qPrintable(r.sentence));
}

void ConsistencyTest::theMinorityIsNamed()
{
    FakeCluster fake;
    fake.members
        = {{ep(1), {50, 0, 7}}, {ep(2), {50, 0, 7}}, {ep(3), {50, 0, 9}}, {ep(4), {50, 0, 7}}, {ep(5), {50, 0, 9}}};
    SnapshotBuilder b;
    for (uint64_t id = 1; id <= 5; ++id)
        b.member(id, QStringLiteral("m%1").arg(id), 1, 5).revision(id, 50);
    const ConsistencyReport r = run(fake, b.build());
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Divergent);
    QCOMPARE(r.exitCode(), 2);
    QCOMPARE(r.divergentNames(), (QStringList {"m3", "m5"}));
    QVERIFY2(r.sentence.contains(QLatin1String("m3 (hash")) && r.sentence.contains(QLatin1String("differ from the 3")),
        qPrintable(r.sentence));
}

void ConsistencyTest::aSplitWithoutMajorityNamesEveryone()
{
    FakeCluster fake;
    fake.members = {{ep(1), {50, 0, 1}}, {ep(2), {50, 0, 2}}, {ep(3), {50, 0, 3}}};
    SnapshotBuilder b;
    for (uint64_t id = 1; id <= 3; ++id)
        b.member(id, QStringLiteral("m%1").arg(id), 1, 5).revision(id, 50);
    const ConsistencyReport r = run(fake, b.build());
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Divergent);
    QCOMPARE(r.divergentNames().size(), 3);
    QVERIFY2(r.sentence.contains(QLatin1String("no majority")), qPrintable(r.sentence));
}

void ConsistencyTest::tooFewAnswersCannotDecide()
{
    // Two of three voters do not answer HashKV (one is down, one times out).
    FakeCluster fake;
    fake.members = {{ep(1), {50, 0, 7}}, {ep(2), {50, 0, 7, false}}};
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 5)
                                  .member(2, "b", 1, 5)
                                  .down(3, "c")
                                  .revision(1, 50)
                                  .revision(2, 50)
                                  .build();
    const ConsistencyReport r = run(fake, s);
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Undecided);
    QCOMPARE(r.exitCode(), 1);
    QVERIFY2(r.sentence.contains(QLatin1String("too few members answered")), qPrintable(r.sentence));
    QVERIFY2(r.sentence.contains(QLatin1String("b, c do not answer")), qPrintable(r.sentence));

    // Two of three that agree are a quorum: consistent, the third named as silent.
    fake.members[ep(2)].answers = true;
    const ConsistencyReport two = run(fake, s);
    QCOMPARE(two.verdict, ConsistencyReport::Verdict::Consistent);
    QVERIFY2(two.sentence.endsWith(QLatin1String("c does not answer")), qPrintable(two.sentence));
}

void ConsistencyTest::compactionMovesTheRevisionAbove()
{
    // The snapshot is older than a compaction: member c has compacted up to 60, past the
    // lowest revision the snapshot saw (55). The check learns it and hashes above it.
    FakeCluster fake;
    fake.members = {{ep(1), {70, 60, 7}}, {ep(2), {68, 60, 7}}, {ep(3), {72, 60, 7}}};
    const ClusterSnapshot s = SnapshotBuilder()
                                  .member(1, "a", 1, 5)
                                  .member(2, "b", 1, 5)
                                  .member(3, "c", 1, 5)
                                  .revision(1, 56)
                                  .revision(2, 55)
                                  .revision(3, 57)
                                  .build();
    const ConsistencyReport r = run(fake, s);
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Consistent);
    QCOMPARE(r.revision, 68); // strictly above 60, at or below every current revision
    for (const MemberHash &m : r.members)
        QVERIFY(m.compactRevision < r.revision && r.revision <= m.currentRevision);
}

void ConsistencyTest::compactedAtTheCurrentRevisionComparesThatState()
{
    // Compacted at the current revision with no write since: etcd hashes no revision above
    // the compaction, but every member hashed that one state when asked for revision 0.
    FakeCluster fake;
    fake.members = {{ep(1), {40, 40, 7}}, {ep(2), {40, 40, 7}}, {ep(3), {40, 40, 9}}};
    SnapshotBuilder b;
    for (uint64_t id = 1; id <= 3; ++id)
        b.member(id, QStringLiteral("m%1").arg(id), 1, 5).revision(id, 40);
    const ConsistencyReport r = run(fake, b.build());
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Divergent);
    QCOMPARE(r.revision, 40);
    QCOMPARE(r.divergentNames(), QStringList {QStringLiteral("m3")});

    // With a write arriving in between, the members stand at different revisions: no verdict.
    fake.members[ep(2)].current = 41;
    const ConsistencyReport racing = run(fake, b.build());
    QCOMPARE(racing.verdict, ConsistencyReport::Verdict::Undecided);
    QVERIFY2(racing.sentence.contains(QLatin1String("check again")), qPrintable(racing.sentence));
}

void ConsistencyTest::learnersAreListedNotHashed()
{
    FakeCluster fake;
    fake.members = {{ep(1), {50, 0, 7}}, {ep(2), {50, 0, 7}}, {ep(3), {50, 0, 7}}, {ep(4), {50, 0, 3}}};
    SnapshotBuilder b;
    for (uint64_t id = 1; id <= 3; ++id)
        b.member(id, QStringLiteral("m%1").arg(id), 1, 5).revision(id, 50);
    b.member(4, "l", 1, 5, 100, true).revision(4, 50);
    const ConsistencyReport r = run(fake, b.build());
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Consistent);
    QCOMPARE(r.members.size(), 4);
    const auto learner = std::find_if(
        r.members.cbegin(), r.members.cend(), [](const MemberHash &m) { return m.name == QLatin1String("l"); });
    QVERIFY(learner != r.members.cend());
    QCOMPARE(learner->outcome, MemberHash::Outcome::Learner);
    for (const auto &[endpoint, revision] : fake.calls)
        QVERIFY(endpoint != ep(4));
}

void ConsistencyTest::aCompactionBeingAppliedIsNoDivergence()
{
    // Same data, but m3 has not applied the compaction to 30 yet: its hash covers more.
    FakeCluster fake;
    fake.members = {{ep(1), {50, 30, 7}}, {ep(2), {50, 30, 7}}, {ep(3), {50, 20, 7}}};
    SnapshotBuilder b;
    for (uint64_t id = 1; id <= 3; ++id)
        b.member(id, QStringLiteral("m%1").arg(id), 1, 5).revision(id, 50);
    const ConsistencyReport r = run(fake, b.build());
    QCOMPARE(r.verdict, ConsistencyReport::Verdict::Undecided);
    QVERIFY2(r.sentence.contains(QLatin1String("compaction was being applied")), qPrintable(r.sentence));
    QVERIFY(r.divergentNames().isEmpty());
    QCOMPARE(fake.calls.size(), 3 * 4); // hashed again three times before giving no verdict
}

void ConsistencyTest::jsonCarriesTheContractKeys()
{
    FakeCluster fake;
    fake.members = {{ep(1), {50, 5, 7}}, {ep(2), {50, 5, 7}}, {ep(3), {50, 5, 8}}};
    SnapshotBuilder b;
    for (uint64_t id = 1; id <= 3; ++id)
        b.member(id, QStringLiteral("m%1").arg(id), 1, 5).revision(id, 50);
    const QJsonObject o = run(fake, b.build()).toJson();
    QCOMPARE(o["revision"].toInteger(), 50);
    QCOMPARE(o["consistent"].toBool(true), false);
    const QJsonArray members = o["members"].toArray();
    QCOMPARE(members.size(), 3);
    const QJsonObject m3 = members.at(2).toObject();
    QCOMPARE(m3["id"].toString(), QStringLiteral("0000000000000003"));
    QCOMPARE(m3["name"].toString(), QStringLiteral("m3"));
    QCOMPARE(m3["hash"].toInteger(), qint64(uint32_t(8 * 1000003u + 50u + 5u * 7u))); // the fake's hash
    QCOMPARE(m3["compactRevision"].toInteger(), 5);
    QCOMPARE(m3["hashRevision"].toInteger(), 50);
    QVERIFY(m3["divergent"].toBool());
}

QTEST_GUILESS_MAIN(ConsistencyTest)
#include "tst_consistency.moc"

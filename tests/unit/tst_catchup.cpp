// Following a member that has just joined until it holds what the cluster held: the target
// is fixed when a leader is first seen, the member is found by its peer URL, and a member
// that answers without following a leader has not caught up.

#include "cluster/CatchUp.h"
#include "support/SnapshotBuilder.h"

#include <QTest>

namespace {

/// SnapshotBuilder's peer URL for member id.
QString peerOf(uint64_t id)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(20000 + id);
}

} // namespace

class TestCatchUp : public QObject {
    Q_OBJECT

private slots:
    void startingThenBehindThenCaughtUp()
    {
        CatchUp watch(QStringLiteral("d"), peerOf(4), 1000, 60000);
        // Added but not started: listed without an answer.
        CatchUp::Reading r = watch.read(
            SnapshotBuilder(2000).member(1, "a", 1, 3, 1000).member(2, "b", 1, 3, 1000).down(4, "").build());
        QCOMPARE(r.state, CatchUp::State::Waiting);
        QCOMPARE(r.target, 1000u);
        QCOMPARE(r.sentence, QStringLiteral("d is starting: index 0 of 1000 (0 %)"));
        QVERIFY(!r.finished());
        // Answering halfway; the leader has moved on, the target has not.
        r = watch.read(SnapshotBuilder(3000).member(1, "a", 1, 3, 1200).member(4, "d", 1, 3, 500).build());
        QCOMPARE(r.state, CatchUp::State::Behind);
        QCOMPARE(r.index, 500u);
        QCOMPARE(r.target, 1000u);
        QCOMPARE(r.sentence, QStringLiteral("d is catching up: index 500 of 1000 (50 %)"));
        r = watch.read(SnapshotBuilder(4000).member(1, "a", 1, 3, 1300).member(4, "d", 1, 3, 1000).build());
        QCOMPARE(r.state, CatchUp::State::CaughtUp);
        QVERIFY(r.finished());
        QCOMPARE(r.sentence, QStringLiteral("d has caught up (index 1000)"));
    }

    void aMemberWithoutALeaderHasNotCaughtUp()
    {
        CatchUp watch(QStringLiteral("d"), peerOf(4), 0, 60000);
        const CatchUp::Reading r
            = watch.read(SnapshotBuilder(1000).member(1, "a", 1, 3, 50).member(4, "d", 0, 3, 80).build());
        QCOMPARE(r.state, CatchUp::State::Behind);
        QCOMPARE(r.index, 80u);
    }

    void noLeaderMeansNoTargetYet()
    {
        CatchUp watch(QStringLiteral("d"), peerOf(4), 0, 60000);
        CatchUp::Reading r = watch.read(SnapshotBuilder(1000).member(1, "a", 0, 3, 50).down(4, "d").build());
        QCOMPARE(r.target, 0u);
        QCOMPARE(r.sentence, QStringLiteral("d is starting: index 0, no leader seen yet"));
        r = watch.read(SnapshotBuilder(2000).member(1, "a", 1, 4, 70).member(4, "d", 1, 4, 70).build());
        QCOMPARE(r.target, 70u);
        QCOMPARE(r.state, CatchUp::State::CaughtUp);
    }

    void givesUpAtItsDeadline()
    {
        CatchUp watch(QStringLiteral("d"), peerOf(4), 1000, 5000);
        CatchUp::Reading r
            = watch.read(SnapshotBuilder(6000).member(1, "a", 1, 3, 100).member(4, "d", 1, 3, 40).build());
        QCOMPARE(r.state, CatchUp::State::Behind);
        r = watch.read(SnapshotBuilder(6001).member(1, "a", 1, 3, 100).member(4, "d", 1, 3, 40).build());
        QCOMPARE(r.state, CatchUp::State::TimedOut);
        QVERIFY(r.finished());
        QCOMPARE(r.sentence, QStringLiteral("d has not caught up within 5 s: index 40 of 100 (40 %)"));
    }
};

QTEST_GUILESS_MAIN(TestCatchUp)
#include "tst_catchup.moc"

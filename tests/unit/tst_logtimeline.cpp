// Lines of several sources in one timeline, and the log formats a control plane writes:
// etcd's JSON, klog's header, the API's timestamp prefix.

#include "logs/LogTimeline.h"

#include <QDateTime>
#include <QTest>

namespace {

MemberLogEntry line(qint64 timeMs, const QString &source, const QString &message)
{
    MemberLogEntry e;
    e.timeMs = timeMs;
    e.source = source;
    e.message = message;
    return e;
}

QStringList messages(const QList<MemberLogEntry> &lines)
{
    QStringList out;
    for (const MemberLogEntry &e : lines)
        out << e.message;
    return out;
}

} // namespace

class TestLogTimeline : public QObject {
    Q_OBJECT

private slots:
    void mergesSourcesByTime()
    {
        QList<MemberLogEntry> timeline;
        QCOMPARE(LogTimeline::merge(timeline, {line(10, "a", "a10"), line(30, "a", "a30")}), qsizetype(0));
        // Another source's batch interleaves: the first changed line is where b15 went.
        QCOMPARE(LogTimeline::merge(timeline, {line(15, "b", "b15"), line(30, "b", "b30"), line(40, "b", "b40")}),
            qsizetype(1));
        QCOMPARE(messages(timeline), (QStringList {"a10", "b15", "a30", "b30", "b40"}));
        // Lines after all the others only append.
        QCOMPARE(LogTimeline::merge(timeline, {line(50, "a", "a50")}), qsizetype(5));
        QCOMPARE(messages(timeline).constLast(), "a50");
    }

    void aLineWithoutATimeStaysWithItsNeighbour()
    {
        QList<MemberLogEntry> timeline {line(10, "a", "a10"), line(40, "a", "a40")};
        LogTimeline::merge(timeline, {line(20, "b", "panic: boom"), line(0, "b", "goroutine 1 [running]:")});
        QCOMPARE(messages(timeline), (QStringList {"a10", "panic: boom", "goroutine 1 [running]:", "a40"}));
    }

    void parsesKlogAndTheApisTimestamps()
    {
        const MemberLogEntry k = MemberLogEntry::parse(
            "E1201 17:02:23.100111       1 leaderelection.go:285] failed to renew lease kube-system/kube-scheduler");
        QCOMPARE(k.level, MemberLogEntry::Level::Error);
        QCOMPARE(k.caller, "leaderelection.go:285");
        QCOMPARE(k.message, "failed to renew lease kube-system/kube-scheduler");
        QVERIFY(k.isLeadership());
        const QDateTime local = QDateTime::fromMSecsSinceEpoch(k.timeMs);
        QCOMPARE(local.time(), QTime(17, 2, 23, 100));
        QCOMPARE(local.date().month(), 12);
        QVERIFY(local.date() <= QDate::currentDate()); // never a date to come

        const MemberLogEntry stamped = MemberLogEntry::parseTimestamped(
            R"(2026-12-01T16:41:42.311004512Z {"level":"info","ts":"2026-12-01T16:41:42.310Z","msg":"x became leader at term 2"})");
        QCOMPARE(stamped.timeMs, QDateTime(QDate(2026, 12, 1), QTime(16, 41, 42, 311), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(stamped.message, "x became leader at term 2");
        QCOMPARE(stamped.level, MemberLogEntry::Level::Info);

        const MemberLogEntry plain = MemberLogEntry::parseTimestamped("not-a-time some text");
        QCOMPARE(plain.message, "not-a-time some text");
        QCOMPARE(plain.timeMs, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestLogTimeline)
#include "tst_logtimeline.moc"

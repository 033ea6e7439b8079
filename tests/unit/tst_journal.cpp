#include "journal/Journal.h"

#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

/// The SQLite journal: history survives a reopen; a damaged file is reported, left alone,
/// and the console keeps its events in memory.
class TestJournal : public QObject {
    Q_OBJECT

private slots:
    void historySurvivesReopen();
    void damagedFileIsReportedNotFatal();
    void exportsJsonLinesAndCsv();
    void journalOfAnEarlierVersionIsUpgraded();

private:
    static ClusterEvent event(ClusterEvent::Type type, qint64 time, uint64_t member)
    {
        ClusterEvent e;
        e.type = type;
        e.timeMs = time;
        e.member = member;
        e.to = member;
        e.term = 7;
        e.detail = "a, \"quoted\" detail";
        return e;
    }

    struct History {
        QList<ClusterEvent> events;
        QList<OperatorAction> actions;
    };
    static History load(Journal &journal, uint64_t cluster)
    {
        QSignalSpy spy(&journal, &Journal::historyLoaded);
        journal.loadHistory(cluster);
        if (!spy.wait(5000))
            return {};
        return {spy.first().at(1).value<QList<ClusterEvent>>(), spy.first().at(2).value<QList<OperatorAction>>()};
    }
};

void TestJournal::historySurvivesReopen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("journal.sqlite");
    const QList<ClusterEvent> written {
        event(ClusterEvent::Type::LeaderChanged, 1000, 0xa), event(ClusterEvent::Type::MemberUnreachable, 2000, 0xb)};
    OperatorAction action {1500, "alice", "move-leader", "etcd2", "done", "leadership moved"};
    {
        Journal journal(path);
        journal.recordEvents(0xc1, written);
        journal.recordAction(0xc1, action);
        journal.recordEvents(0xc2, {event(ClusterEvent::Type::QuorumLost, 3000, 0)});
    }
    Journal reopened(path);
    const History h = load(reopened, 0xc1);
    QCOMPARE(h.events, written);
    QCOMPARE(h.actions, QList<OperatorAction> {action});
    QCOMPARE(load(reopened, 0xc2).events.size(), 1);
    QVERIFY(reopened.problem().isEmpty());
}

void TestJournal::journalOfAnEarlierVersionIsUpgraded()
{
    // A journal written before events carried the unseen elections' count and start: its
    // rows stay readable, and new events with those figures are kept beside them.
    QTemporaryDir dir;
    const QString path = dir.filePath("journal.sqlite");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("CREATE TABLE events (cluster TEXT NOT NULL, time_ms INTEGER NOT NULL, type TEXT NOT NULL, "
                       "member TEXT, from_id TEXT, to_id TEXT, term INTEGER, detail TEXT, requested INTEGER)"));
        QVERIFY(q.exec("INSERT INTO events VALUES ('00000000000000c1', 1000, 'LeaderChanged', '000000000000000a', "
                       "'000000000000000b', '000000000000000a', 7, 'an old row', 0)"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));

    ClusterEvent unseen = event(ClusterEvent::Type::ElectionsUnseen, 5000, 0xa);
    unseen.from = 0xa;
    unseen.sinceMs = 4000;
    unseen.unseenElections = 2;
    {
        Journal journal(path);
        journal.recordEvents(0xc1, {unseen});
    }
    Journal reopened(path);
    const History h = load(reopened, 0xc1);
    QVERIFY(reopened.problem().isEmpty());
    QCOMPARE(h.events.size(), 2);
    QCOMPARE(h.events[0].type, ClusterEvent::Type::LeaderChanged);
    QCOMPARE(h.events[0].timeMs, 1000);
    QCOMPARE(h.events[0].from, 0xbu);
    QCOMPARE(h.events[0].detail, QStringLiteral("an old row"));
    QCOMPARE(h.events[0].sinceMs, 0);
    QCOMPARE(h.events[0].unseenElections, 0);
    QCOMPARE(h.events[1], unseen);
}

void TestJournal::damagedFileIsReportedNotFatal()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("journal.sqlite");
    const QByteArray garbage
        = QByteArray("this is not an SQLite database, and it must survive untouched\n").repeated(200);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
    }
    Journal journal(path);
    QSignalSpy problem(&journal, &Journal::problemChanged);
    journal.recordEvents(0xc1, {event(ClusterEvent::Type::LeaderChanged, 1000, 0xa)});
    QVERIFY(problem.wait(5000));
    QVERIFY2(journal.problem().contains(path), qPrintable(journal.problem()));
    QVERIFY(journal.problem().contains("kept in memory"));
    // The events are still there for the console, and the damaged file is untouched.
    QCOMPARE(load(journal, 0xc1).events.size(), 1);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), garbage);
}

void TestJournal::exportsJsonLinesAndCsv()
{
    QTemporaryDir dir;
    Journal journal(dir.filePath("journal.sqlite"));
    journal.recordEvents(0xc1, {event(ClusterEvent::Type::LeaderChanged, 1000, 0xa)});
    journal.recordAction(0xc1, {1500, "alice", "member-remove", "etcd3", "refused", "refused: below quorum"});
    for (const QString format : {"jsonl", "csv"}) {
        QSignalSpy done(&journal, &Journal::exported);
        const QString out = dir.filePath("export." + format);
        journal.exportHistory(0xc1, out, format);
        QVERIFY(done.wait(5000));
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        if (format == "jsonl") {
            QCOMPARE(lines.size(), 3); // two records and the final newline
            QVERIFY(lines.at(0).contains("\"type\":\"LeaderChanged\""));
            QVERIFY(lines.at(1).contains("\"action\":\"member-remove\""));
        } else {
            QCOMPARE(lines.size(), 4); // header, two records, final newline
            QVERIFY(lines.at(0).startsWith("time,kind,type"));
            QVERIFY(lines.at(1).contains("\"a, \"\"quoted\"\" detail\""));
            QVERIFY(lines.at(2).contains(",action,member-remove,"));
        }
    }
}

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"

// The journald log source against journalctl itself: a journal file written by
// systemd-journal-remote from entries in the journal's export format (etcd's JSON lines, a
// plain-text line with only the journal's priority, a message that is not UTF-8, a line of
// another unit), read back through `journalctl -o json` as the console reads a master's
// journal. The count agrees with journalctl's own `-o cat`.

#include "logs/JournalTail.h"
#include "support/TestSkip.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

namespace {

QString journalRemote()
{
    for (const char *path : {"/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote"})
        if (QFile::exists(QLatin1String(path)))
            return QLatin1String(path);
    return {};
}

/// One entry in the journal export format: FIELD=value lines, a binary field as its name, a
/// newline, its length as 64-bit little endian and its bytes; an empty line ends it.
QByteArray entry(
    qint64 realtimeUs, const QByteArray &unit, int priority, const QByteArray &message, bool binary = false)
{
    QByteArray e = "__REALTIME_TIMESTAMP=" + QByteArray::number(realtimeUs) + "\n_SYSTEMD_UNIT=" + unit
        + ".service\n_HOSTNAME=master2\nSYSLOG_IDENTIFIER=" + unit + "\nPRIORITY=" + QByteArray::number(priority)
        + "\n";
    if (binary) {
        char size[8];
        qToLittleEndian<quint64>(quint64(message.size()), size);
        e += "MESSAGE\n" + QByteArray(size, 8) + message + "\n";
    } else {
        e += "MESSAGE=" + message + "\n";
    }
    return e + "\n";
}

} // namespace

class TestJournalTail : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable("journalctl").isEmpty())
            QD_SKIP_WITHOUT("journalctl", "the journald source reads the journal through it (package systemd)");
        if (journalRemote().isEmpty())
            QD_SKIP_WITHOUT("systemd-journal-remote", "the test writes its journal file with it");
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath("remote-master2.journal");
        const qint64 t0 = 1764607302311004; // 2025-12-01T16:41:42.311004Z
        QByteArray export_;
        export_ += entry(t0, "etcd", 6,
            R"({"level":"info","ts":"2025-12-01T16:41:42.310Z","caller":"raft/raft.go:700",)"
            R"("msg":"91bc3c398fb3c146 is starting a new election at term 1"})");
        export_ += entry(t0 + 1000, "etcd", 6,
            R"({"level":"info","ts":"2025-12-01T16:41:42.311Z","caller":"raft/raft.go:1024",)"
            R"("msg":"91bc3c398fb3c146 became leader at term 2"})");
        export_ += entry(t0 + 2000, "kubelet", 6, "I1201 16:41:42.313000  812 kubelet.go:2000] another unit's line");
        export_ += entry(t0 + 3000, "etcd", 3, "panic: runtime error: invalid memory address");
        export_ += entry(t0 + 4000, "etcd", 4, QByteArray("checksum mismatch in \xff\xfe page"), true);
        QProcess remote;
        remote.start(journalRemote(), {"--output=" + m_file, "-"});
        QVERIFY(remote.waitForStarted());
        remote.write(export_);
        remote.closeWriteChannel();
        QVERIFY(remote.waitForFinished(20000));
        QVERIFY2(QFile::exists(m_file), remote.readAllStandardError().constData());
    }

    void readsAUnitsEntries()
    {
        JournalTail::Options o;
        o.units = {"etcd"};
        o.file = m_file;
        JournalTail tail(o);
        QList<MemberLogEntry> lines;
        connect(&tail, &JournalTail::linesRead, this, [&](const QList<MemberLogEntry> &l) { lines += l; });
        QSignalSpy finished(&tail, &JournalTail::finished);
        QSignalSpy failed(&tail, &JournalTail::failed);
        tail.start();
        QVERIFY(finished.wait(20000));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

        // As many as journalctl itself prints for the unit.
        QProcess cat;
        cat.start("journalctl", {"--file", m_file, "--unit", "etcd", "--output=cat", "--no-pager"});
        QVERIFY(cat.waitForFinished(20000));
        QCOMPARE(lines.size(), cat.readAllStandardOutput().trimmed().split('\n').size());
        QCOMPARE(lines.size(), 4);

        // etcd's own fields where its line has them.
        QCOMPARE(lines[1].message, "91bc3c398fb3c146 became leader at term 2");
        QVERIFY(lines[1].isLeadership());
        QCOMPARE(lines[1].level, MemberLogEntry::Level::Info);
        QCOMPARE(
            lines[1].timeMs, QDateTime::fromString("2025-12-01T16:41:42.311Z", Qt::ISODateWithMs).toMSecsSinceEpoch());
        QCOMPARE(lines[1].source, "master2");
        // The journal's time and priority where the line is plain text.
        QCOMPARE(lines[2].message, "panic: runtime error: invalid memory address");
        QCOMPARE(lines[2].level, MemberLogEntry::Level::Error);
        QCOMPARE(lines[2].timeMs, (1764607302311004 + 3000) / 1000);
        // A message journald keeps as bytes.
        QVERIFY2(lines[3].message.startsWith("checksum mismatch in "), qPrintable(lines[3].message));
        QCOMPARE(lines[3].level, MemberLogEntry::Level::Warn);
    }

    void aMissingFileIsASentence()
    {
        JournalTail::Options o;
        o.file = m_dir.filePath("no-such.journal");
        JournalTail tail(o);
        QSignalSpy failed(&tail, &JournalTail::failed);
        QSignalSpy finished(&tail, &JournalTail::finished);
        tail.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().startsWith("journalctl: "),
            qPrintable(failed.first().first().toString()));
    }

    void aMissingJournalctlIsASentence()
    {
        JournalTail::Options o;
        o.journalctl = m_dir.filePath("no-journalctl-here");
        JournalTail tail(o);
        QSignalSpy failed(&tail, &JournalTail::failed);
        tail.start();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QVERIFY(failed.first().first().toString().contains("could not be started"));
    }

private:
    QTemporaryDir m_dir;
    QString m_file;
};

QTEST_GUILESS_MAIN(TestJournalTail)
#include "tst_journaltail.moc"

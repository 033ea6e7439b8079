#include "backup/BackupCatalog.h"
#include "backup/BackupManifest.h"
#include "backup/SnapshotFile.h"
#include "backup/StagingFile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

namespace {

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(7);
    for (char &b : bytes)
        b = char(generator.bounded(256));
    return bytes;
}

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(content), content.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

BackupManifest manifestOf(const QString &cluster, const QDateTime &time, qint64 revision)
{
    BackupManifest m;
    m.clusterId = cluster;
    m.time = time;
    m.revision = revision;
    m.sha256 = QString(64, QLatin1Char('a'));
    return m;
}

} // namespace

/// The parts of a backup that need no etcd: the hashes of a file, the manifest, pruning and
/// the unnamed file a backup is written to.
class BackupFilesTest : public QObject {
    Q_OBJECT

private slots:
    void digestFindsAndChecksTheTrailingHash();
    void statusRefusesWhatIsNoDatabase();
    void manifestNamesAndRoundTrips();
    void manifestRefusesForeignJson();
    void pruneRemovesOnlyTheOldestOfItsOwn();
    void stagingFileHasNoNameUntilPublished();
};

void BackupFilesTest::digestFindsAndChecksTheTrailingHash()
{
    QTemporaryDir dir;
    const QByteArray pages = randomBytes(3 * 4096);
    const QByteArray sealed = pages + QCryptographicHash::hash(pages, QCryptographicHash::Sha256);
    const QString path = dir.filePath(QStringLiteral("sealed.db"));
    writeFile(path, sealed);
    Result<SnapshotDigest> d = SnapshotFile::digest(path);
    QVERIFY(d.ok());
    QVERIFY(d->hasTrailingHash);
    QVERIFY(d->trailingHashMatches);
    QCOMPARE(d->size, sealed.size());
    QCOMPARE(d->sha256, QCryptographicHash::hash(sealed, QCryptographicHash::Sha256).toHex());

    QByteArray flipped = sealed;
    flipped[5000] = char(flipped.at(5000) ^ 0x40);
    writeFile(path, flipped);
    d = SnapshotFile::digest(path);
    QVERIFY(d.ok());
    QVERIFY(d->hasTrailingHash);
    QVERIFY(!d->trailingHashMatches);

    // A database copied from a data directory is whole pages: no trailing hash to check.
    writeFile(path, pages);
    d = SnapshotFile::digest(path);
    QVERIFY(d.ok());
    QVERIFY(!d->hasTrailingHash);

    const Result<SnapshotDigest> missing = SnapshotFile::digest(dir.filePath(QStringLiteral("none.db")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind(), Error::Kind::Io);
}

void BackupFilesTest::statusRefusesWhatIsNoDatabase()
{
    QTemporaryDir dir;
    for (int size : {100, 3 * 4096}) {
        const QString path = dir.filePath(QStringLiteral("noise-%1.db").arg(size));
        writeFile(path, randomBytes(size));
        const Result<SnapshotStatus> s = SnapshotFile::status(path);
        QVERIFY(!s.ok());
        QVERIFY2(SnapshotFile::isForeign(s.error()), qPrintable(s.problem()));
        QVERIFY(s.problem().contains(path));
    }
}

void BackupFilesTest::manifestNamesAndRoundTrips()
{
    BackupManifest m
        = manifestOf(QStringLiteral("0123456789abcdef"), QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::UTC), 1234);
    m.members << BackupManifest::Member {QStringLiteral("00000000000000a1"), QStringLiteral("etcd1"),
        {QStringLiteral("http://10.0.0.1:2380")}, {QStringLiteral("http://10.0.0.1:2379")}};
    m.totalKey = 77;
    m.hash = 4000000000u;
    m.hashKV = 3000000000u;
    m.hashKVCompactRevision = 12;
    m.etcdVersion = QStringLiteral("3.4.23");
    m.size = 20512;
    m.sourceId = QStringLiteral("00000000000000a1");
    m.sourceName = QStringLiteral("etcd1");
    m.verification.state = BackupVerification::State::Verified;
    m.verification.time = QDateTime(QDate(2026, 3, 4), QTime(6, 0), Qt::UTC);
    m.verification.keys = 40;
    QCOMPARE(m.fileName(), QStringLiteral("0123456789abcdef-20260304T050607Z-rev1234.db"));
    QVERIFY(BackupManifest::isBackupName(m.fileName()));
    for (const char *other : {"0123456789abcdef-20260304T050607Z-rev1234.db.part", "notes.db",
             "0123456789ABCDEF-20260304T050607Z-rev1.db", "0123456789abcdef-20260304-rev1.db"})
        QVERIFY2(!BackupManifest::isBackupName(QString::fromLatin1(other)), other);
    QCOMPARE(BackupManifest::manifestPathFor(QStringLiteral("/b/x.db")), QStringLiteral("/b/x.json"));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("m.json"));
    QVERIFY(m.save(path).ok());
    const Result<BackupManifest> back = BackupManifest::load(path);
    QVERIFY2(back.ok(), qPrintable(back.problem()));
    QCOMPARE(back->toJson(), m.toJson());
    QCOMPARE(back->hash, 4000000000u);
    QCOMPARE(back->members.first().peerUrls, m.members.first().peerUrls);
    QCOMPARE(back->verification.state, BackupVerification::State::Verified);
}

void BackupFilesTest::manifestRefusesForeignJson()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("m.json"));
    writeFile(path, "{\"clusterId\": \"0123456789abcdef\"}");
    Result<BackupManifest> m = BackupManifest::load(path);
    QVERIFY(!m.ok());
    QVERIFY2(m.problem().contains(QStringLiteral("m.json")), qPrintable(m.problem()));
    writeFile(path, "not json");
    m = BackupManifest::load(path);
    QVERIFY(!m.ok());
    QCOMPARE(m.error().kind(), Error::Kind::Invalid);
}

void BackupFilesTest::pruneRemovesOnlyTheOldestOfItsOwn()
{
    QTemporaryDir dir;
    const QString mine = QStringLiteral("00000000000000aa");
    const QDateTime start(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    QStringList kept;
    QStringList removed;
    for (int i = 0; i < 4; ++i) {
        const BackupManifest m = manifestOf(mine, start.addSecs(3600 * i), 10 + i);
        const QString path = dir.filePath(m.fileName());
        writeFile(path, "db");
        QVERIFY(m.save(BackupManifest::manifestPathFor(path)).ok());
        (i < 2 ? removed : kept) << path;
    }
    // Another cluster's backup, one named as if it were ours but whose manifest says not,
    // and files that are no backups at all.
    const BackupManifest theirs = manifestOf(QStringLiteral("00000000000000bb"), start.addSecs(-7200), 3);
    const QString theirPath = dir.filePath(theirs.fileName());
    writeFile(theirPath, "db");
    QVERIFY(theirs.save(BackupManifest::manifestPathFor(theirPath)).ok());
    BackupManifest impostor = manifestOf(QStringLiteral("00000000000000bb"), start.addSecs(-3600), 4);
    const QString impostorPath = dir.filePath(manifestOf(mine, start.addSecs(-3600), 4).fileName());
    writeFile(impostorPath, "db");
    QVERIFY(impostor.save(BackupManifest::manifestPathFor(impostorPath)).ok());
    const QString notes = dir.filePath(QStringLiteral("notes.db"));
    writeFile(notes, "mine");

    const Result<QStringList> pruned = BackupCatalog::prune(dir.path(), mine, 2);
    QVERIFY2(pruned.ok(), qPrintable(pruned.problem()));
    QStringList got = pruned.value();
    got.sort();
    QCOMPARE(got, removed);
    for (const QString &path : removed) {
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(BackupManifest::manifestPathFor(path)));
    }
    for (const QString &path : kept + QStringList {theirPath, impostorPath, notes})
        QVERIFY2(QFile::exists(path), qPrintable(path));

    // Listed newest first, each with its manifest; the stray .db is no backup.
    const QList<BackupEntry> listed = BackupCatalog::list(dir.path());
    QCOMPARE(listed.size(), 4);
    QCOMPARE(listed.first().path, kept.last());
    for (const BackupEntry &e : listed)
        QVERIFY(e.manifest.has_value());
}

void BackupFilesTest::stagingFileHasNoNameUntilPublished()
{
    QTemporaryDir dir;
    const QDir::Filters everything = QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot;
    {
        StagingFile f;
        QVERIFY(f.open(dir.path()).ok());
        QVERIFY(f.write("hello", 5).ok());
        QVERIFY(f.sync().ok());
        QCOMPARE(readFile(f.readablePath()), QByteArray("hello"));
        // Nothing in the directory shows it, and dropping it leaves nothing.
        QVERIFY(QDir(dir.path()).entryList(everything).isEmpty());
    }
    QVERIFY(QDir(dir.path()).entryList(everything).isEmpty());

    StagingFile f;
    QVERIFY(f.open(dir.path()).ok());
    QVERIFY(f.write("backup", 6).ok());
    QVERIFY(f.publish(QStringLiteral("named.db")).ok());
    QCOMPARE(readFile(dir.filePath(QStringLiteral("named.db"))), QByteArray("backup"));
    QCOMPARE(QDir(dir.path()).entryList(everything), QStringList {QStringLiteral("named.db")});

    // An existing name is never replaced.
    StagingFile second;
    QVERIFY(second.open(dir.path()).ok());
    QVERIFY(second.write("other", 5).ok());
    const Result<void> clash = second.publish(QStringLiteral("named.db"));
    QVERIFY(!clash.ok());
    QCOMPARE(readFile(dir.filePath(QStringLiteral("named.db"))), QByteArray("backup"));

    StagingFile nowhere;
    const Result<void> opened = nowhere.open(dir.filePath(QStringLiteral("missing")));
    QVERIFY(!opened.ok());
    QVERIFY(opened.problem().contains(QStringLiteral("missing")));
}

QTEST_GUILESS_MAIN(BackupFilesTest)
#include "tst_backupfiles.moc"

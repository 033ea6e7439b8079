#include "backup/BackupManifest.h"
#include "backup/SnapshotFile.h"
#include "cluster/ClusterMonitor.h"
#include "common/MemberId.h"
#include "demo/MemberProcesses.h"
#include "demo/PeerProxy.h"
#include "demo/PortAllocator.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/EtcdctlRun.h"
#include "support/TestSkip.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

namespace {

constexpr int kKeys = 40;

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

} // namespace

/// Backups against a real three-member cluster, checked with etcdctl: what `backup save`
/// writes is what etcdctl reads and restores, `backup verify` restores it into a real etcd,
/// and a damaged file fails with one sentence.
class BackupIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void saveAgreesWithEtcdctlAndRestores();
    void saveWritesTheBytesEtcdctlWrites();
    void verifyRestoresIntoAThrowAwayMember();
    void verifyWithoutEtcdChecksHashesOnly();
    void damagedFilesFailVerify();
    void restorePlanCommandsRestore();
    void keepPrunesOnlyItsOwnBackups();
    void badTargetsLeaveNothingBehind();
    void aFullDiskLeavesNothingBehind();
    void aMemberDyingMidStreamLeavesNothingBehind();
    void demoRestoreBringsBackTheKeysOfTheBackup();

private:
    QStringList connection() const
    {
        return {QStringLiteral("--endpoints"), m_demo.endpoints().join(QLatin1Char(','))};
    }
    /// Saves into dir with the CLI; the manifest it printed.
    QJsonObject save(const QString &dir, const QStringList &extra = {});
    void put(const QByteArray &key, const QByteArray &value);

    DemoClusterFixture m_demo;
    std::unique_ptr<EtcdClient> m_client;
    std::unique_ptr<ClusterMonitor> m_monitor;
    QTemporaryDir m_work;
    QString m_saved; ///< the backup the first test saved
};

void BackupIntegrationTest::initTestCase()
{
    if (MemberProcesses::locateEtcd({}).ok() == false)
        QD_SKIP_WITHOUT("etcd", "the backups come from a real cluster");
    if (QStandardPaths::findExecutable(QStringLiteral("etcdctl")).isEmpty())
        QD_SKIP_WITHOUT("etcdctl", "the reference the backups are compared with");
    const QString error = m_demo.start(3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_client = std::make_unique<EtcdClient>(m_demo.settings());
    m_monitor = std::make_unique<ClusterMonitor>(m_client.get());
    QVERIFY(QTest::qWaitFor([&] { return takeSnapshot(*m_monitor).isHealthy(); }, 20000));
    for (int i = 0; i < kKeys; ++i)
        put(QByteArray("/backup-test/key-") + QByteArray::number(i), QByteArray(100 + i, 'v'));
}

void BackupIntegrationTest::put(const QByteArray &key, const QByteArray &value)
{
    std::optional<EtcdResult<ResponseHeaderInfo>> r;
    m_client->put(m_demo.endpoints().first(), key, value, nullptr, [&](const auto &answer) { r = answer; });
    QVERIFY(QTest::qWaitFor([&] { return r.has_value(); }, 10000));
    QVERIFY2(r->ok(), qPrintable(r->error.sentence));
}

QJsonObject BackupIntegrationTest::save(const QString &dir, const QStringList &extra)
{
    const CliRun run = runQuorumdeck(QStringList {QStringLiteral("backup"), QStringLiteral("save"),
                                         QStringLiteral("--to"), dir, QStringLiteral("-w"), QStringLiteral("json")}
        + connection() + extra);
    if (run.exitCode != 0)
        qWarning("backup save: exit %d: %s", run.exitCode, run.err.constData());
    return run.exitCode == 0 ? json(run.out) : QJsonObject();
}

void BackupIntegrationTest::saveAgreesWithEtcdctlAndRestores()
{
    const QString dir = m_work.filePath(QStringLiteral("saved"));
    const ClusterSnapshot before = takeSnapshot(*m_monitor);
    QVERIFY(before.isHealthy());
    const QJsonObject manifest = save(dir);
    QVERIFY(!manifest.isEmpty());

    // Named <cluster-id>-<time>-rev<revision>.db, beside its manifest, and nothing else.
    const QString name = manifest[QStringLiteral("file")].toString();
    QVERIFY2(BackupManifest::isBackupName(name), qPrintable(name));
    QCOMPARE(name.left(16), MemberId::toHex(before.clusterId()));
    QVERIFY(name.endsWith(QStringLiteral("-rev%1.db").arg(manifest[QStringLiteral("revision")].toInteger())));
    QString json = name;
    json.replace(QStringLiteral(".db"), QStringLiteral(".json"));
    QCOMPARE(filesIn(dir), (QStringList {name, json}));
    m_saved = QDir(dir).filePath(name);

    // The leader is spared: a follower streamed it.
    QVERIFY(manifest[QStringLiteral("source")][QStringLiteral("id")].toString() != MemberId::toHex(before.leaderId()));
    QCOMPARE(manifest[QStringLiteral("members")].toArray().size(), 3);

    // The SHA-256 the manifest records is the file's.
    QFile file(m_saved);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(manifest[QStringLiteral("sha256")].toString(),
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(manifest[QStringLiteral("size")].toInteger(), qint64(bytes.size()));
    // etcd's trailing hash is there: a whole number of pages and 32 bytes.
    QCOMPARE(bytes.size() % 512, 32);

    // etcdctl reads the same revision, entries, hash and size.
    const EtcdctlRun status = etcdctl(
        {QStringLiteral("snapshot"), QStringLiteral("status"), m_saved, QStringLiteral("-w"), QStringLiteral("json")});
    QVERIFY2(status.exitCode == 0, status.err.constData());
    const QJsonObject reference = ::json(status.out);
    QCOMPARE(manifest[QStringLiteral("revision")].toInteger(), reference[QStringLiteral("revision")].toInteger());
    QCOMPARE(manifest[QStringLiteral("totalKey")].toInteger(), reference[QStringLiteral("totalKey")].toInteger());
    QCOMPARE(manifest[QStringLiteral("hash")].toInteger(), reference[QStringLiteral("hash")].toInteger());
    const Result<SnapshotStatus> ours = SnapshotFile::status(m_saved);
    QVERIFY2(ours.ok(), qPrintable(ours.problem()));
    QCOMPARE(ours->totalSize, reference[QStringLiteral("totalSize")].toInteger());
    // Every key written before the save is in it.
    QVERIFY(manifest[QStringLiteral("revision")].toInteger() >= kKeys + 1);

    // etcdctl restores it with its hash check on.
    const QString restored = m_work.filePath(QStringLiteral("etcdctl-restored"));
    const EtcdctlRun restore = etcdctl(
        {QStringLiteral("snapshot"), QStringLiteral("restore"), m_saved, QStringLiteral("--data-dir"), restored});
    QVERIFY2(restore.exitCode == 0, restore.err.constData());
    QVERIFY(QFileInfo::exists(restored + QStringLiteral("/member/snap/db")));
}

void BackupIntegrationTest::saveWritesTheBytesEtcdctlWrites()
{
    // From one member with nothing applied between the two, etcdctl's snapshot and ours
    // are the same file, etcd's trailing hash included.
    const QString member = QStringLiteral("etcd2");
    const QString reference = m_work.filePath(QStringLiteral("etcdctl-snapshot.db"));
    const EtcdctlRun saved = etcdctl({QStringLiteral("--endpoints"), m_demo.endpoints().at(1),
        QStringLiteral("snapshot"), QStringLiteral("save"), reference});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    const QString dir = m_work.filePath(QStringLiteral("beside-etcdctl"));
    const QJsonObject manifest = save(dir, {QStringLiteral("--from"), member});
    QVERIFY(!manifest.isEmpty());
    QCOMPARE(manifest[QStringLiteral("source")][QStringLiteral("name")].toString(), member);
    const auto sha256 = [](const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()
                                           : QByteArray();
    };
    const QByteArray ours = sha256(QDir(dir).filePath(manifest[QStringLiteral("file")].toString()));
    QVERIFY(!ours.isEmpty());
    QCOMPARE(ours, sha256(reference));
}

void BackupIntegrationTest::verifyRestoresIntoAThrowAwayMember()
{
    QVERIFY(!m_saved.isEmpty());
    // A temporary directory of this test's own: another run's throw-away member may be in
    // the machine's /tmp meanwhile.
    QTemporaryDir scratch;
    QProcessEnvironment env;
    env.insert(QStringLiteral("TMPDIR"), scratch.path());
    const CliRun run = runQuorumdeck(
        {QStringLiteral("backup"), QStringLiteral("verify"), m_saved, QStringLiteral("-w"), QStringLiteral("json")},
        60000, env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject report = json(run.out);
    QCOMPARE(report[QStringLiteral("state")].toString(), QStringLiteral("verified"));
    QCOMPARE(report[QStringLiteral("trailingHash")].toString(), QStringLiteral("matches"));
    const Result<BackupManifest> manifest = BackupManifest::load(BackupManifest::manifestPathFor(m_saved));
    QVERIFY2(manifest.ok(), qPrintable(manifest.problem()));
    QCOMPARE(report[QStringLiteral("revision")].toInteger(), manifest->revision);

    // The restored member holds as many keys as the cluster did at that revision, and the
    // HashKV the cluster gave at it.
    std::optional<EtcdResult<RangeInfo>> count;
    m_client->count(m_demo.endpoints().first(), QByteArray(1, '\0'), QByteArray(1, '\0'), manifest->revision, nullptr,
        [&](const auto &r) { count = r; });
    QVERIFY(QTest::qWaitFor([&] { return count.has_value(); }, 10000));
    QVERIFY2(count->ok(), qPrintable(count->error.sentence));
    QCOMPARE(report[QStringLiteral("keys")].toInteger(), (*count)->count);
    QVERIFY(manifest->hashKV.has_value());
    QCOMPARE(report[QStringLiteral("hashKV")].toInteger(), qint64(*manifest->hashKV));

    // The result is recorded in the manifest, and list shows it.
    QCOMPARE(manifest->verification.state, BackupVerification::State::Verified);
    const CliRun list = runQuorumdeck({QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--to"),
        QFileInfo(m_saved).absolutePath(), QStringLiteral("-w"), QStringLiteral("json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray backups = json(list.out)[QStringLiteral("backups")].toArray();
    QCOMPARE(backups.size(), 1);
    QCOMPARE(backups.first()[QStringLiteral("verification")][QStringLiteral("state")].toString(),
        QStringLiteral("verified"));
    // No throw-away member is left running.
    QVERIFY(scratch.isValid());
    QVERIFY2(QDir(scratch.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty(),
        qPrintable(QDir(scratch.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).join(", ")));
}

void BackupIntegrationTest::verifyWithoutEtcdChecksHashesOnly()
{
    QVERIFY(!m_saved.isEmpty());
    // A copy without a manifest, as etcdctl snapshot save leaves one, verified where no
    // etcd is on PATH.
    const QString copy = m_work.filePath(QStringLiteral("bare.db"));
    QVERIFY(QFile::copy(m_saved, copy));
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), m_work.filePath(QStringLiteral("empty-path")));
    const CliRun run = runQuorumdeck({QStringLiteral("backup"), QStringLiteral("verify"), copy}, 60000, env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("hash checked; the restore test was skipped"), run.out.constData());
    QVERIFY(!run.out.contains("verified"));
}

void BackupIntegrationTest::damagedFilesFailVerify()
{
    QVERIFY(!m_saved.isEmpty());
    QFile original(m_saved);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray bytes = original.readAll();

    QByteArray flipped = bytes;
    flipped[flipped.size() / 2] = char(flipped.at(flipped.size() / 2) ^ 0x01);
    const QByteArray truncated = bytes.left(bytes.size() / 2 + 100);
    for (const auto &[name, content] :
        {std::pair {QStringLiteral("flipped.db"), flipped}, std::pair {QStringLiteral("truncated.db"), truncated}}) {
        const QString path = m_work.filePath(name);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        const CliRun run = runQuorumdeck({QStringLiteral("backup"), QStringLiteral("verify"), path});
        QVERIFY2(run.exitCode == 2, qPrintable(name + QStringLiteral(": ") + QString::fromUtf8(run.err)));
        QVERIFY2(run.err.contains("hash mismatch: the file is corrupt or truncated"), run.err.constData());
    }

    // Beside a manifest, a file with a good trailing hash but other bytes than recorded fails.
    const QString dir = m_work.filePath(QStringLiteral("swapped"));
    QVERIFY(QDir().mkpath(dir));
    const QString name = QFileInfo(m_saved).fileName();
    QVERIFY(QFile::copy(
        BackupManifest::manifestPathFor(m_saved), QDir(dir).filePath(BackupManifest::manifestPathFor(name))));
    QVERIFY(QFile::copy(m_work.filePath(QStringLiteral("bare.db")), QDir(dir).filePath(name)));
    put("/backup-test/after", "x");
    const QJsonObject other = save(m_work.filePath(QStringLiteral("other")));
    QVERIFY(!other.isEmpty());
    QFile::remove(QDir(dir).filePath(name));
    QVERIFY(
        QFile::copy(QDir(m_work.filePath(QStringLiteral("other"))).filePath(other[QStringLiteral("file")].toString()),
            QDir(dir).filePath(name)));
    const CliRun run = runQuorumdeck({QStringLiteral("backup"), QStringLiteral("verify"), QDir(dir).filePath(name)});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("its SHA-256 differs from its manifest's"), run.err.constData());
}

void BackupIntegrationTest::restorePlanCommandsRestore()
{
    QVERIFY(!m_saved.isEmpty());
    const CliRun run = runQuorumdeck(
        QStringList {QStringLiteral("restore"), QStringLiteral("plan"), m_saved, QStringLiteral("--data-dir"),
            QStringLiteral("/srv/etcd"), QStringLiteral("-w"), QStringLiteral("json")}
        + connection());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject plan = json(run.out);
    const ClusterSnapshot now = takeSnapshot(*m_monitor);
    QStringList expected;
    for (const MemberState &m : now.members())
        expected << m.name + QLatin1Char('=') + m.peerUrls.first();
    QStringList initial = plan[QStringLiteral("initialCluster")].toString().split(QLatin1Char(','));
    initial.sort();
    expected.sort();
    QCOMPARE(initial, expected);
    // etcd 3.4 restores with etcdctl.
    QCOMPARE(plan[QStringLiteral("tool")].toString(), QStringLiteral("etcdctl"));

    // Each host's restore command, run as printed (the file and data directory put where
    // this test keeps them), makes a data directory etcd can start from.
    const QJsonArray members = plan[QStringLiteral("members")].toArray();
    QCOMPARE(members.size(), 3);
    for (const QJsonValue &member : members) {
        QStringList argv;
        for (const QJsonValue &step : member[QStringLiteral("steps")].toArray())
            if (step[QStringLiteral("what")].toString().startsWith(QStringLiteral("restore")))
                for (const QJsonValue &a : step[QStringLiteral("argv")].toArray())
                    argv << a.toString();
        QCOMPARE(argv.first(), QStringLiteral("etcdctl"));
        QCOMPARE(argv.at(3), QFileInfo(m_saved).fileName());
        argv[3] = m_saved;
        QCOMPARE(argv.at(argv.size() - 2), QStringLiteral("--data-dir"));
        const QString dataDir = m_work.filePath(QStringLiteral("plan-") + member[QStringLiteral("name")].toString());
        argv.last() = dataDir;
        const EtcdctlRun restore = etcdctl(argv.mid(1));
        QVERIFY2(restore.exitCode == 0, restore.err.constData());
        QVERIFY(QFileInfo::exists(dataDir + QStringLiteral("/member/snap/db")));
    }
}

void BackupIntegrationTest::keepPrunesOnlyItsOwnBackups()
{
    const QString dir = m_work.filePath(QStringLiteral("kept"));
    QVERIFY(QDir().mkpath(dir));
    // What is not this cluster's backup stays: a note, and another cluster's backup.
    const QString note = QDir(dir).filePath(QStringLiteral("notes.txt"));
    QFile n(note);
    QVERIFY(n.open(QIODevice::WriteOnly));
    n.write("keep me\n");
    n.close();
    const QString foreign = QDir(dir).filePath(QStringLiteral("00000000000000aa-20200101T000000Z-rev5.db"));
    QVERIFY(QFile::copy(m_saved, foreign));
    QJsonObject foreignManifest = json(QFile(BackupManifest::manifestPathFor(m_saved)).exists()
            ? [&] {
                  QFile f(BackupManifest::manifestPathFor(m_saved));
                  f.open(QIODevice::ReadOnly);
                  return f.readAll();
              }()
            : QByteArray());
    foreignManifest[QStringLiteral("clusterId")] = QStringLiteral("00000000000000aa");
    QFile fm(BackupManifest::manifestPathFor(foreign));
    QVERIFY(fm.open(QIODevice::WriteOnly));
    fm.write(QJsonDocument(foreignManifest).toJson());
    fm.close();

    QStringList names;
    for (int i = 0; i < 3; ++i) {
        // A new revision each time, so that each backup has a name of its own.
        put("/backup-test/keep", QByteArray::number(i));
        const QJsonObject m = save(dir, {QStringLiteral("--keep"), QStringLiteral("2")});
        QVERIFY(!m.isEmpty());
        names << m[QStringLiteral("file")].toString();
    }
    QStringList own;
    for (const QString &f : filesIn(dir))
        if (f.startsWith(names.first().left(17)))
            own << f;
    QStringList expected;
    for (const QString &name : {names.at(1), names.at(2)})
        expected << name << BackupManifest::manifestPathFor(name);
    expected.sort();
    QCOMPARE(own, expected);
    QVERIFY(QFile::exists(note));
    QVERIFY(QFile::exists(foreign));
    QVERIFY(QFile::exists(BackupManifest::manifestPathFor(foreign)));

    const CliRun bad = runQuorumdeck(QStringList {QStringLiteral("backup"), QStringLiteral("save"),
                                         QStringLiteral("--to"), dir, QStringLiteral("--keep"), QStringLiteral("none")}
        + connection());
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("--keep takes a whole number"), bad.err.constData());
}

void BackupIntegrationTest::badTargetsLeaveNothingBehind()
{
    // A directory that cannot be made (a file stands in the way): one sentence, exit 1.
    const QString blocker = m_work.filePath(QStringLiteral("a-file"));
    QFile f(blocker);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const CliRun run = runQuorumdeck(QStringList {QStringLiteral("backup"), QStringLiteral("save"),
                                         QStringLiteral("--to"), blocker + QStringLiteral("/sub")}
        + connection());
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("cannot create the directory"), run.err.constData());
    QCOMPARE(run.err.count('\n'), run.err.count("quorumdeck:") + run.err.count("…") + run.err.count("received"));

    // A member that does not answer is refused before anything is written.
    QVERIFY(m_demo.act(QStringLiteral("etcd2"), LocalCluster::MemberAction::Stop).ok());
    const QString dir = m_work.filePath(QStringLiteral("refused"));
    QVERIFY(QTest::qWaitFor([&] { return !takeSnapshot(*m_monitor).allReachable(); }, 20000));
    const CliRun refused
        = runQuorumdeck(QStringList {QStringLiteral("backup"), QStringLiteral("save"), QStringLiteral("--to"), dir,
                            QStringLiteral("--from"), QStringLiteral("etcd2")}
            + connection());
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("etcd2 does not answer"), refused.err.constData());
    QVERIFY(!QFileInfo::exists(dir) || filesIn(dir).isEmpty());
    QVERIFY(m_demo.act(QStringLiteral("etcd2"), LocalCluster::MemberAction::Restart).ok());
}

void BackupIntegrationTest::aFullDiskLeavesNothingBehind()
{
    // Writes past 16 KiB fail in the child (RLIMIT_FSIZE, with SIGXFSZ ignored so that the
    // write returns an error as on a full disk instead of killing the process).
    const QString dir = m_work.filePath(QStringLiteral("full-disk"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), cliDataHome());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), cliConfigHome());
    p.setProcessEnvironment(env);
    p.setChildProcessModifier([] {
        ::setsid();
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit {16 * 1024, 16 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    p.start(QStringLiteral(QUORUMDECK_BINARY),
        QStringList {QStringLiteral("backup"), QStringLiteral("save"), QStringLiteral("--to"), dir} + connection());
    QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 60000));
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains("cannot write to " + dir.toUtf8() + ": File too large"), err.constData());
    QVERIFY2(filesIn(dir).isEmpty(), qPrintable(filesIn(dir).join(QLatin1Char(' '))));
}

void BackupIntegrationTest::aMemberDyingMidStreamLeavesNothingBehind()
{
    // One member that advertises a slow proxy as its client URL: the snapshot crawls through
    // it chunk by chunk, and the member is killed once the first bytes have arrived.
    const Result<QList<quint16>> ports = PortAllocator::freePorts(2);
    QVERIFY2(ports.ok(), qPrintable(ports.problem()));
    const quint16 clientPort = ports->at(0);
    const quint16 peerPort = ports->at(1);
    PeerProxy proxy(QStringLiteral("solo"), QStringLiteral("127.0.0.1"), clientPort);
    QVERIFY2(proxy.listen().ok(), "the proxy cannot listen");
    const QString advertised = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    const QString peerUrl = QStringLiteral("http://127.0.0.1:%1").arg(peerPort);
    QTemporaryDir data;
    QProcess etcd;
    etcd.setStandardOutputFile(QProcess::nullDevice());
    etcd.setStandardErrorFile(QProcess::nullDevice());
    etcd.start(MemberProcesses::locateEtcd({}).value(),
        {QStringLiteral("--name"), QStringLiteral("solo"), QStringLiteral("--data-dir"), data.path(),
            QStringLiteral("--listen-client-urls"), QStringLiteral("http://127.0.0.1:%1").arg(clientPort),
            QStringLiteral("--advertise-client-urls"), advertised, QStringLiteral("--listen-peer-urls"), peerUrl,
            QStringLiteral("--initial-advertise-peer-urls"), peerUrl, QStringLiteral("--initial-cluster"),
            QStringLiteral("solo=") + peerUrl});
    QVERIFY(etcd.waitForStarted());
    const QStringList at {QStringLiteral("--endpoints"), advertised};
    // etcdctl through the proxy, which forwards only while this thread's event loop turns.
    const auto etcdctlHere = [](const QStringList &args, const QByteArray &input = {}) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ETCDCTL_API"), QStringLiteral("3"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("etcdctl"), args);
        p.write(input);
        p.closeWriteChannel();
        if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000))
            return -1;
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            return etcdctlHere(at + QStringList {QStringLiteral("endpoint"), QStringLiteral("health")}) == 0;
        },
        20000));
    // A few MB: a hundred and more of etcd's 32 KiB snapshot chunks.
    for (int i = 0; i < 4; ++i)
        QCOMPARE(etcdctlHere(at + QStringList {QStringLiteral("put"), QStringLiteral("/big/%1").arg(i)},
                     QByteArray(1000 * 1000, char('a' + i))),
            0);
    NetworkFault slow;
    slow.delayMs = 40;
    proxy.setFault(slow);

    const QString dir = m_work.filePath(QStringLiteral("died-mid-stream"));
    QProcess save;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), cliDataHome());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), cliConfigHome());
    save.setProcessEnvironment(env);
    save.start(QStringLiteral(QUORUMDECK_BINARY),
        QStringList {QStringLiteral("backup"), QStringLiteral("save"), QStringLiteral("--to"), dir} + at);
    QByteArray err;
    QVERIFY(QTest::qWaitFor(
        [&] {
            err += save.readAllStandardError();
            return err.contains("received") && !err.contains("received 0 B");
        },
        60000));
    etcd.kill();
    QVERIFY(etcd.waitForFinished());
    QVERIFY(QTest::qWaitFor([&] { return save.state() == QProcess::NotRunning; }, 60000));
    err += save.readAllStandardError();
    QCOMPARE(save.exitStatus(), QProcess::NormalExit);
    QCOMPARE(save.exitCode(), 1);
    QVERIFY2(err.contains("quorumdeck: the snapshot from solo failed; nothing was saved"), err.constData());
    QVERIFY2(filesIn(dir).isEmpty(), qPrintable(filesIn(dir).join(QLatin1Char(' '))));
}

void BackupIntegrationTest::demoRestoreBringsBackTheKeysOfTheBackup()
{
    const QStringList endpoints {QStringLiteral("--endpoints"), m_demo.endpoints().join(QLatin1Char(','))};
    put("/restore-test/before", "kept");
    const QJsonObject manifest = save(m_work.filePath(QStringLiteral("for-restore")));
    QVERIFY(!manifest.isEmpty());
    const qint64 revision = manifest[QStringLiteral("revision")].toInteger();
    put("/restore-test/after", "lost");
    // What the cluster held at the backup's revision, as etcdctl reads it.
    const EtcdctlRun then = etcdctl(endpoints
        + QStringList {QStringLiteral("get"), QString(), QStringLiteral("--prefix"), QStringLiteral("--keys-only"),
            QStringLiteral("--rev=%1").arg(revision)});
    QVERIFY2(then.exitCode == 0, then.err.constData());
    QVERIFY(then.out.contains("/restore-test/before"));
    QVERIFY(!then.out.contains("/restore-test/after"));

    const QString file
        = QDir(m_work.filePath(QStringLiteral("for-restore"))).filePath(manifest[QStringLiteral("file")].toString());
    const CliRun run = runQuorumdeck(
        {QStringLiteral("demo"), QStringLiteral("restore"), file, QStringLiteral("--dir"), m_demo.dir()}, 180000);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY2(run.out.contains("before-restore-"), run.out.constData());
    QVERIFY(QTest::qWaitFor([&] { return takeSnapshot(*m_monitor).isHealthy(); }, 30000));

    const EtcdctlRun now = etcdctl(endpoints
        + QStringList {QStringLiteral("get"), QString(), QStringLiteral("--prefix"), QStringLiteral("--keys-only")});
    QVERIFY2(now.exitCode == 0, now.err.constData());
    QCOMPARE(now.out, then.out);
    // The old data is kept beside each member's new one.
    QCOMPARE(QDir(m_demo.dir()).entryList({QStringLiteral("*.data.before-restore-*")}, QDir::Dirs).size(), 3);
}

QTEST_GUILESS_MAIN(BackupIntegrationTest)
#include "tst_backup_integration.moc"

#include "demo/MemberProcesses.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"
#include "support/EtcdctlRun.h"
#include "support/TestSkip.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kKeys = 20;
constexpr int kRunTimeoutMs = 180000;

QProcessEnvironment killAt(const QString &point)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("QUORUMDECK_KILL_AT"), point);
    return env;
}

} // namespace

/// Restoring and rebuilding the demo, and both interrupted: the console is killed at each
/// step (QUORUMDECK_KILL_AT) and the next run must finish the work, or the rollback put the
/// old data back. Every outcome is read with etcdctl.
class RecoveryIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void interruptedRestoreIsFinishedByTheNextRun_data();
    void interruptedRestoreIsFinishedByTheNextRun();
    void interruptedRestoreRollsBack_data();
    void interruptedRestoreRollsBack();
    void anUnfinishedRestoreBlocksOtherOperations();
    void recoverPlanRebuildsFromTheMemberFurthestAhead();
    void demoRecoverBringsBackThreeVoters();
    void interruptedRecoveryIsFinishedByTheNextRun_data();
    void interruptedRecoveryIsFinishedByTheNextRun();
    void interruptedRecoveryRollsBack();

private:
    CliRun demo(const QStringList &args, const QString &killPoint = {})
    {
        return runQuorumdeck(
            QStringList {QStringLiteral("demo")} + args + QStringList {QStringLiteral("--dir"), m_demo.dir()},
            kRunTimeoutMs, killPoint.isEmpty() ? QProcessEnvironment() : killAt(killPoint));
    }
    QStringList endpoints(int count = 3) const
    {
        return {QStringLiteral("--endpoints"), m_demo.endpoints().mid(0, count).join(QLatin1Char(','))};
    }
    /// The keys, as etcdctl reads them from the first count members (serializable when
    /// asked: a member without quorum still answers from its own data).
    QByteArray keys(int count = 3, bool serializable = false) const;
    void put(const QByteArray &key);
    void waitHealthy();
    int asideDirectories() const
    {
        return int(QDir(m_demo.dir()).entryList({QStringLiteral("*.data.before-restore-*")}, QDir::Dirs).size());
    }
    /// The lines of the demo's step log that contain text.
    int logLines(const QByteArray &text) const
    {
        QFile log(QDir(m_demo.dir()).filePath(QStringLiteral("recovery-steps.log")));
        return log.open(QIODevice::ReadOnly) ? int(log.readAll().count(text)) : 0;
    }
    /// Kills etcd2 and etcd3 and deletes their data: a majority lost, etcd1 left.
    void loseQuorum();
    /// Every member etcdctl lists is started, a voter, and their HashKV agree.
    void checkThreeVotersAgree();

    DemoClusterFixture m_demo;
    QString m_backup;
    QByteArray m_backupKeys;
};

void RecoveryIntegrationTest::initTestCase()
{
    if (!MemberProcesses::locateEtcd({}).ok())
        QD_SKIP_WITHOUT("etcd", "restores and recoveries run real members");
    if (QStandardPaths::findExecutable(QStringLiteral("etcdctl")).isEmpty())
        QD_SKIP_WITHOUT("etcdctl", "the reference the outcomes are read with");
    const QString error = m_demo.start(3);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (int i = 0; i < kKeys; ++i)
        put(QByteArray("/recovery-test/key-") + QByteArray::number(i));
    static QTemporaryDir backups;
    const CliRun saved = runQuorumdeck({QStringLiteral("backup"), QStringLiteral("save"), QStringLiteral("--to"),
        backups.path(), QStringLiteral("-w"), QStringLiteral("json"), QStringLiteral("--dir"), m_demo.dir()});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    m_backup = QDir(backups.path()).filePath(QJsonDocument::fromJson(saved.out)[QStringLiteral("file")].toString());
    m_backupKeys = keys();
    QVERIFY(m_backupKeys.contains("/recovery-test/key-0"));
}

QByteArray RecoveryIntegrationTest::keys(int count, bool serializable) const
{
    QStringList args = endpoints(count)
        + QStringList {QStringLiteral("get"), QString(), QStringLiteral("--prefix"), QStringLiteral("--keys-only")};
    if (serializable)
        args << QStringLiteral("--consistency=s");
    const EtcdctlRun r = etcdctl(args);
    return r.exitCode == 0 ? r.out : QByteArray("etcdctl failed: ") + r.err;
}

void RecoveryIntegrationTest::put(const QByteArray &key)
{
    const EtcdctlRun r = etcdctl(endpoints() + QStringList {QStringLiteral("put"), QString::fromUtf8(key), "v"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void RecoveryIntegrationTest::waitHealthy()
{
    // Healthy as etcdctl sees it: every member answers a linearizable health check.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return etcdctl(endpoints() + QStringList {QStringLiteral("endpoint"), QStringLiteral("health")}).exitCode
                == 0;
        },
        30000));
}

void RecoveryIntegrationTest::loseQuorum()
{
    for (const QString &member : {QStringLiteral("etcd2"), QStringLiteral("etcd3")}) {
        const CliRun killed = demo({QStringLiteral("kill"), member});
        QVERIFY2(killed.exitCode == 0, killed.err.constData());
        QVERIFY(QDir(QDir(m_demo.dir()).filePath(member + QStringLiteral(".data"))).removeRecursively());
    }
}

void RecoveryIntegrationTest::checkThreeVotersAgree()
{
    const EtcdctlRun list
        = etcdctl(endpoints() + QStringList {QStringLiteral("member"), QStringLiteral("list"), "-w", "json"});
    QVERIFY2(list.exitCode == 0, list.err.constData());
    const QJsonArray members = QJsonDocument::fromJson(list.out)[QStringLiteral("members")].toArray();
    QCOMPARE(members.size(), 3);
    for (const QJsonValue &m : members) {
        QVERIFY2(!m[QStringLiteral("name")].toString().isEmpty(), "a member was added and never started");
        QVERIFY(!m[QStringLiteral("isLearner")].toBool());
    }
    const EtcdctlRun hashes
        = etcdctl(endpoints() + QStringList {QStringLiteral("endpoint"), QStringLiteral("hashkv"), "-w", "json"});
    QVERIFY2(hashes.exitCode == 0, hashes.err.constData());
    QSet<qint64> distinct;
    const QJsonArray answers = QJsonDocument::fromJson(hashes.out).array();
    QCOMPARE(answers.size(), 3);
    for (const QJsonValue &a : answers)
        distinct << a[QStringLiteral("HashKV")][QStringLiteral("hash")].toInteger();
    QCOMPARE(distinct.size(), 1);
}

void RecoveryIntegrationTest::interruptedRestoreIsFinishedByTheNextRun_data()
{
    QTest::addColumn<QString>("point");
    // Each step of the restore, and halfway through the two that work member by member.
    for (const char *point :
        {"restore:3", "restore:3.1", "restore:4", "restore:4.1", "restore:5", "restore:6", "restore:7"})
        QTest::newRow(point) << QString::fromLatin1(point);
}

void RecoveryIntegrationTest::interruptedRestoreIsFinishedByTheNextRun()
{
    QFETCH(QString, point);
    put("/recovery-test/written-after-the-backup");
    const int asideBefore = asideDirectories();
    const int beginsBefore = logLines("\"event\":\"begin\"");
    const CliRun killed = demo({QStringLiteral("restore"), m_backup}, point);
    QVERIFY2(killed.exitCode == -2, qPrintable(QStringLiteral("exit %1: %2").arg(killed.exitCode).arg(killed.err)));

    const CliRun again = demo({QStringLiteral("restore"), m_backup});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    waitHealthy();
    QCOMPARE(keys(), m_backupKeys);
    // Continued, not begun again: one operation in the log, each member's old data moved
    // aside once, and nothing of the first run's left to find.
    QCOMPARE(logLines("\"event\":\"begin\""), beginsBefore + 1);
    QCOMPARE(asideDirectories(), asideBefore + 3);
    QCOMPARE(QDir(m_demo.dir()).entryList({QStringLiteral("*.unexpected-*")}, QDir::Dirs).size(), 0);
}

void RecoveryIntegrationTest::interruptedRestoreRollsBack_data()
{
    QTest::addColumn<QString>("point");
    for (const char *point : {"restore:3.1", "restore:4.1", "restore:6"})
        QTest::newRow(point) << QString::fromLatin1(point);
}

void RecoveryIntegrationTest::interruptedRestoreRollsBack()
{
    QFETCH(QString, point);
    put("/recovery-test/kept-by-the-rollback-" + point.toLatin1());
    const QByteArray before = keys();
    QVERIFY(before.contains("kept-by-the-rollback"));
    const CliRun killed = demo({QStringLiteral("restore"), m_backup}, point);
    QCOMPARE(killed.exitCode, -2);

    const CliRun rollback = demo({QStringLiteral("restore"), QStringLiteral("--rollback")});
    QVERIFY2(rollback.exitCode == 0, rollback.err.constData());
    waitHealthy();
    QCOMPARE(keys(), before);
    // Done: a second rollback finds nothing to do, and says so.
    const CliRun twice = demo({QStringLiteral("restore"), QStringLiteral("--rollback")});
    QCOMPARE(twice.exitCode, 1);
    QVERIFY2(twice.err.contains("nothing to roll back"), twice.err.constData());
}

void RecoveryIntegrationTest::anUnfinishedRestoreBlocksOtherOperations()
{
    const CliRun killed = demo({QStringLiteral("restore"), m_backup}, QStringLiteral("restore:4"));
    QCOMPARE(killed.exitCode, -2);
    const CliRun recover = demo({QStringLiteral("recover"), QStringLiteral("--from"), QStringLiteral("etcd1")});
    QCOMPARE(recover.exitCode, 1);
    QVERIFY2(recover.err.contains("an unfinished restore"), recover.err.constData());
    const CliRun wrongRollback = demo({QStringLiteral("recover"), QStringLiteral("--rollback")});
    QCOMPARE(wrongRollback.exitCode, 1);
    QVERIFY2(wrongRollback.err.contains("is a restore, not a recover"), wrongRollback.err.constData());
    const CliRun rollback = demo({QStringLiteral("restore"), QStringLiteral("--rollback")});
    QVERIFY2(rollback.exitCode == 0, rollback.err.constData());
    waitHealthy();
}

void RecoveryIntegrationTest::recoverPlanRebuildsFromTheMemberFurthestAhead()
{
    const QByteArray before = keys();
    loseQuorum();
    const CliRun plan = runQuorumdeck({QStringLiteral("recover"), QStringLiteral("plan"), QStringLiteral("-w"),
        QStringLiteral("json"), QStringLiteral("--dir"), m_demo.dir()});
    QVERIFY2(plan.exitCode == 0, plan.err.constData());
    const QJsonObject p = QJsonDocument::fromJson(plan.out).object();
    QCOMPARE(p[QStringLiteral("from")].toString(), QStringLiteral("etcd1"));
    // The raft index the plan reports is the one etcdctl reads from the survivor.
    const EtcdctlRun status
        = etcdctl(endpoints(1) + QStringList {QStringLiteral("endpoint"), QStringLiteral("status"), "-w", "json"});
    QVERIFY2(status.exitCode == 0, status.err.constData());
    const qint64 raftIndex = QJsonDocument::fromJson(status.out)
                                 .array()
                                 .first()[QStringLiteral("Status")][QStringLiteral("raftIndex")]
                                 .toInteger();
    QCOMPARE(p[QStringLiteral("raftIndex")].toInteger(), raftIndex);
    // One member add per lost member, each a command etcdctl takes, against the survivor.
    int adds = 0;
    for (const QJsonValue &step : p[QStringLiteral("steps")].toArray()) {
        const QJsonArray argv = step[QStringLiteral("argv")].toArray();
        if (argv.size() > 4 && argv.at(3).toString() == QLatin1String("member")
            && argv.at(4).toString() == QLatin1String("add"))
            ++adds;
    }
    QCOMPARE(adds, 2);
    QCOMPARE(keys(1, true), before);
    // Healthy again for the tests after this one.
    QCOMPARE(demo({QStringLiteral("recover"), QStringLiteral("--from"), QStringLiteral("etcd1")}).exitCode, 0);
    waitHealthy();
}

void RecoveryIntegrationTest::demoRecoverBringsBackThreeVoters()
{
    put("/recovery-test/before-the-rebuild");
    loseQuorum();
    const QByteArray before = keys(1, true);
    QVERIFY(before.contains("/recovery-test/key-0"));
    const CliRun recover = demo({QStringLiteral("recover"), QStringLiteral("--from"), QStringLiteral("etcd1")});
    QVERIFY2(recover.exitCode == 0, recover.err.constData());
    QVERIFY2(recover.out.contains("before-recover-"), recover.out.constData());
    waitHealthy();
    checkThreeVotersAgree();
    QCOMPARE(keys(), before);
}

void RecoveryIntegrationTest::interruptedRecoveryIsFinishedByTheNextRun_data()
{
    QTest::addColumn<QString>("point");
    for (const char *point : {"recover:2.1", "recover:3", "recover:4", "recover:5.1"})
        QTest::newRow(point) << QString::fromLatin1(point);
}

void RecoveryIntegrationTest::interruptedRecoveryIsFinishedByTheNextRun()
{
    QFETCH(QString, point);
    put("/recovery-test/before-losing-quorum-" + point.toLatin1());
    const QByteArray before = keys();
    loseQuorum();
    const CliRun killed = demo({QStringLiteral("recover"), QStringLiteral("--from"), QStringLiteral("etcd1")}, point);
    QCOMPARE(killed.exitCode, -2);
    const CliRun again = demo({QStringLiteral("recover"), QStringLiteral("--from"), QStringLiteral("etcd1")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    waitHealthy();
    checkThreeVotersAgree();
    QCOMPARE(keys(), before);
}

void RecoveryIntegrationTest::interruptedRecoveryRollsBack()
{
    put("/recovery-test/kept-by-the-recovery-rollback");
    const QByteArray before = keys();
    // The ids in hex from the simple output: 64 bits do not survive etcdctl's JSON numbers.
    const auto memberIds = [this] {
        const EtcdctlRun list
            = etcdctl(endpoints() + QStringList {QStringLiteral("member"), QStringLiteral("list"), "--hex"});
        QSet<QString> ids;
        for (const QByteArray &line : list.out.split('\n'))
            if (!line.trimmed().isEmpty())
                ids << QString::fromLatin1(line.split(',').first().trimmed());
        return ids;
    };
    const QSet<QString> idsBefore = memberIds();
    QCOMPARE(idsBefore.size(), 3);
    // A majority down with its data intact: the rollback must bring back that very cluster.
    for (const QString &member : {QStringLiteral("etcd2"), QStringLiteral("etcd3")})
        QCOMPARE(demo({QStringLiteral("kill"), member}).exitCode, 0);
    const CliRun killed = demo(
        {QStringLiteral("recover"), QStringLiteral("--from"), QStringLiteral("etcd1")}, QStringLiteral("recover:5.1"));
    QCOMPARE(killed.exitCode, -2);

    const CliRun rollback = demo({QStringLiteral("recover"), QStringLiteral("--rollback")});
    QVERIFY2(rollback.exitCode == 0, rollback.err.constData());
    QVERIFY2(rollback.out.contains("3 data directories put back"), rollback.out.constData());
    waitHealthy();
    QCOMPARE(memberIds(), idsBefore);
    QCOMPARE(keys(), before);
    checkThreeVotersAgree();
}

QTEST_GUILESS_MAIN(RecoveryIntegrationTest)
#include "tst_recovery_integration.moc"

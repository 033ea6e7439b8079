#include "demo/DetachedProcess.h"
#include "demo/ProcessControl.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

/// What the demo's members, HAProxy and the peer-proxy helper are started with: their own
/// session, no descriptor of ours, their output in a file, and no zombie when they end.
class TestDetachedProcess : public QObject {
    Q_OBJECT

private slots:
    void childRunsInItsOwnSessionWithOnlyItsOwnDescriptors();
    void outputIsAppendedOrTruncatedAndTheEnvironmentIsGiven();
    void anEndedChildLeavesNoZombie();
    void aMissingProgramIsRefusedWithItsName();
};

namespace {

/// Waits (bounded, without sleeping in a loop of its own) until done() holds.
template <typename Done> bool waitFor(Done done, int ms = 10000)
{
    return QTest::qWaitFor(done, ms);
}

QStringList descriptorsOf(qint64 pid)
{
    return QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::AllEntries);
}

} // namespace

void TestDetachedProcess::childRunsInItsOwnSessionWithOnlyItsOwnDescriptors()
{
    // A descriptor of ours without close-on-exec, as a library might leave one.
    const int leaky = ::open("/dev/null", O_RDONLY);
    QVERIFY(leaky > 2);
    DetachedProcess p;
    p.program = QStringLiteral("sleep");
    p.arguments = {QStringLiteral("30")};
    const Result<qint64> pid = p.start();
    ::close(leaky);
    QVERIFY2(pid.ok(), qPrintable(pid.problem()));
    // sleep itself has been exec'd once its command line says so.
    QVERIFY(waitFor([&] { return ProcessControl::commandLineContains(pid_t(pid.value()), {QStringLiteral("30")}); }));
    QCOMPARE(::getsid(pid_t(pid.value())), pid_t(pid.value()));
    QCOMPARE(descriptorsOf(pid.value()), (QStringList {"0", "1", "2"}));
    QCOMPARE(::kill(pid_t(pid.value()), SIGKILL), 0);
}

void TestDetachedProcess::outputIsAppendedOrTruncatedAndTheEnvironmentIsGiven()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("member.log"));
    {
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("earlier\n");
    }
    auto run = [&](bool truncate) {
        DetachedProcess p;
        p.program = QStringLiteral("sh");
        p.arguments = {QStringLiteral("-c"), QStringLiteral("echo \"out $GREETING $(pwd)\"; echo err >&2")};
        p.environment = {QStringLiteral("GREETING=hello"), QStringLiteral("PATH=/usr/bin:/bin")};
        p.workingDirectory = dir.path();
        p.outputFile = log;
        p.truncate = truncate;
        const Result<qint64> pid = p.start();
        QVERIFY2(pid.ok(), qPrintable(pid.problem()));
        QVERIFY(waitFor([&] { return !ProcessControl::isAlive(pid_t(pid.value())); }));
    };
    run(false);
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString expected = QStringLiteral("out hello %1\nerr\n").arg(QDir(dir.path()).canonicalPath());
    QCOMPARE(QString::fromUtf8(f.readAll()), QStringLiteral("earlier\n") + expected);
    f.close();
    run(true);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), expected);
}

void TestDetachedProcess::anEndedChildLeavesNoZombie()
{
    DetachedProcess p;
    p.program = QStringLiteral("sleep");
    p.arguments = {QStringLiteral("30")};
    const Result<qint64> pid = p.start();
    QVERIFY2(pid.ok(), qPrintable(pid.problem()));
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid.value()));
    QVERIFY(stat.open(QIODevice::ReadOnly));
    const QByteArray line = stat.readAll();
    QCOMPARE(line.mid(line.lastIndexOf(')') + 4).split(' ').first().toLongLong(), qint64(::getpid()));
    QCOMPARE(::kill(pid_t(pid.value()), SIGKILL), 0);
    // Reaped, not left a zombie: its /proc entry goes.
    QVERIFY(waitFor([&] { return !QFile::exists(QStringLiteral("/proc/%1").arg(pid.value())); }));
}

void TestDetachedProcess::aMissingProgramIsRefusedWithItsName()
{
    DetachedProcess p;
    p.program = QStringLiteral("/nonexistent/etcd");
    const Result<qint64> pid = p.start();
    QVERIFY(!pid.ok());
    QVERIFY2(pid.problem().contains(QStringLiteral("cannot start /nonexistent/etcd")), qPrintable(pid.problem()));
    QVERIFY2(pid.problem().contains(QStringLiteral("No such file")), qPrintable(pid.problem()));
}

QTEST_GUILESS_MAIN(TestDetachedProcess)
#include "tst_detachedprocess.moc"

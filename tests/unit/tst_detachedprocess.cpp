#include "demo/DetachedProcess.h"
#include "demo/ProcessControl.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

/// What the demo's members, HAProxy and the peer-proxy helper are started with: their own
/// session, no descriptor of ours, their output in a file, and no zombie when they end.
class TestDetachedProcess : public QObject {
    Q_OBJECT

private slots:
    void childRunsInItsOwnSessionWithOnlyItsOwnDescriptors();
    void outputIsAppendedOrTruncatedAndTheEnvironmentIsGiven();
    void anEndedChildLeavesNoZombie();
    void anEmptyEnvironmentIsThisProcesssOwn();
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

/// A line of /proc/PID/status ("SigBlk:\t0000000000000000" -> "0000000000000000").
QString statusField(qint64 pid, const QString &name)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(name.toLatin1() + ':'))
            return QString::fromLatin1(line.mid(name.size() + 1)).trimmed();
    return {};
}

/// Kills the child when the test ends, passed or not.
struct KillAtEnd {
    qint64 pid = 0;
    ~KillAtEnd()
    {
        if (pid > 0)
            ::kill(pid_t(pid), SIGKILL);
    }
};

} // namespace

void TestDetachedProcess::childRunsInItsOwnSessionWithOnlyItsOwnDescriptors()
{
    // A descriptor of ours without close-on-exec, as a library might leave one; a signal
    // blocked and one ignored, as the console's own handling may have them.
    const int leaky = ::open("/dev/null", O_RDONLY);
    QVERIFY(leaky > 2);
    sigset_t usr1, before;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, &before);
    const auto pipeBefore = ::signal(SIGPIPE, SIG_IGN);
    DetachedProcess p;
    p.program = QStringLiteral("sleep");
    p.arguments = {QStringLiteral("30")};
    const Result<qint64> pid = p.start();
    ::close(leaky);
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
    ::signal(SIGPIPE, pipeBefore);
    QVERIFY2(pid.ok(), qPrintable(pid.problem()));
    const KillAtEnd end {pid.value()};
    // sleep itself has been exec'd once its command line says so.
    QVERIFY(waitFor([&] { return ProcessControl::commandLineContains(pid_t(pid.value()), {QStringLiteral("30")}); }));
    QCOMPARE(::getsid(pid_t(pid.value())), pid_t(pid.value()));
    // The dynamic loader opens the program's libraries for a moment after exec: wait (bounded)
    // for those to close; a descriptor of ours would stay.
    const bool onlyItsOwn = waitFor([&] { return descriptorsOf(pid.value()) == QStringList {"0", "1", "2"}; }, 5000);
    QStringList open;
    for (const QString &fd : descriptorsOf(pid.value()))
        open << fd + QLatin1Char('=') + QFile::symLinkTarget(QStringLiteral("/proc/%1/fd/%2").arg(pid.value()).arg(fd));
    QVERIFY2(onlyItsOwn, qPrintable(open.join(QLatin1Char(' '))));
    QCOMPARE(QFile::symLinkTarget(QStringLiteral("/proc/%1/fd/0").arg(pid.value())), QStringLiteral("/dev/null"));
    // Signals at their defaults, none blocked, whatever this process had.
    QCOMPARE(statusField(pid.value(), QStringLiteral("SigBlk")), QStringLiteral("0000000000000000"));
    // The C library keeps two real-time signals of its own (32 and 33) ignored in every
    // process; the standard ones, SIGPIPE among them, must be at their defaults.
    const quint64 ignored = statusField(pid.value(), QStringLiteral("SigIgn")).toULongLong(nullptr, 16);
    QCOMPARE(ignored & 0x7fffffffULL, 0ULL);
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
    // Runs the script; empty when it ran to its end, else why not.
    auto run = [&](bool truncate) -> QString {
        DetachedProcess p;
        p.program = QStringLiteral("sh");
        p.arguments = {QStringLiteral("-c"), QStringLiteral("echo \"out $GREETING $(pwd)\"; echo err >&2")};
        p.environment = {QStringLiteral("GREETING=hello"), QStringLiteral("PATH=/usr/bin:/bin")};
        p.workingDirectory = dir.path();
        p.outputFile = log;
        p.truncate = truncate;
        const Result<qint64> pid = p.start();
        if (!pid)
            return pid.problem();
        return waitFor([&] { return !ProcessControl::isAlive(pid_t(pid.value())); }) ? QString()
                                                                                     : QStringLiteral("it did not end");
    };
    QCOMPARE(run(false), QString());
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString expected = QStringLiteral("out hello %1\nerr\n").arg(QDir(dir.path()).canonicalPath());
    QCOMPARE(QString::fromUtf8(f.readAll()), QStringLiteral("earlier\n") + expected);
    f.close();
    QCOMPARE(run(true), QString());
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
    const KillAtEnd end {pid.value()};
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid.value()));
    QVERIFY(stat.open(QIODevice::ReadOnly));
    const QByteArray line = stat.readAll();
    QCOMPARE(line.mid(line.lastIndexOf(')') + 4).split(' ').first().toLongLong(), qint64(::getpid()));
    QCOMPARE(::kill(pid_t(pid.value()), SIGKILL), 0);
    // Reaped, not left a zombie: its /proc entry goes.
    QVERIFY(waitFor([&] { return !QFile::exists(QStringLiteral("/proc/%1").arg(pid.value())); }));
}

void TestDetachedProcess::anEmptyEnvironmentIsThisProcesssOwn()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("env.log"));
    qputenv("QUORUMDECK_TEST_INHERITED", "yes");
    DetachedProcess p;
    p.program = QStringLiteral("sh");
    p.arguments = {QStringLiteral("-c"), QStringLiteral("echo \"$QUORUMDECK_TEST_INHERITED\"")};
    p.outputFile = log;
    const Result<qint64> pid = p.start();
    qunsetenv("QUORUMDECK_TEST_INHERITED");
    QVERIFY2(pid.ok(), qPrintable(pid.problem()));
    QVERIFY(waitFor([&] { return !ProcessControl::isAlive(pid_t(pid.value())); }));
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("yes\n"));
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

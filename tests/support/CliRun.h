#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

/// One run of the quorumdeck binary, as an operator's script runs it.
struct CliRun {
    int exitCode = -1; ///< -2 when it crashed, -1 when it timed out
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
};

/// Where the binaries a test runs keep their data (the CLI's journal): a directory of the
/// test's own, never the user's.
inline QString cliDataHome()
{
    static QTemporaryDir dir;
    return dir.path();
}

/// Where the binaries a test runs read their settings (connection profiles).
inline QString cliConfigHome()
{
    static QTemporaryDir dir;
    return dir.path();
}

/// Runs the binary with args (and extraEnv added to its environment), keeping this
/// process's event loop turning meanwhile, so that a server the test runs in-process can
/// answer it.
inline CliRun runQuorumdeck(
    const QStringList &args, int timeoutMs = 60000, const QProcessEnvironment &extraEnv = QProcessEnvironment())
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), cliDataHome());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), cliConfigHome());
    env.insert(extraEnv);
    p.setProcessEnvironment(env);
    // No controlling terminal, as under CI: a command that would ask for a password on the
    // terminal must not wait for one when the tests run from a shell.
    p.setChildProcessModifier([] { ::setsid(); });
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(QUORUMDECK_BINARY), args);
    CliRun r;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.ms = clock.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

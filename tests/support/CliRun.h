#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QStringList>
#include <QTest>

/// One run of the quorumdeck binary, as an operator's script runs it.
struct CliRun {
    int exitCode = -1; ///< -2 when it crashed, -1 when it timed out
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
};

/// Runs the binary with args, keeping this process's event loop turning meanwhile, so
/// that a server the test runs in-process can answer it.
inline CliRun runQuorumdeck(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
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

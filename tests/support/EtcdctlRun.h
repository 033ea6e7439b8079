#pragma once

#include <QProcess>
#include <QStringList>

/// One run of etcdctl (API v3): the reference tool the console's answers are compared with.
struct EtcdctlRun {
    int exitCode = -1; ///< -2 when it crashed, -1 when it timed out
    QByteArray out;
    QByteArray err;
};

inline EtcdctlRun etcdctl(const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ETCDCTL_API"), QStringLiteral("3"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("etcdctl"), args);
    EtcdctlRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

#pragma once

#include <QProcess>
#include <QTemporaryDir>

/// A temporary directory for a demo cluster that a test starts through the CLI. Whatever
/// the test's outcome, the cluster in it is stopped when the test ends, so a failing test
/// leaves no etcd process behind.
class DemoDirectory {
public:
    explicit DemoDirectory(const QString &binary)
        : m_binary(binary)
    {
    }

    ~DemoDirectory()
    {
        // Harmless when the test already stopped it, or never started one.
        QProcess down;
        down.start(m_binary, {QStringLiteral("demo"), QStringLiteral("down"), QStringLiteral("--dir"), m_dir.path()});
        down.waitForFinished(30000);
    }

    QString path() const { return m_dir.path(); }

private:
    QString m_binary;
    QTemporaryDir m_dir;
};

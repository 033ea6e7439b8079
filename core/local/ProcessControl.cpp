#include "local/ProcessControl.h"

#include <QDir>
#include <QFile>
#include <QStringList>
#include <cerrno>
#include <csignal>

namespace ProcessControl {

State state(pid_t pid)
{
    if (pid <= 0)
        return State::Gone;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return State::Gone;
    // "pid (comm) S ...": the state follows the last ')' since comm may hold spaces.
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0 || close + 2 >= line.size())
        return State::Gone;
    switch (line.at(close + 2)) {
    case 'Z':
    case 'X':
    case 'x':
        return State::Gone;
    case 'T':
    case 't':
        return State::Stopped;
    default:
        return State::Running;
    }
}

bool allThreadsStopped(pid_t pid)
{
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    const QStringList threads = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (threads.isEmpty())
        return false;
    for (const QString &tid : threads) {
        if (state(pid_t(tid.toInt())) != State::Stopped)
            return false;
    }
    return true;
}

bool commandLineContains(pid_t pid, const QStringList &words)
{
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!cmdline.open(QIODevice::ReadOnly))
        return false;
    const QString text = QString::fromLocal8Bit(cmdline.readAll().replace('\0', ' '));
    for (const QString &w : words) {
        if (!text.contains(w))
            return false;
    }
    return true;
}

bool sendSignal(pid_t pid, int signal)
{
    if (pid <= 0)
        return false;
    return ::kill(pid, signal) == 0 || errno == EPERM;
}

} // namespace ProcessControl

#include "demo/ProcessControl.h"

#include <QDir>
#include <QFile>
#include <QStringList>
#include <cerrno>
#include <csignal>
#include <unistd.h>

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

quint64 ProcessControl::loopbackSocketInode(quint16 localPort, quint16 remotePort)
{
    QFile file(QStringLiteral("/proc/net/tcp"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    // "sl local_address rem_address st ... inode": addresses as HEXIP:HEXPORT.
    const QByteArray local
        = QByteArrayLiteral("0100007F:") + QByteArray::number(localPort, 16).toUpper().rightJustified(4, '0');
    const QByteArray remote
        = QByteArrayLiteral("0100007F:") + QByteArray::number(remotePort, 16).toUpper().rightJustified(4, '0');
    file.readLine(); // the header
    while (!file.atEnd()) {
        const QList<QByteArray> f = file.readLine().simplified().split(' ');
        if (f.size() > 9 && f.at(1) == local && f.at(2) == remote)
            return f.at(9).toULongLong();
    }
    return 0;
}

bool ProcessControl::holdsSocket(pid_t pid, quint64 inode)
{
    if (pid <= 0 || !inode)
        return false;
    const QByteArray wanted = "socket:[" + QByteArray::number(inode) + ']';
    const QString fdDir = QStringLiteral("/proc/%1/fd").arg(pid);
    const QStringList fds = QDir(fdDir).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot);
    char target[64];
    for (const QString &fd : fds) {
        const QByteArray link = QFile::encodeName(fdDir + QLatin1Char('/') + fd);
        const ssize_t n = ::readlink(link.constData(), target, sizeof target);
        if (n == wanted.size() && QByteArrayView(target, n) == wanted)
            return true;
    }
    return false;
}

#pragma once

#include <QString>
#include <sys/types.h>

/// Small, non-blocking questions and signals about processes by pid (Linux /proc).
namespace ProcessControl {

enum class State { Gone, Running, Stopped };

/// A zombie counts as gone: a member that outlived the console that started it has a new
/// parent, which may not reap it at once (and one started by this console is reaped by a
/// thread of its own, a moment after it ends).
State state(pid_t pid);
inline bool isAlive(pid_t pid)
{
    return state(pid) != State::Gone;
}

/// True when every thread of pid is stopped. SIGSTOP is delivered to each thread as it
/// next enters the kernel, so a thread busy on another core may still run for a moment
/// after kill() returns.
bool allThreadsStopped(pid_t pid);

/// True when pid is still a process whose command line contains every given word, so a
/// pid recycled by an unrelated process is never signalled.
bool commandLineContains(pid_t pid, const QStringList &words);

/// The inode of the TCP socket on 127.0.0.1 whose own port is localPort and whose peer's
/// port is remotePort (from /proc/net/tcp), or 0.
quint64 loopbackSocketInode(quint16 localPort, quint16 remotePort);

/// True when pid holds the socket with that inode (one of its /proc/PID/fd links).
bool holdsSocket(pid_t pid, quint64 inode);

/// Sends a signal; false when the process does not exist.
bool sendSignal(pid_t pid, int signal);

} // namespace ProcessControl

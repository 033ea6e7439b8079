#pragma once

#include "common/Result.h"

#include <QString>
#include <QStringList>

/// A program started to outlive this process (an etcd member, HAProxy, the peer-proxy
/// helper): its own session, standard input from /dev/null, its output appended to a file,
/// no descriptor of ours but those three, and its signals at their defaults.
///
/// Why not QProcess::startDetached: Qt 6.4 forks, and a fork copies the page tables of this
/// whole process (the window, its tables and images) while holding its memory map locked;
/// the window's thread then waits on the lock and afterwards takes a copy-on-write fault on
/// each page it writes, the backing store included. Measured with perf during a restore of
/// the demo, the forks held the window's loop for 20 to 64 ms. posix_spawn starts the child
/// in the parent's memory (vfork semantics), which copies nothing.
///
/// The child is ours until it ends: a thread with a small stack waits for it so that it
/// leaves no zombie.
struct DetachedProcess {
    QString program;
    QStringList arguments;
    QString workingDirectory;
    /// NAME=value entries; empty: this process's environment.
    QStringList environment;
    /// Standard output and error go here, appended; truncated first when truncate is set.
    QString outputFile;
    bool truncate = false;

    /// The child's pid, or Unavailable with the reason (a missing program included).
    Result<qint64> start() const;
};

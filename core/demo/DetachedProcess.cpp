#include "demo/DetachedProcess.h"

#include <QFile>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <vector>

extern char **environ;

namespace {

/// NUL-terminated copies of a list, and the pointer array execve wants.
class CStrings {
public:
    explicit CStrings(const QStringList &list)
    {
        for (const QString &s : list)
            m_bytes.push_back(QFile::encodeName(s));
        for (QByteArray &b : m_bytes)
            m_pointers.push_back(b.data());
        m_pointers.push_back(nullptr);
    }
    char **data() { return m_pointers.data(); }

private:
    std::vector<QByteArray> m_bytes;
    std::vector<char *> m_pointers;
};

/// posix_spawn's attributes and file actions, released whatever happens.
struct SpawnSetup {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    SpawnSetup()
    {
        posix_spawnattr_init(&attr);
        posix_spawn_file_actions_init(&actions);
    }
    ~SpawnSetup()
    {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup &) = delete;
    SpawnSetup &operator=(const SpawnSetup &) = delete;
};

void *reap(void *pid)
{
    int status = 0;
    while (::waitpid(pid_t(intptr_t(pid)), &status, 0) < 0 && errno == EINTR) { }
    return nullptr;
}

} // namespace

Result<qint64> DetachedProcess::start() const
{
    const QByteArray path = QFile::encodeName(program);
    const QByteArray dir = QFile::encodeName(workingDirectory);
    const QByteArray out = QFile::encodeName(outputFile);
    CStrings argv(QStringList(program) + arguments);
    CStrings envp(environment);

    SpawnSetup s;
    // A session of its own (as setsid does): the terminal's Ctrl-C and the console's end
    // do not reach it. Every signal at its default and none blocked, whatever ours are.
    sigset_t all;
    sigfillset(&all);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&s.attr, &all);
    posix_spawnattr_setsigmask(&s.attr, &none);
    posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    posix_spawn_file_actions_addopen(&s.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    const int flags = O_WRONLY | O_CREAT | O_APPEND | (truncate ? O_TRUNC : 0);
    posix_spawn_file_actions_addopen(
        &s.actions, STDOUT_FILENO, out.isEmpty() ? "/dev/null" : out.constData(), flags, 0666);
    posix_spawn_file_actions_adddup2(&s.actions, STDOUT_FILENO, STDERR_FILENO);
    // After the files, so that a relative file name means what it means here.
    if (!dir.isEmpty())
        posix_spawn_file_actions_addchdir_np(&s.actions, dir.constData());
    // Nothing else of ours: a listening socket or a log left open in a member would outlive
    // the console that owns it.
    posix_spawn_file_actions_addclosefrom_np(&s.actions, STDERR_FILENO + 1);

    pid_t pid = 0;
    const int failed = posix_spawnp(
        &pid, path.constData(), &s.actions, &s.attr, argv.data(), environment.isEmpty() ? environ : envp.data());
    if (failed != 0)
        return Error::unavailable(
            QStringLiteral("cannot start %1: %2").arg(program, QString::fromLocal8Bit(std::strerror(failed))));
    // Reaped when it ends, so that an ended member is gone rather than a zombie. A thread
    // with a small stack that only waits; if none can be made, the child stays a zombie
    // once it ends, until this process ends (ProcessControl counts a zombie as gone).
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t reaper;
    static_cast<void>(pthread_create(&reaper, &attr, &reap, reinterpret_cast<void *>(intptr_t(pid))));
    pthread_attr_destroy(&attr);
    return qint64(pid);
}

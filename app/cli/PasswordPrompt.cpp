#include "cli/PasswordPrompt.h"

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace PasswordPrompt {

std::optional<QString> ask(const QString &prompt)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    termios saved {};
    if (::tcgetattr(fd, &saved) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    const QByteArray text = prompt.toLocal8Bit();
    [[maybe_unused]] auto n = ::write(fd, text.constData(), size_t(text.size()));
    // While echo is off, stopping (Ctrl-Z) or quitting (Ctrl-\) must not leave the terminal
    // silent: hold those signals until it is restored. Ctrl-C interrupts the read below.
    sigset_t held;
    sigset_t previous;
    sigemptyset(&held);
    sigaddset(&held, SIGTSTP);
    sigaddset(&held, SIGQUIT);
    sigaddset(&held, SIGTTIN);
    sigaddset(&held, SIGTTOU);
    ::sigprocmask(SIG_BLOCK, &held, &previous);
    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    silent.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &silent);
    std::string line;
    bool complete = false;
    char c = 0;
    for (;;) {
        const ssize_t got = ::read(fd, &c, 1);
        if (got <= 0)
            break; // interrupted (Ctrl-C) or end of input: no password was given
        if (c == '\n') {
            complete = true;
            break;
        }
        line.push_back(c);
    }
    ::tcsetattr(fd, TCSAFLUSH, &saved);
    ::sigprocmask(SIG_SETMASK, &previous, nullptr);
    if (!complete) [[maybe_unused]]
        auto m = ::write(fd, "\n", 1);
    ::close(fd);
    std::optional<QString> password;
    if (complete)
        password = QString::fromLocal8Bit(line.data(), qsizetype(line.size()));
    // Overwrite the copy before it goes back to the allocator.
    std::fill(line.begin(), line.end(), '\0');
    return password;
}

} // namespace PasswordPrompt

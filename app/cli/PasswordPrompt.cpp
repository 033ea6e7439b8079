#include "cli/PasswordPrompt.h"

#include <cstdio>
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
    termios silent = saved;
    silent.c_lflag &= ~tcflag_t(ECHO);
    silent.c_lflag |= ECHONL;
    ::tcsetattr(fd, TCSAFLUSH, &silent);
    std::string line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n')
        line.push_back(c);
    ::tcsetattr(fd, TCSAFLUSH, &saved);
    ::close(fd);
    const QString password = QString::fromLocal8Bit(line.data(), qsizetype(line.size()));
    // Overwrite the copy before it goes back to the allocator.
    std::fill(line.begin(), line.end(), '\0');
    return password;
}

} // namespace PasswordPrompt

#include "demo/PortAllocator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

/// reuseAddress: bind as etcd, HAProxy and Qt's servers bind their listeners, with
/// SO_REUSEADDR, so that a port whose last connections linger in TIME_WAIT counts as free
/// (their listeners will bind it), while a port with a live listener still does not.
int bindLoopback(quint16 port, bool reuseAddress)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const int on = 1;
    if (reuseAddress && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) {
        ::close(fd);
        return -1;
    }
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

quint16 boundPort(int fd)
{
    sockaddr_in addr {};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        return 0;
    return ntohs(addr.sin_port);
}

} // namespace

namespace PortAllocator {

Result<QList<quint16>> freePorts(int n)
{
    QList<int> fds;
    QList<quint16> ports;
    for (int i = 0; i < n; ++i) {
        // Without SO_REUSEADDR the kernel hands out no port still in TIME_WAIT.
        const int fd = bindLoopback(0, false);
        const quint16 port = fd >= 0 ? boundPort(fd) : 0;
        if (port == 0) {
            if (fd >= 0)
                ::close(fd);
            for (int open : std::as_const(fds))
                ::close(open);
            return Error::unavailable(QStringLiteral("cannot find free ports on 127.0.0.1"));
        }
        fds << fd;
        ports << port;
    }
    for (int fd : fds)
        ::close(fd);
    return ports;
}

bool isFree(quint16 port)
{
    const int fd = bindLoopback(port, true);
    if (fd < 0)
        return false;
    // listen() too: with SO_REUSEADDR, bind alone succeeds beside a socket that is bound
    // but not yet listening, which the member's listen would then collide with.
    const bool listens = ::listen(fd, 1) == 0;
    ::close(fd);
    return listens;
}

} // namespace PortAllocator

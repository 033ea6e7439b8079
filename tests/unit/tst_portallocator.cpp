#include "demo/PortAllocator.h"

#include <QDeadlineTimer>
#include <QTest>
#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/// PortAllocator::isFree judges a port as etcd's listener will find it.
class TestPortAllocator : public QObject {
    Q_OBJECT

private slots:
    void portInTimeWaitIsFree();
    void portWithListenerIsTaken();
    void freePortsAreDistinct();

private:
    static sockaddr_in loopback(quint16 port)
    {
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        return a;
    }
    /// errno of a plain bind (no SO_REUSEADDR) to the port, 0 when it binds.
    static int plainBindError(quint16 port)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a = loopback(port);
        const int rc = ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
        const int error = rc == 0 ? 0 : errno;
        ::close(fd);
        return error;
    }
    static int listenOn(quint16 port)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        sockaddr_in a = loopback(port);
        if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd, 4) != 0) {
            ::close(fd);
            return -1;
        }
        return fd;
    }
};

void TestPortAllocator::portInTimeWaitIsFree()
{
    const Result<QList<quint16>> found = PortAllocator::freePorts(1);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QCOMPARE(ports.size(), 1);
    const quint16 port = ports.first();

    // The server's side closes first, so the server's port is the one left in TIME_WAIT,
    // as a member's client port is after a demo goes down with connections open.
    const int listener = listenOn(port);
    QVERIFY(listener >= 0);
    const int client = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a = loopback(port);
    QCOMPARE(::connect(client, reinterpret_cast<sockaddr *>(&a), sizeof a), 0);
    const int accepted = ::accept(listener, nullptr, nullptr);
    QVERIFY(accepted >= 0);
    ::close(accepted);
    char byte;
    QCOMPARE(::recv(client, &byte, 1, 0), ssize_t(0)); // the server's FIN has arrived
    ::close(client);
    ::close(listener);

    // The precondition: a bind without SO_REUSEADDR is refused while TIME_WAIT lasts.
    QDeadlineTimer deadline(5000);
    while (plainBindError(port) != EADDRINUSE && !deadline.hasExpired())
        QTest::qWait(5);
    QCOMPARE(plainBindError(port), EADDRINUSE);

    QVERIFY2(PortAllocator::isFree(port), "a port in TIME_WAIT is free for a listener with SO_REUSEADDR");
}

void TestPortAllocator::portWithListenerIsTaken()
{
    const Result<QList<quint16>> found = PortAllocator::freePorts(1);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QCOMPARE(ports.size(), 1);
    QVERIFY(PortAllocator::isFree(ports.first()));
    const int listener = listenOn(ports.first());
    QVERIFY(listener >= 0);
    QVERIFY(!PortAllocator::isFree(ports.first()));
    ::close(listener);
    QVERIFY(PortAllocator::isFree(ports.first()));
}

void TestPortAllocator::freePortsAreDistinct()
{
    const Result<QList<quint16>> found = PortAllocator::freePorts(21);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QCOMPARE(ports.size(), 21);
    QCOMPARE(QSet<quint16>(ports.begin(), ports.end()).size(), 21);
    for (quint16 p : ports)
        QVERIFY(PortAllocator::isFree(p));
}

QTEST_GUILESS_MAIN(TestPortAllocator)
#include "tst_portallocator.moc"

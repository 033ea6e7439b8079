#include "local/PeerProxy.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

namespace {

/// Echoes every byte back: the "member" behind the proxy.
class EchoServer : public QTcpServer {
public:
    EchoServer()
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
};

} // namespace

/// The demo's peer proxy against a local echo server: traffic passes, a delay holds each
/// direction and is lifted at once, isolation cuts and refuses connections, drops lose data.
class PeerProxyTest : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void passesTrafficThrough();
    void delayHoldsEachDirectionInOrder();
    void clearingADelayReleasesWhatIsHeld();
    void isolationCutsAndRefusesUntilHealed();
    void droppedChunksNeverArrive();
    void describesFaults();

private:
    std::unique_ptr<QTcpSocket> connectClient();
    QByteArray receive(QTcpSocket *s, int bytes, int timeoutMs = 5000);

    std::unique_ptr<EchoServer> m_echo;
    std::unique_ptr<PeerProxy> m_proxy;
};

void PeerProxyTest::init()
{
    m_echo = std::make_unique<EchoServer>();
    QVERIFY(m_echo->isListening());
    m_proxy = std::make_unique<PeerProxy>("etcd1", "127.0.0.1", m_echo->serverPort());
    m_proxy->setSeed(42);
    QCOMPARE(m_proxy->listen(), QString());
    QVERIFY(m_proxy->port() != 0);
}

void PeerProxyTest::cleanup()
{
    m_proxy.reset();
    m_echo.reset();
}

std::unique_ptr<QTcpSocket> PeerProxyTest::connectClient()
{
    auto s = std::make_unique<QTcpSocket>();
    s->connectToHost(QHostAddress::LocalHost, m_proxy->port());
    if (!s->waitForConnected(3000))
        return nullptr;
    return s;
}

QByteArray PeerProxyTest::receive(QTcpSocket *s, int bytes, int timeoutMs)
{
    QByteArray got;
    (void)QTest::qWaitFor(
        [&] {
            got += s->readAll();
            return got.size() >= bytes;
        },
        timeoutMs);
    return got;
}

void PeerProxyTest::passesTrafficThrough()
{
    auto client = connectClient();
    QVERIFY(client);
    client->write("hello raft");
    QCOMPARE(receive(client.get(), 10), QByteArray("hello raft"));
    QTRY_COMPARE(m_proxy->connections(), 1);
    QCOMPARE(m_proxy->bytesForwarded(), 20); // there and back
}

void PeerProxyTest::delayHoldsEachDirectionInOrder()
{
    auto client = connectClient();
    QVERIFY(client);
    client->write("warm");
    QCOMPARE(receive(client.get(), 4), QByteArray("warm"));
    NetworkFault delay;
    delay.delayMs = 150;
    delay.jitterMs = 40;
    m_proxy->setFault(delay);
    QElapsedTimer clock;
    clock.start();
    for (const char *part : {"a", "b", "c", "d", "e"}) {
        client->write(part);
        client->flush();
        QTest::qWait(5); // separate chunks, so that jitter could reorder them if it were allowed to
    }
    const QByteArray got = receive(client.get(), 5);
    // Held on the way in and on the way back: at least (150 − 40) ms each way.
    QVERIFY2(clock.elapsed() >= 2 * (150 - 40), qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(got, QByteArray("abcde"));
}

void PeerProxyTest::clearingADelayReleasesWhatIsHeld()
{
    auto client = connectClient();
    QVERIFY(client);
    client->write("warm");
    QCOMPARE(receive(client.get(), 4), QByteArray("warm"));
    NetworkFault delay;
    delay.delayMs = 20000;
    m_proxy->setFault(delay);
    client->write("held");
    client->flush();
    QVERIFY(!QTest::qWaitFor([&] { return client->bytesAvailable() > 0; }, 200)); // held, not lost
    m_proxy->setFault({});
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(receive(client.get(), 4, 5000), QByteArray("held"));
    // Released at once rather than after the 20 s it was held for.
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

void PeerProxyTest::isolationCutsAndRefusesUntilHealed()
{
    auto client = connectClient();
    QVERIFY(client);
    client->write("x");
    QCOMPARE(receive(client.get(), 1), QByteArray("x"));
    NetworkFault isolate;
    isolate.isolated = true;
    m_proxy->setFault(isolate);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 3000);
    QCOMPARE(m_proxy->connections(), 0);

    // New connections are cut as soon as they are made.
    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, m_proxy->port());
    QTRY_COMPARE_WITH_TIMEOUT(refused.state(), QAbstractSocket::UnconnectedState, 3000);
    QCOMPARE(m_proxy->connections(), 0);

    m_proxy->setFault({});
    auto again = connectClient();
    QVERIFY(again);
    again->write("back");
    QCOMPARE(receive(again.get(), 4), QByteArray("back"));
}

void PeerProxyTest::droppedChunksNeverArrive()
{
    auto client = connectClient();
    QVERIFY(client);
    client->write("w");
    QCOMPARE(receive(client.get(), 1), QByteArray("w"));
    NetworkFault drop;
    drop.dropPercent = 100;
    m_proxy->setFault(drop);
    client->write("lost");
    QTRY_COMPARE(m_proxy->chunksDropped(), 1);
    m_proxy->setFault({});
    client->write("kept");
    // The first bytes back are the second message's: the first never reached the member.
    QCOMPARE(receive(client.get(), 4), QByteArray("kept"));
}

void PeerProxyTest::describesFaults()
{
    NetworkFault f;
    QCOMPARE(f.describe(), QStringLiteral("none"));
    QVERIFY(!f.any());
    f.delayMs = 300;
    f.jitterMs = 50;
    f.dropPercent = 10;
    QCOMPARE(f.describe(), QStringLiteral("delay 300±50 ms, drop 10 %"));
    QCOMPARE(NetworkFault::fromJson(f.toJson()), f);
    f.isolated = true;
    QCOMPARE(f.describe(), QStringLiteral("isolated"));
}

QTEST_GUILESS_MAIN(PeerProxyTest)
#include "tst_peerproxy.moc"

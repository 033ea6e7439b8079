#include "demo/NetworkControl.h"
#include "demo/PeerProxy.h"
#include "demo/PeerProxyHost.h"
#include "demo/PortAllocator.h"
#include "demo/ProcessControl.h"
#include "profile/ClusterManifest.h"
#include "support/TestTiming.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QTemporaryDir>

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
    void originFaultsReachConnectionsTheMemberOpened();
    void hostAnswersControlRequests();
    void hostWatchersHearOfEveryChange();

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
    QCOMPARE(m_proxy->listen().problem(), QString());
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
    QVERIFY2(clock.elapsed() < TestTiming::upTo(5000), qPrintable(QString::number(clock.elapsed())));
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

void PeerProxyTest::originFaultsReachConnectionsTheMemberOpened()
{
    // The connection's opener is found as the host finds it: the source port's socket in
    // /proc/net/tcp, held by a known pid (here this test's own process, "etcd2").
    const quint16 proxyPort = m_proxy->port();
    int asked = 0;
    m_proxy->setOriginResolver([&asked, proxyPort](quint16 sourcePort) {
        ++asked;
        const quint64 inode = ProcessControl::loopbackSocketInode(sourcePort, proxyPort);
        return ProcessControl::holdsSocket(pid_t(QCoreApplication::applicationPid()), inode) ? QStringLiteral("etcd2")
                                                                                             : QString();
    });
    auto client = connectClient();
    QVERIFY(client);
    client->write("x");
    QCOMPARE(receive(client.get(), 1), QByteArray("x"));
    QCOMPARE(asked, 1);

    NetworkFault isolate;
    isolate.isolated = true;
    m_proxy->setOriginFault(QStringLiteral("etcd3"), isolate); // someone else: no effect
    client->write("y");
    QCOMPARE(receive(client.get(), 1), QByteArray("y"));

    m_proxy->setOriginFault(QStringLiteral("etcd2"), isolate);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 3000);
    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, proxyPort);
    QTRY_COMPARE_WITH_TIMEOUT(refused.state(), QAbstractSocket::UnconnectedState, 3000);
    QCOMPARE(m_proxy->connections(), 0);
    QVERIFY(!m_proxy->fault().any()); // the proxy's own member is not at fault

    // A delay on the opener holds its connections too.
    NetworkFault delay;
    delay.delayMs = 200;
    m_proxy->setOriginFault(QStringLiteral("etcd2"), delay);
    auto slow = connectClient();
    QVERIFY(slow);
    QElapsedTimer clock;
    clock.start();
    slow->write("z");
    QCOMPARE(receive(slow.get(), 1), QByteArray("z"));
    QVERIFY2(clock.elapsed() >= 2 * 200 - 20, qPrintable(QString::number(clock.elapsed())));
    m_proxy->setOriginFault(QStringLiteral("etcd2"), {});
    clock.restart();
    slow->write("w");
    QCOMPARE(receive(slow.get(), 1), QByteArray("w"));
    QVERIFY2(clock.elapsed() < TestTiming::upTo(200), qPrintable(QString::number(clock.elapsed())));
}

namespace {

QJsonObject ask(const QString &socket, const QJsonObject &request, QString *error)
{
    std::optional<QJsonObject> answer;
    NetworkControl::request(socket, request, 3000, nullptr, [&](const Result<QJsonObject> &a) {
        answer = a.valueOr({});
        *error = a.problem();
    });
    if (!QTest::qWaitFor([&] { return answer.has_value(); }, 5000))
        *error = QStringLiteral("no answer");
    return answer.value_or(QJsonObject());
}

ClusterManifest oneMember(const QString &dir, quint16 proxyPort, quint16 echoPort)
{
    ClusterManifest m;
    m.dir = dir;
    LocalMember member;
    member.name = QStringLiteral("etcd1");
    member.peerUrl = QStringLiteral("http://127.0.0.1:%1").arg(proxyPort);
    member.listenPeerUrl = QStringLiteral("http://127.0.0.1:%1").arg(echoPort);
    m.members << member;
    m.network.socketPath = dir + QStringLiteral("/network.sock");
    return m;
}

} // namespace

void PeerProxyTest::hostAnswersControlRequests()
{
    QTemporaryDir dir;
    const Result<QList<quint16>> found = PortAllocator::freePorts(2);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QString error;
    QCOMPARE(ports.size(), 2);
    PeerProxyHost host;
    const ClusterManifest manifest = oneMember(dir.path(), ports.at(0), m_echo->serverPort());
    QCOMPARE(host.start(manifest).problem(), QString());
    const QString socket = manifest.network.socketPath;
    QVERIFY(QFile::permissions(socket) & QFile::WriteOwner);
    QVERIFY(!(QFile::permissions(socket) & QFile::WriteOther)); // only this user sets faults

    QJsonObject a = ask(socket, {{"op", "status"}}, &error);
    QCOMPARE(error, QString());
    QJsonArray members = a.value("members").toArray();
    QCOMPARE(members.size(), 1);
    QCOMPARE(members.at(0).toObject().value("name").toString(), QStringLiteral("etcd1"));
    QCOMPARE(members.at(0).toObject().value("state").toString(), QStringLiteral("ok"));
    QCOMPARE(members.at(0).toObject().value("proxy").toString(), QStringLiteral("127.0.0.1:%1").arg(ports.at(0)));

    NetworkFault isolate;
    isolate.isolated = true;
    a = ask(socket, {{"op", "set"}, {"member", "etcd1"}, {"fault", isolate.toJson()}}, &error);
    QCOMPARE(error, QString());
    QCOMPARE(a.value("members").toArray().at(0).toObject().value("state").toString(), QStringLiteral("isolated"));
    // In force when answered: the proxy refuses.
    QTcpSocket refused;
    refused.connectToHost(QHostAddress::LocalHost, ports.at(0));
    QTRY_COMPARE_WITH_TIMEOUT(refused.state(), QAbstractSocket::UnconnectedState, 3000);

    ask(socket, {{"op", "set"}, {"member", "etcd9"}, {"fault", isolate.toJson()}}, &error);
    QVERIFY2(error.contains("no member named \"etcd9\""), qPrintable(error));
    NetworkFault bad;
    bad.dropPercent = 150;
    ask(socket, {{"op", "set"}, {"member", "etcd1"}, {"fault", bad.toJson()}}, &error);
    QVERIFY2(error.contains("0 to 100"), qPrintable(error));
    ask(socket, {{"op", "shutdown"}}, &error);
    QVERIFY2(error.contains("unknown network request"), qPrintable(error));

    // A route for a member that joins, then gone with it.
    a = ask(
        socket, {{"op", "add"}, {"member", "etcd2"}, {"port", ports.at(1)}, {"target", m_echo->serverPort()}}, &error);
    QCOMPARE(error, QString());
    QCOMPARE(a.value("members").toArray().size(), 2);
    a = ask(socket, {{"op", "remove"}, {"member", "etcd2"}}, &error);
    QCOMPARE(a.value("members").toArray().size(), 1);

    a = ask(socket, {{"op", "clear"}}, &error);
    QCOMPARE(error, QString());
    QCOMPARE(a.value("members").toArray().at(0).toObject().value("state").toString(), QStringLiteral("ok"));

    // Not JSON: a sentence back, and the host carries on.
    QLocalSocket raw;
    raw.connectToServer(socket);
    QVERIFY(raw.waitForConnected(3000));
    raw.write("isolate etcd1\n");
    QVERIFY(QTest::qWaitFor([&] { return raw.canReadLine(); }, 3000));
    QVERIFY(raw.readLine().contains("one JSON object"));
    ask(socket, {{"op", "status"}}, &error);
    QCOMPARE(error, QString());

    // Nobody listening: a sentence, not a hang.
    ask(dir.path() + QStringLiteral("/nothing.sock"), {{"op", "status"}}, &error);
    QVERIFY2(error.contains("do not answer"), qPrintable(error));
}

void PeerProxyTest::hostWatchersHearOfEveryChange()
{
    QTemporaryDir dir;
    const Result<QList<quint16>> found = PortAllocator::freePorts(1);
    QVERIFY2(found.ok(), qPrintable(found.problem()));
    const QList<quint16> ports = found.value();
    QString error;
    PeerProxyHost host;
    const ClusterManifest manifest = oneMember(dir.path(), ports.at(0), m_echo->serverPort());
    QCOMPARE(host.start(manifest).problem(), QString());
    QLocalSocket watcher;
    watcher.connectToServer(manifest.network.socketPath);
    QVERIFY(watcher.waitForConnected(3000));
    watcher.write("{\"op\":\"watch\"}\n");
    QVERIFY(QTest::qWaitFor([&] { return watcher.canReadLine(); }, 3000));
    watcher.readLine(); // the state now
    NetworkFault delay;
    delay.delayMs = 75;
    ask(manifest.network.socketPath, {{"op", "set"}, {"member", "etcd1"}, {"fault", delay.toJson()}}, &error);
    QCOMPARE(error, QString());
    QVERIFY(QTest::qWaitFor([&] { return watcher.canReadLine(); }, 3000));
    const QJsonObject pushed = QJsonDocument::fromJson(watcher.readLine()).object();
    const MemberNetwork m = MemberNetwork::fromJson(pushed.value("members").toArray().at(0).toObject());
    QCOMPARE(m.fault.delayMs, 75);
    QCOMPARE(m.state(), QStringLiteral("impaired"));
}

QTEST_GUILESS_MAIN(PeerProxyTest)
#include "tst_peerproxy.moc"

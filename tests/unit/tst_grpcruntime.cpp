#include "etcd/EtcdClient.h"
#include "etcd/GrpcRuntime.h"

#include <QTcpServer>
#include <QTest>
#include <optional>

/// gRPC's start on a helper thread (what every command does first) must leave gRPC usable
/// however the helper and the first client interleave. This test runs in a process of its
/// own, where nothing has started gRPC before.
class TestGrpcRuntime : public QObject {
    Q_OBJECT

private slots:
    void clientCallsWhileGrpcStartsOnAHelperThread();
    void startingAgainIsHarmless();

private:
    static QString closedEndpoint();
    /// Asks for a status and waits for the answer; empty when none came in time.
    static std::optional<EtcdResult<StatusInfo>> statusOf(const QString &endpoint);
};

QString TestGrpcRuntime::closedEndpoint()
{
    // A port that was free a moment ago and has no listener now: the connection is refused.
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return QStringLiteral("http://127.0.0.1:%1").arg(port);
}

std::optional<EtcdResult<StatusInfo>> TestGrpcRuntime::statusOf(const QString &endpoint)
{
    ConnectionSettings settings;
    settings.endpoints = {endpoint};
    settings.deadlines.readMs = 1000;
    EtcdClient client(settings);
    std::optional<EtcdResult<StatusInfo>> answer;
    client.status(endpoint, &client, [&](const EtcdResult<StatusInfo> &r) { answer = r; });
    // Within the call's deadline, plus room for a slow machine.
    (void)QTest::qWaitFor([&] { return answer.has_value(); }, 5000);
    return answer;
}

void TestGrpcRuntime::clientCallsWhileGrpcStartsOnAHelperThread()
{
    const QString endpoint = closedEndpoint();
    QVERIFY(!endpoint.isEmpty());
    GrpcRuntime::startInBackground();
    // No waiting: the client starts gRPC too, racing the helper.
    const auto r = statusOf(endpoint);
    QVERIFY2(r.has_value(), "no answer within 5 s");
    QVERIFY(!r->ok());
    QCOMPARE(r->error.code, EtcdError::Unavailable);
    QCOMPARE(r->endpoint, endpoint);
}

void TestGrpcRuntime::startingAgainIsHarmless()
{
    const QString endpoint = closedEndpoint();
    QVERIFY(!endpoint.isEmpty());
    GrpcRuntime::startInBackground();
    GrpcRuntime::startInBackground();
    const auto r = statusOf(endpoint);
    QVERIFY2(r.has_value(), "no answer within 5 s");
    QCOMPARE(r->error.code, EtcdError::Unavailable);
}

QTEST_GUILESS_MAIN(TestGrpcRuntime)
#include "tst_grpcruntime.moc"

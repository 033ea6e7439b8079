#include "common/MemberId.h"
#include "support/DemoClusterFixture.h"
#include "support/TestTiming.h"

#include <QScopeGuard>

/// EtcdClient's calls against real members: answers, etcd's errors turned into sentences,
/// deadlines, and a client destroyed with calls still in flight.
class TestEtcdClientIntegration : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void putRangeAndHashAgree();
    void maintenanceCalls();
    void errorsCarryCodeMessageAndSentence();
    void pausedMemberCostsOneDeadline();
    void destroyingTheClientCancelsCallsInFlight();
    void invalidEndpointIsReportedAsynchronously();

private:
    template <typename T, typename Start> static EtcdResult<T> await(Start start, int timeoutMs = 10000)
    {
        std::optional<EtcdResult<T>> result;
        start([&](const EtcdResult<T> &r) { result = r; });
        (void)QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs);
        return result.value_or(EtcdResult<T>());
    }

    DemoClusterFixture m_fx;
    std::unique_ptr<EtcdClient> m_client;
    ClusterSnapshot m_snapshot;
};

void TestEtcdClientIntegration::initTestCase()
{
    const QString error = m_fx.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_client = std::make_unique<EtcdClient>(m_fx.settings());
    ClusterMonitor monitor(m_client.get());
    m_snapshot = waitForSnapshot(monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
    QVERIFY(m_snapshot.isHealthy());
}

void TestEtcdClientIntegration::cleanupTestCase()
{
    m_client.reset();
    m_fx.stop();
}

void TestEtcdClientIntegration::putRangeAndHashAgree()
{
    const QString ep = m_fx.endpoints().first();
    const auto put = await<ResponseHeaderInfo>([&](auto cb) { m_client->put(ep, "/qd/probe", "hello", nullptr, cb); });
    QVERIFY2(put.ok(), qPrintable(put.error.sentence));
    QVERIFY(put->revision > 1);
    for (const QString &endpoint : m_fx.endpoints()) {
        const auto range
            = await<RangeInfo>([&](auto cb) { m_client->range(endpoint, "/qd/probe", {}, false, nullptr, cb); });
        QVERIFY2(range.ok(), qPrintable(range.error.sentence));
        QCOMPARE(range->kvs.size(), 1);
        QCOMPARE(range->kvs.first().value, QByteArray("hello"));
        QCOMPARE(range->kvs.first().modRevision, put->revision);
    }
    // Every member holds the same keyspace at that revision.
    QSet<uint32_t> hashes;
    for (const QString &endpoint : m_fx.endpoints()) {
        const auto h = await<HashKVInfo>([&](auto cb) { m_client->hashKV(endpoint, put->revision, nullptr, cb); });
        QVERIFY2(h.ok(), qPrintable(h.error.sentence));
        hashes.insert(h->hash);
    }
    QCOMPARE(hashes.size(), 1);
}

void TestEtcdClientIntegration::maintenanceCalls()
{
    const QString ep = m_fx.endpoints().first();
    const auto alarms = await<QList<AlarmInfo>>([&](auto cb) { m_client->alarmList(ep, nullptr, cb); });
    QVERIFY2(alarms.ok(), qPrintable(alarms.error.sentence));
    QVERIFY(alarms->isEmpty());
    const auto defrag = await<ResponseHeaderInfo>([&](auto cb) { m_client->defragment(ep, nullptr, cb); });
    QVERIFY2(defrag.ok(), qPrintable(defrag.error.sentence));
    const auto status = await<StatusInfo>([&](auto cb) { m_client->status(ep, nullptr, cb); });
    QVERIFY(status.ok());
    QCOMPARE(status->header.clusterId, m_snapshot.clusterId());
    QVERIFY(status.latencyMs > 0);
    QCOMPARE(status.endpoint, ep);
}

void TestEtcdClientIntegration::errorsCarryCodeMessageAndSentence()
{
    const QString ep = m_fx.endpoints().first();
    const auto unknown = await<MemberListInfo>([&](auto cb) { m_client->memberRemove(ep, 0x1234, nullptr, cb); });
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error.code, int(EtcdError::NotFound));
    QVERIFY(unknown.error.message.contains("member not found"));
    QVERIFY(unknown.error.sentence.contains("no member with that id"));

    const uint64_t voter = m_snapshot.members().first().id;
    const auto promoteVoter = await<MemberListInfo>([&](auto cb) { m_client->memberPromote(ep, voter, nullptr, cb); });
    QCOMPARE(promoteVoter.error.code, int(EtcdError::FailedPrecondition));
    QVERIFY(promoteVoter.error.sentence.contains("already votes"));

    // MoveLeader must go to the leader; a follower says so.
    const MemberState *follower = nullptr;
    for (const MemberState &m : m_snapshot.members()) {
        if (m.role == MemberRole::Follower)
            follower = &m;
    }
    const auto notLeader = await<ResponseHeaderInfo>(
        [&](auto cb) { m_client->moveLeader(follower->clientUrls.first(), follower->id, nullptr, cb); });
    QCOMPARE(notLeader.error.code, int(EtcdError::FailedPrecondition));
    QVERIFY(notLeader.error.sentence.contains("not the leader"));
}

void TestEtcdClientIntegration::pausedMemberCostsOneDeadline()
{
    const MemberState &victim = m_snapshot.members().last();
    QVERIFY(m_fx.act(victim.name, LocalCluster::MemberAction::Pause).ok());
    QElapsedTimer clock;
    clock.start();
    const auto r = await<StatusInfo>([&](auto cb) { m_client->status(victim.clientUrls.first(), nullptr, cb, 300); });
    const qint64 took = clock.elapsed();
    QVERIFY(m_fx.act(victim.name, LocalCluster::MemberAction::Resume).ok());
    QCOMPARE(r.error.code, int(EtcdError::DeadlineExceeded));
    QVERIFY2(took >= 290 && took < TestTiming::upTo(300 * 1.2 + 50), qPrintable(QString::number(took)));
    QVERIFY(r.error.sentence.contains("before the deadline"));
}

void TestEtcdClientIntegration::destroyingTheClientCancelsCallsInFlight()
{
    const MemberState &victim = m_snapshot.members().last();
    QVERIFY(m_fx.act(victim.name, LocalCluster::MemberAction::Pause).ok());
    auto resume = qScopeGuard([&] { m_fx.act(victim.name, LocalCluster::MemberAction::Resume); });
    constexpr int calls = 20;

    // Calls with a long deadline: destroying the client cancels them rather than waiting
    // for them to time out.
    int callbacks = 0;
    // A connection attempt to the paused member gives up after the dial timeout, and the
    // calls waiting on it with it: make that longer than the bound below, so that only
    // cancelling can end them in time.
    ConnectionSettings patient = m_fx.settings();
    patient.deadlines.dialMs = 60000;
    auto client = std::make_unique<EtcdClient>(patient);
    for (int i = 0; i < calls; ++i)
        client->status(
            victim.clientUrls.first(), nullptr, [&](const EtcdResult<StatusInfo> &) { ++callbacks; }, 60000);
    QCoreApplication::processEvents();
    QElapsedTimer clock;
    clock.start();
    client.reset();
    QVERIFY2(clock.elapsed() < TestTiming::upTo(5000),
        qPrintable(QStringLiteral("destroying the client took %1 ms").arg(clock.elapsed())));

    // Calls with a short deadline: a live client answers every one of them soon; once the
    // client is gone, none of them is answered, however long one waits.
    constexpr int deadlineMs = 300;
    const int window = TestTiming::upTo(deadlineMs * 10);
    int answered = 0;
    {
        EtcdClient live(m_fx.settings());
        for (int i = 0; i < calls; ++i)
            live.status(
                victim.clientUrls.first(), nullptr, [&](const EtcdResult<StatusInfo> &) { ++answered; }, deadlineMs);
        QVERIFY2(QTest::qWaitFor([&] { return answered == calls; }, window), qPrintable(QString::number(answered)));
    }
    {
        EtcdClient doomed(m_fx.settings());
        for (int i = 0; i < calls; ++i)
            doomed.status(
                victim.clientUrls.first(), nullptr, [&](const EtcdResult<StatusInfo> &) { ++callbacks; }, deadlineMs);
        QCoreApplication::processEvents();
    }
    QVERIFY(!QTest::qWaitFor([&] { return callbacks > 0; }, window));
    QCOMPARE(callbacks, 0);
}

void TestEtcdClientIntegration::invalidEndpointIsReportedAsynchronously()
{
    bool called = false;
    EtcdResult<StatusInfo> result;
    m_client->status("not an endpoint", nullptr, [&](const EtcdResult<StatusInfo> &r) {
        called = true;
        result = r;
    });
    QVERIFY(!called); // never re-entrantly from inside the call
    QTRY_VERIFY_WITH_TIMEOUT(called, 2000);
    QCOMPARE(result.error.code, int(EtcdError::InvalidArgument));
    QVERIFY(result.error.sentence.contains("not an endpoint"));
}

QTEST_GUILESS_MAIN(TestEtcdClientIntegration)
#include "tst_etcdclient_integration.moc"

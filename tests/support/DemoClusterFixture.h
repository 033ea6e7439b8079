#pragma once

#include "cluster/ClusterMonitor.h"
#include "demo/LocalCluster.h"
#include "etcd/EtcdClient.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

/// Runs an asynchronous operation and spins the event loop until its callback fires
/// (bounded). Returns a failed result on timeout.
inline OperationResult awaitOperation(const std::function<void(OperationCallback)> &start, int timeoutMs = 30000)
{
    std::optional<OperationResult> result;
    start([&](const OperationResult &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        return OperationResult::failed(QStringLiteral("the operation did not finish within %1 ms").arg(timeoutMs));
    return *result;
}

/// A real etcd cluster on free loopback ports in a temporary directory, for one test
/// class or one test. Stops every member when destroyed.
class DemoClusterFixture {
public:
    DemoClusterFixture() = default;
    ~DemoClusterFixture() { stop(); }

    /// Starts the cluster and waits until it is ready; returns an error sentence or "".
    QString start(int members = 3, qint64 quotaBytes = 0, bool tls = false)
    {
        if (!m_dir.isValid())
            return QStringLiteral("cannot create a temporary directory");
        LocalClusterOptions options;
        options.dir = m_dir.path();
        options.members = members;
        options.quotaBytes = quotaBytes;
        options.tls = tls;
        const OperationResult r = awaitOperation([&](OperationCallback done) { m_cluster.up(options, done); }, 60000);
        return r.ok() ? QString() : r.sentence;
    }

    /// Starts the cluster with the given options (the directory is the fixture's own) and
    /// waits until it is ready.
    OperationResult start(LocalClusterOptions options)
    {
        if (!m_dir.isValid())
            return OperationResult::failed(QStringLiteral("cannot create a temporary directory"));
        options.dir = m_dir.path();
        return awaitOperation([&](OperationCallback done) { m_cluster.up(options, done); }, 60000);
    }

    void stop()
    {
        if (!m_cluster.directory().isEmpty())
            awaitOperation([&](OperationCallback done) { m_cluster.down(done); }, 20000);
    }

    LocalCluster &cluster() { return m_cluster; }
    QString dir() const { return m_dir.path(); }
    QStringList endpoints() const { return m_cluster.manifest().endpoints(); }

    ConnectionSettings settings() const { return m_cluster.manifest().connectionSettings(); }

    OperationResult act(const QString &member, LocalCluster::MemberAction action)
    {
        return awaitOperation([&](OperationCallback done) { m_cluster.memberAction(member, action, done); });
    }

private:
    QTemporaryDir m_dir;
    LocalCluster m_cluster;
};

/// Takes one snapshot with the monitor and waits for it (bounded by the tick deadline).
inline ClusterSnapshot takeSnapshot(ClusterMonitor &monitor)
{
    std::optional<ClusterSnapshot> snapshot;
    auto connection
        = QObject::connect(&monitor, &ClusterMonitor::snapshotReady, [&](const ClusterSnapshot &s) { snapshot = s; });
    // A tick already under way delivers its snapshot too; either one will do.
    monitor.refresh();
    (void)QTest::qWaitFor([&] { return snapshot.has_value(); }, monitor.tickDeadline() * 2 + 1000);
    QObject::disconnect(connection);
    return snapshot.value_or(ClusterSnapshot());
}

/// Polls snapshots until one satisfies the predicate, or timeoutMs passes.
inline ClusterSnapshot waitForSnapshot(
    ClusterMonitor &monitor, const std::function<bool(const ClusterSnapshot &)> &ok, int timeoutMs = 15000)
{
    ClusterSnapshot last;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        last = takeSnapshot(monitor);
        if (last.isValid() && ok(last))
            return last;
        QTest::qWait(100);
    }
    return last;
}

/// A demo cluster with a client and a monitor on it, started and seen healthy.
struct LiveCluster {
    DemoClusterFixture fx;
    std::unique_ptr<EtcdClient> client;
    std::unique_ptr<ClusterMonitor> monitor;
    ClusterSnapshot healthy;

    /// Returns an error sentence, or "" once a snapshot shows every member healthy.
    QString start(int members = 3, qint64 quotaBytes = 0)
    {
        if (const QString error = fx.start(members); !error.isEmpty())
            return error;
        client = std::make_unique<EtcdClient>(fx.settings());
        monitor = std::make_unique<ClusterMonitor>(client.get());
        healthy = waitForSnapshot(*monitor, [](const ClusterSnapshot &s) { return s.isHealthy(); });
        return healthy.isHealthy() ? QString() : QStringLiteral("the demo cluster did not become healthy");
    }
};

/// Starts a LiveCluster named `live` in a test function, or fails the test with the reason.
#define QD_START_LIVE_CLUSTER(live)                                                                                    \
    LiveCluster live;                                                                                                  \
    do {                                                                                                               \
        const QString startError = live.start();                                                                       \
        QVERIFY2(startError.isEmpty(), qPrintable(startError));                                                        \
    } while (false)

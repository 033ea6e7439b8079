// One full snapshot (MemberList + Status from every member, folded into a ClusterSnapshot)
// against a live local three-member etcd cluster that the benchmark starts itself on free
// ports. Reports Google Benchmark's mean plus p50/p99/max of the individual ticks.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUORUMDECK_BENCHMARKS=ON
//   cmake --build build-bench --target bench_snapshot && build-bench/bench/bench_snapshot

#include "cluster/ClusterMonitor.h"
#include "demo/LocalCluster.h"
#include "etcd/EtcdClient.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <benchmark/benchmark.h>
#include <csignal>
#include <optional>
#include <sys/types.h>

namespace {

QStringList g_endpoints;

/// Ends the current wait of spinUntil(). Every callback that may make its condition true
/// calls it: Qt's own (non-GLib) dispatcher delivers posted events first and then goes on
/// waiting for new ones, so without this nudge it would sleep until the next unrelated event.
void nudge()
{
    QAbstractEventDispatcher::instance()->interrupt();
}

/// Runs the event loop until done() holds or timeoutMs passes. It blocks waiting for
/// events rather than polling, so the harness takes no CPU from the client and the members.
template <typename Done> bool spinUntil(Done done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QTimer wake; // guarantees a wake-up at the deadline
    wake.setSingleShot(true);
    wake.start(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

// The members' pids, for the signal handler: an interrupted benchmark must not leave its
// three etcd processes running (their directory is a temporary one nobody will clean up).
constexpr int kMaxMembers = 8;
int g_memberCount = 0; // set before the handler is installed, read only by it
pid_t g_memberPids[kMaxMembers];

void killMembersAndExit(int signal)
{
    for (int i = 0; i < g_memberCount; ++i)
        ::kill(g_memberPids[i], SIGKILL);
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

void killMembersOnSignals(const QList<LocalMember> &members)
{
    for (const LocalMember &m : members) {
        if (m.pid > 0 && g_memberCount < kMaxMembers)
            g_memberPids[g_memberCount++] = pid_t(m.pid);
    }
    struct sigaction action { };
    action.sa_handler = killMembersAndExit;
    sigemptyset(&action.sa_mask);
    for (int signal : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(signal, &action, nullptr);
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}

/// state.range(0): idle ms between ticks (0: back to back).
void BM_FullSnapshot(benchmark::State &state)
{
    const int gapMs = int(state.range(0));
    ConnectionSettings settings;
    settings.endpoints = g_endpoints;
    EtcdClient client(settings);
    ClusterMonitor monitor(&client);
    std::optional<ClusterSnapshot> snapshot;
    QObject::connect(&monitor, &ClusterMonitor::snapshotReady, [&](const ClusterSnapshot &s) {
        snapshot = s;
        nudge();
    });
    // Warm up: connections established, member list known.
    for (int i = 0; i < 20; ++i) {
        snapshot.reset();
        monitor.refresh();
        spinUntil([&] { return snapshot.has_value(); }, 5000);
    }
    std::vector<double> ticks;
    std::vector<double> sends; // how long the tick took to send its requests
    std::vector<double> calls; // each member's Status round trip within the ticks
    std::vector<double> slowestCalls; // the slowest Status round trip of each tick
    for (auto _ : state) {
        if (gapMs > 0) {
            state.PauseTiming();
            QTimer gap;
            gap.setSingleShot(true);
            gap.start(gapMs);
            spinUntil([&] { return !gap.isActive(); }, gapMs + 1000);
            state.ResumeTiming();
        }
        snapshot.reset();
        QElapsedTimer sending;
        sending.start();
        monitor.refresh(); // returns once the tick's requests are sent
        sends.push_back(sending.nsecsElapsed() / 1e6);
        if (!spinUntil([&] { return snapshot.has_value(); }, 5000) || !snapshot->isHealthy()) {
            state.SkipWithError("no healthy snapshot");
            break;
        }
        ticks.push_back(snapshot->tickMs());
        double slowest = 0;
        for (const MemberState &m : snapshot->members()) {
            calls.push_back(m.latencyMs);
            slowest = std::max(slowest, m.latencyMs);
        }
        slowestCalls.push_back(slowest);
    }
    if (!ticks.empty()) {
        state.counters["p50_ms"] = percentile(ticks, 0.50);
        state.counters["p99_ms"] = percentile(ticks, 0.99);
        state.counters["max_ms"] = *std::max_element(ticks.begin(), ticks.end());
        state.counters["status_p50_ms"] = percentile(calls, 0.50);
        state.counters["status_p99_ms"] = percentile(calls, 0.99);
        state.counters["slowest_status_p99_ms"] = percentile(slowestCalls, 0.99);
        state.counters["send_p50_ms"] = percentile(sends, 0.50);
        state.counters["send_p99_ms"] = percentile(sends, 0.99);
    }
}
// Back to back, and paced like a monitor that ticks every 50 ms.
BENCHMARK(BM_FullSnapshot)->Arg(0)->Unit(benchmark::kMillisecond)->Iterations(10000)->UseRealTime();
BENCHMARK(BM_FullSnapshot)->Arg(50)->Unit(benchmark::kMillisecond)->Iterations(600)->UseRealTime();

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    LocalCluster cluster;
    std::optional<OperationResult> up;
    LocalClusterOptions options;
    options.dir = dir.path();
    // Members that talk to each other directly, with nothing in front: the cluster as it runs
    // in production, without the demo's fault-injecting proxies and load balancer.
    options.peerProxies = false;
    options.loadBalancer = false;
    cluster.up(options, [&](const OperationResult &r) {
        up = r;
        nudge();
    });
    if (!spinUntil([&] { return up.has_value(); }, 60000) || !up->ok()) {
        fprintf(stderr, "cannot start the demo cluster: %s\n", up ? qPrintable(up->sentence) : "timed out");
        return 1;
    }
    g_endpoints = cluster.manifest().endpoints();
    killMembersOnSignals(cluster.manifest().members);

    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();

    std::optional<OperationResult> down;
    cluster.down([&](const OperationResult &r) {
        down = r;
        nudge();
    });
    spinUntil([&] { return down.has_value(); }, 20000);
    return 0;
}

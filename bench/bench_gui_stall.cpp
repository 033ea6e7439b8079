// How late a GUI-thread timer fires (event-loop stall) while the window follows a demo
// cluster at a 250 ms tick, a follower is paused (SIGSTOP) and resumed, and the leader is
// killed and restarted. Prints p50, p99 and max lateness of a 10 ms timer.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUORUMDECK_BENCHMARKS=ON -DQUORUMDECK_TESTS=OFF
//   cmake --build build-bench --target bench_gui_stall
//   QT_QPA_PLATFORM=offscreen build-bench/bench/bench_gui_stall

#include "cluster/ClusterMonitor.h"
#include "journal/Journal.h"
#include "session/ConsoleSession.h"
#include "session/DemoController.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

constexpr int kTimerMs = 10;

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTemporaryDir dir;
    Journal journal(dir.filePath("journal.sqlite"));
    MainWindow window(&journal);
    window.resize(1200, 800);
    window.show();

    std::vector<double> lateness;
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last)
            lateness.push_back(std::max(0.0, (now - last) / 1e6 - kTimerMs));
        last = now;
    });

    auto step = [&](int afterMs, std::function<void()> what) { QTimer::singleShot(afterMs, &window, what); };
    QObject::connect(&window, &MainWindow::consoleReady, [&] {
        ConsoleSession *s = window.session();
        s->monitor()->setInterval(250);
        clock.start();
        probe.start(kTimerMs);
        const QString follower = [&] {
            for (const MemberState &m : s->snapshot().members())
                if (m.role == MemberRole::Follower)
                    return m.name;
            return QString();
        }();
        fprintf(stderr, "following; pausing %s in 5 s\n", qPrintable(follower));
        step(5000, [=] { s->demoAction(follower, DemoController::MemberAction::Pause); });
        step(10000, [=] { s->demoAction(follower, DemoController::MemberAction::Resume); });
        step(12000, [=, &window] {
            const MemberState *leader = s->snapshot().leader();
            const QString name = leader ? leader->name : QString();
            fprintf(stderr, "killing the leader %s\n", qPrintable(name));
            s->killLeader();
            QTimer::singleShot(
                5000, &window, [s, name] { s->demoAction(name, DemoController::MemberAction::Restart); });
        });
        step(25000, [&] {
            probe.stop();
            printf("GUI-thread stall over %zu timer ticks (%d ms timer, 250 ms monitor tick):\n", lateness.size(),
                kTimerMs);
            printf("  p50 %.2f ms   p99 %.2f ms   max %.2f ms\n", percentile(lateness, 0.5), percentile(lateness, 0.99),
                lateness.empty() ? 0 : *std::max_element(lateness.begin(), lateness.end()));
            window.close();
        });
    });
    QObject::connect(&window, &MainWindow::shutDown, &app, [] { QTimer::singleShot(0, qApp, &QApplication::quit); });
    window.launchDemo(dir.filePath("demo"));
    return app.exec();
}

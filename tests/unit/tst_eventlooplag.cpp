// The event-loop lag meter: what it computes from samples, and that a handler which keeps
// the loop busy shows up as a stall of at least that long.

#include "common/EventLoopLag.h"
#include "support/LoopWait.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

class TestEventLoopLag : public QObject {
    Q_OBJECT

private slots:
    void latenessIsTheTimeBeyondTheInterval()
    {
        QCOMPARE(EventLoopLag::latenessMs(5'000'000, 5), 0.0);
        QCOMPARE(EventLoopLag::latenessMs(4'000'000, 5), 0.0); // early is not late
        QCOMPARE(EventLoopLag::latenessMs(21'500'000, 5), 16.5);
    }

    void p99IsTheNearestRank()
    {
        std::vector<float> samples;
        for (int i = 1; i <= 200; ++i)
            samples.push_back(float(i)); // shuffled order must not matter
        std::reverse(samples.begin(), samples.end());
        const EventLoopLag::Figures f = EventLoopLag::summarise(samples);
        QCOMPARE(f.samples, 200);
        QCOMPARE(f.p99Ms, 198.0); // rank ceil(0.99 * 200) = 198
        QCOMPARE(f.maxMs, 200.0);
        const EventLoopLag::Figures one = EventLoopLag::summarise({3.5f});
        QCOMPARE(one.p99Ms, 3.5);
        QCOMPARE(one.maxMs, 3.5);
        QCOMPARE(EventLoopLag::summarise({}).samples, 0);
    }

    void aBusyHandlerIsAStall()
    {
        EventLoopLag lag;
        lag.start(5);
        QTRY_VERIFY_WITH_TIMEOUT(lag.figures().samples >= 3, 5000);
        // A handler that keeps the loop for 80 ms, as a synchronous read or wait would.
        QTimer::singleShot(0, this, [] {
            QElapsedTimer busy;
            busy.start();
            while (busy.elapsed() < 80)
                QThread::usleep(200);
        });
        const int before = lag.figures().samples;
        QTRY_VERIFY_WITH_TIMEOUT(lag.figures().samples >= before + 3, 5000);
        // The firing after the handler came at least 80 ms after the one before it.
        QVERIFY2(lag.figures().maxMs >= 75.0, qPrintable(QString::number(lag.figures().maxMs)));
        // A handler that computes holds the loop itself: none of it is waiting for a core
        // (a busy second core may take a little of it).
        QVERIFY2(lag.figures().heldMaxMs >= 60.0, qPrintable(QString::number(lag.figures().heldMaxMs)));
        QVERIFY(lag.figures().heldMaxMs <= lag.figures().maxMs);
        lag.stop();
        QVERIFY(!lag.isRunning());
        lag.start(5);
        QCOMPARE(lag.figures().samples, 0); // a new start forgets
    }

    void waitingForACoreIsNotHeld()
    {
        // Every core kept busy by other threads while the loop's thread wants to run: it
        // comes late, and the lateness is the machine's, not its own work.
        EventLoopLag lag;
        lag.start(5);
        std::atomic<bool> stop = false;
        std::vector<std::thread> hogs;
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        for (unsigned i = 0; i < cores * 3; ++i)
            hogs.emplace_back([&stop] {
                while (!stop.load(std::memory_order_relaxed)) { }
            });
        const auto joinHogs = qScopeGuard([&] {
            stop = true;
            for (std::thread &t : hogs)
                t.join();
        });
        // A real loop: QTRY's rounds sleep between events, which would be held time.
        QVERIFY(runLoopUntil([&lag] { return lag.figures().samples >= 100; }, 20000));
        const EventLoopLag::Figures f = lag.figures();
        QVERIFY2(f.maxMs > 1.0, qPrintable(QString::number(f.maxMs)));
        // Held: at most what the loop did itself between firings, far under the lateness.
        QVERIFY2(
            f.heldMaxMs < f.maxMs / 2, qPrintable(QStringLiteral("held %1 ms of %2 ms").arg(f.heldMaxMs).arg(f.maxMs)));
    }

    void theLongestStallNamesItsPhase()
    {
        EventLoopLag lag;
        lag.setPhase(QStringLiteral("quiet"));
        lag.start(5);
        const auto stallFor = [this](int ms, std::function<void()> first) {
            QTimer::singleShot(0, this, [ms, first] {
                first();
                QElapsedTimer busy;
                busy.start();
                while (busy.elapsed() < ms)
                    QThread::usleep(200);
            });
        };
        // A short stall inside one phase, then a longer one by a handler that starts a new
        // phase and blocks at once (as a step that forks on the loop's thread would).
        stallFor(30, [] {});
        QTRY_VERIFY_WITH_TIMEOUT(lag.figures().maxMs >= 25.0, 5000);
        QCOMPARE(lag.figures().maxDuring, QStringLiteral("quiet"));
        stallFor(90, [&lag] { lag.setPhase(QStringLiteral("start the members")); });
        QTRY_VERIFY_WITH_TIMEOUT(lag.figures().maxMs >= 85.0, 5000);
        QCOMPARE(lag.figures().maxDuring, QStringLiteral("quiet → start the members"));
        // Stalls shorter than the longest do not move its name.
        lag.setPhase(QStringLiteral("wait for a leader"));
        stallFor(20, [] {});
        const int before = lag.figures().samples;
        QTRY_VERIFY_WITH_TIMEOUT(lag.figures().samples >= before + 5, 5000);
        QCOMPARE(lag.figures().maxDuring, QStringLiteral("quiet → start the members"));
    }
};

QTEST_GUILESS_MAIN(TestEventLoopLag)
#include "tst_eventlooplag.moc"

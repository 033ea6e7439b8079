// The event-loop lag meter: what it computes from samples, and that a handler which keeps
// the loop busy shows up as a stall of at least that long.

#include "common/EventLoopLag.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <algorithm>

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
        lag.stop();
        QVERIFY(!lag.isRunning());
        lag.start(5);
        QCOMPARE(lag.figures().samples, 0); // a new start forgets
    }
};

QTEST_GUILESS_MAIN(TestEventLoopLag)
#include "tst_eventlooplag.moc"

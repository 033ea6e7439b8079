#pragma once

#include <QEventLoop>
#include <QTimer>
#include <functional>

/// Runs the thread's event loop, as the application's own loop runs, until `holds` is true
/// or timeoutMs have passed; answers whether it holds. QTRY_* and QTest::qWait sleep 10 ms
/// between rounds of events: fine for most waits, but a test that measures how long the
/// loop is kept waiting (EventLoopLag) would count those sleeps as the window's stalls.
inline bool runLoopUntil(const std::function<bool()> &holds, int timeoutMs)
{
    if (holds())
        return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(20);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (holds())
            loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    check.start();
    deadline.start(timeoutMs);
    loop.exec();
    return holds();
}

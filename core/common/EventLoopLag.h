#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <vector>

/// How long the event loop of the thread it lives on was kept from running: a timer asks
/// to fire every interval, and the time by which each firing comes late is time the loop
/// spent on something else (a handler that computed, read a file or waited). The window
/// watches its loop while a long operation runs, so the operator's promise of a window that
/// never freezes is a figure, not a hope; benchmarks read the same figure.
///
/// It wakes the thread every interval, so it runs only while someone asks for a figure.
class EventLoopLag : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLoopLag)

public:
    struct Figures {
        int samples = 0; ///< firings measured
        double p99Ms = 0; ///< 99th percentile of the lateness
        double maxMs = 0; ///< the longest stall seen
    };

    explicit EventLoopLag(QObject *parent = nullptr);

    /// Starts measuring afresh (forgetting earlier samples); intervalMs is how often the
    /// loop is asked to answer, and bounds the resolution.
    void start(int intervalMs = 5);
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

    /// The figures of the samples since start().
    Figures figures() const;

    /// The lateness of one firing: the time since the previous one beyond the interval.
    static double latenessMs(qint64 sincePreviousNs, int intervalMs);
    /// The figures of a set of lateness samples (p99 by nearest rank).
    static Figures summarise(std::vector<float> latenessMs);

private:
    void onTimeout();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_previousNs = 0;
    std::vector<float> m_latenessMs;
};

#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
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
        QString maxDuring; ///< the phase (setPhase()) the longest stall fell in
        /// The same, less the time the thread sat ready to run while every core was busy
        /// with others (the kernel's run-queue wait, Linux's schedstat): what the loop's
        /// own work held it for. Equal to the above where the kernel does not say.
        double heldP99Ms = 0;
        double heldMaxMs = 0;
        QString heldMaxDuring;
    };

    explicit EventLoopLag(QObject *parent = nullptr);
    ~EventLoopLag() override;

    /// Starts measuring afresh (forgetting earlier samples); intervalMs is how often the
    /// loop is asked to answer, and bounds the resolution.
    void start(int intervalMs = 5);
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    /// Names what runs from now on (a step of an operation), so that the longest stall can
    /// be told apart from the others: a figure that names its cause is one someone can fix.
    void setPhase(const QString &phase);

    /// The figures of the samples since start() (they sort every sample).
    Figures figures() const;
    /// The longest stall since start(), kept as it goes: cheap to ask at any time.
    double longestMs() const { return m_maxMs; }

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
    std::vector<float> m_heldMs;
    int m_schedstat = -1; ///< this thread's /proc schedstat, open while measuring
    qint64 m_previousWaitNs = 0;
    float m_heldMaxMs = 0;
    QString m_heldMaxDuring;
    QString m_phase;
    QString m_previousPhase; ///< the phase the previous firing saw: a stall began in it
    float m_maxMs = 0;
    QString m_maxDuring;
};

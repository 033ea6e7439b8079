#include "common/EventLoopLag.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace {

/// An hour at the finest interval: enough for any operation, bounded for a forgotten one.
constexpr size_t kMaxSamples = 720'000;

/// The calling thread's schedstat ("time on a CPU, time waiting on a run queue, slices",
/// in ns), or -1 where the kernel has none.
int openSchedstat()
{
    return ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

/// The run-queue wait so far, in ns (0 when it cannot be read).
qint64 runQueueWaitNs(int fd)
{
    if (fd < 0)
        return 0;
    char buffer[96];
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    if (n <= 0)
        return 0;
    buffer[n] = '\0';
    char *end = nullptr;
    std::strtoll(buffer, &end, 10); // time on a CPU
    return std::strtoll(end, nullptr, 10);
}

} // namespace

EventLoopLag::EventLoopLag(QObject *parent)
    : QObject(parent)
{
    // A coarse timer may fire up to 5 % late by design; lateness must be the loop's only.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopLag::onTimeout);
}

EventLoopLag::~EventLoopLag()
{
    stop();
}

void EventLoopLag::start(int intervalMs)
{
    m_latenessMs.clear();
    m_heldMs.clear();
    m_heldMaxMs = 0;
    m_heldMaxDuring.clear();
    // Opened here, on the thread whose loop is measured (the file is per thread).
    if (m_schedstat < 0)
        m_schedstat = openSchedstat();
    m_previousWaitNs = runQueueWaitNs(m_schedstat);
    m_timer.start(std::max(1, intervalMs));
    m_clock.start();
    m_previousNs = 0;
    m_maxMs = 0;
    m_maxDuring.clear();
    m_previousPhase = m_phase;
}

void EventLoopLag::setPhase(const QString &phase)
{
    m_phase = phase;
}

void EventLoopLag::stop()
{
    m_timer.stop();
    if (m_schedstat >= 0)
        ::close(m_schedstat);
    m_schedstat = -1;
}

double EventLoopLag::latenessMs(qint64 sincePreviousNs, int intervalMs)
{
    return std::max(0.0, double(sincePreviousNs) / 1e6 - intervalMs);
}

void EventLoopLag::onTimeout()
{
    const qint64 now = m_clock.nsecsElapsed();
    const float late = float(latenessMs(now - m_previousNs, m_timer.interval()));
    // What of it the thread spent waiting for a core is the machine's, not the loop's.
    const qint64 waitNs = runQueueWaitNs(m_schedstat);
    const float held = std::max(0.0f, late - float(double(waitNs - m_previousWaitNs) / 1e6));
    m_previousWaitNs = waitNs;
    // The stall held the loop between two firings: a step that began in it and blocked
    // shows as the phase the earlier firing saw, unless it ended in a new phase.
    const auto during
        = [this] { return m_previousPhase == m_phase ? m_phase : m_previousPhase + QStringLiteral(" → ") + m_phase; };
    if (m_latenessMs.size() < kMaxSamples) {
        m_latenessMs.push_back(late);
        m_heldMs.push_back(held);
    }
    if (late > m_maxMs) {
        m_maxMs = late;
        m_maxDuring = during();
    }
    if (held > m_heldMaxMs) {
        m_heldMaxMs = held;
        m_heldMaxDuring = during();
    }
    m_previousPhase = m_phase;
    m_previousNs = now;
}

EventLoopLag::Figures EventLoopLag::figures() const
{
    Figures f = summarise(m_latenessMs);
    f.maxDuring = m_maxDuring;
    const Figures held = summarise(m_heldMs);
    f.heldP99Ms = held.p99Ms;
    f.heldMaxMs = held.maxMs;
    f.heldMaxDuring = m_heldMaxDuring;
    return f;
}

EventLoopLag::Figures EventLoopLag::summarise(std::vector<float> sorted)
{
    Figures f;
    f.samples = int(sorted.size());
    if (sorted.empty())
        return f;
    std::sort(sorted.begin(), sorted.end());
    // Nearest rank: the smallest sample at or above 99 % of them.
    const size_t rank = size_t(std::ceil(0.99 * double(sorted.size())));
    f.p99Ms = sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
    f.maxMs = sorted.back();
    return f;
}

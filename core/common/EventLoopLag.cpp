#include "common/EventLoopLag.h"

#include <algorithm>
#include <cmath>

namespace {

/// An hour at the finest interval: enough for any operation, bounded for a forgotten one.
constexpr size_t kMaxSamples = 720'000;

} // namespace

EventLoopLag::EventLoopLag(QObject *parent)
    : QObject(parent)
{
    // A coarse timer may fire up to 5 % late by design; lateness must be the loop's only.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopLag::onTimeout);
}

void EventLoopLag::start(int intervalMs)
{
    m_latenessMs.clear();
    m_timer.start(std::max(1, intervalMs));
    m_clock.start();
    m_previousNs = 0;
}

void EventLoopLag::stop()
{
    m_timer.stop();
}

double EventLoopLag::latenessMs(qint64 sincePreviousNs, int intervalMs)
{
    return std::max(0.0, double(sincePreviousNs) / 1e6 - intervalMs);
}

void EventLoopLag::onTimeout()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_latenessMs.size() < kMaxSamples)
        m_latenessMs.push_back(float(latenessMs(now - m_previousNs, m_timer.interval())));
    m_previousNs = now;
}

EventLoopLag::Figures EventLoopLag::figures() const
{
    return summarise(m_latenessMs);
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

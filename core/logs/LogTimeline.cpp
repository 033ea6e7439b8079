#include "logs/LogTimeline.h"

#include <algorithm>

namespace LogTimeline {

qsizetype merge(QList<MemberLogEntry> &timeline, QList<MemberLogEntry> lines)
{
    qint64 previous = 0;
    for (MemberLogEntry &e : lines) {
        if (e.timeMs)
            previous = e.timeMs;
        else
            e.timeMs = previous;
    }
    const auto earlier = [](const MemberLogEntry &a, const MemberLogEntry &b) { return a.timeMs < b.timeMs; };
    std::stable_sort(lines.begin(), lines.end(), earlier);
    const qsizetype before = timeline.size();
    if (lines.isEmpty())
        return before;
    // Where the first new line goes: after every line of the same time or earlier.
    const auto first = std::upper_bound(timeline.cbegin(), timeline.cend(), lines.front(), earlier);
    const qsizetype changedFrom = first - timeline.cbegin();
    timeline += lines;
    if (changedFrom < before)
        std::inplace_merge(timeline.begin() + changedFrom, timeline.begin() + before, timeline.end(), earlier);
    return changedFrom;
}

} // namespace LogTimeline

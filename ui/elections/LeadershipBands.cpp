#include "elections/LeadershipBands.h"

#include "session/ControlPlaneSession.h"

#include <QDateTime>
#include <QMap>
#include <algorithm>

namespace LeadershipBands {

QList<Band> fromEvents(const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot, qint64 historyStartMs)
{
    QList<Band> out;
    auto close = [&](qint64 at) {
        if (!out.isEmpty() && out.last().endMs == 0)
            out.last().endMs = at;
    };
    const qint64 historyStart = events.isEmpty() ? historyStartMs
        : historyStartMs > 0                     ? std::min(historyStartMs, events.first().timeMs)
                                                 : events.first().timeMs;
    // The first leadership began before the first election seen: the first snapshot names
    // its leader but makes no event, so it is drawn from the start of the history.
    auto openFirst = [&](const ClusterEvent &e, uint64_t term) {
        if (out.isEmpty() && e.from != 0 && historyStart > 0 && historyStart < e.timeMs)
            out.append({e.from, term, historyStart, 0});
    };
    for (const ClusterEvent &e : events) {
        if (e.type == ClusterEvent::Type::LeaderChanged) {
            openFirst(e, e.term > 0 ? e.term - 1 : 0);
            close(e.timeMs);
            out.append({e.to, e.term, e.timeMs, 0});
        } else if (e.type == ClusterEvent::Type::LeaderLost) {
            openFirst(e, e.term);
            close(e.timeMs);
        } else if (e.type == ClusterEvent::Type::TermChanged && !out.isEmpty() && out.last().endMs == 0) {
            close(e.timeMs);
            out.append({e.member, e.term, e.timeMs, 0});
        } else if (e.type == ClusterEvent::Type::ElectionsUnseen) {
            // The leadership the earlier sample saw ends there; what came between the samples
            // is unknown. A new leader opens its band with the LeaderChanged that follows; the
            // same leader opens its own here.
            const qint64 since = e.sinceMs > 0 && e.sinceMs < e.timeMs ? e.sinceMs : e.timeMs;
            if (out.isEmpty() && e.from != 0 && events.first().timeMs < since) {
                // No election seen before: the earlier leader led as far back as the history goes,
                // in the term before the unseen ones (and before the new leader's, if any).
                const uint64_t before = uint64_t(e.unseenElections) + (e.from != e.to ? 1 : 0);
                out.append({e.from, e.term > before ? e.term - before : 0, events.first().timeMs, since});
            }
            close(since);
            out.append({0, e.term, since, e.timeMs, e.unseenElections, e.detail});
            if (e.from != 0 && e.from == e.to)
                out.append({e.to, e.term, e.timeMs, 0});
        }
    }
    const qint64 now = snapshot.isValid() ? snapshot.timeMs() : QDateTime::currentMSecsSinceEpoch();
    if (out.isEmpty() && snapshot.hasLeader()) {
        // No election seen yet: the current leadership, as far back as the history goes.
        const qint64 since = historyStart > 0 ? std::min(now, historyStart) : now;
        out.append({snapshot.leaderId(), snapshot.term(), since, 0});
    }
    if (!out.isEmpty() && out.last().endMs == 0)
        out.last().endMs = snapshot.hasLeader() && snapshot.leaderId() == out.last().leader ? now : now;
    return out;
}

QList<LeaseBand> fromLeases(
    const QList<ClusterEvent> &events, const QList<KubeLease> &current, qint64 nowMs, qint64 historyStartMs)
{
    QMap<QString, QList<LeaseBand>> byLease;
    const auto close = [&](QList<LeaseBand> &bands, qint64 at) {
        if (!bands.isEmpty() && bands.last().endMs == 0)
            bands.last().endMs = std::max(at, bands.last().startMs);
    };
    for (const ClusterEvent &e : events) {
        const auto change = ControlPlaneSession::leaseChange(e);
        if (!change)
            continue;
        QList<LeaseBand> &bands = byLease[change->lease];
        // The holder before the first change seen held it as far back as the history goes.
        if (bands.isEmpty() && historyStartMs > 0 && historyStartMs < e.timeMs)
            bands.append({change->lease, change->from, historyStartMs, 0});
        close(bands, e.timeMs);
        bands.append({change->lease, change->to, e.timeMs, 0});
    }
    for (const KubeLease &lease : current) {
        QList<LeaseBand> &bands = byLease[lease.name];
        const QString holder = lease.isStale(QDateTime::fromMSecsSinceEpoch(nowMs)) ? QString() : lease.holderNode();
        if (bands.isEmpty() || bands.last().holder != holder) {
            // A change no event recorded (the first reading, or one the journal lacks): the
            // holder's own acquire time says when, within the history.
            qint64 since = historyStartMs > 0 ? historyStartMs : nowMs;
            if (!holder.isEmpty() && lease.acquireTime.isValid())
                since = std::max(since, lease.acquireTime.toMSecsSinceEpoch());
            if (!bands.isEmpty())
                since = std::max(since, bands.last().startMs);
            close(bands, since);
            bands.append({lease.name, holder, since, 0});
        }
    }
    QList<LeaseBand> out;
    for (auto it = byLease.begin(); it != byLease.end(); ++it) {
        close(it.value(), nowMs);
        out += it.value();
    }
    return out;
}

} // namespace LeadershipBands

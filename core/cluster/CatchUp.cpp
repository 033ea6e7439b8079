#include "cluster/CatchUp.h"

#include <algorithm>

CatchUp::CatchUp(const QString &name, const QString &peerUrl, qint64 startedMs, int timeoutMs)
    : m_name(name)
    , m_peerUrl(peerUrl)
    , m_deadlineMs(startedMs + timeoutMs)
    , m_timeoutMs(timeoutMs)
{
}

CatchUp::Reading CatchUp::read(const ClusterSnapshot &snapshot)
{
    Reading r;
    const MemberState *leader = snapshot.leader();
    if (m_target == 0 && leader && leader->reachable)
        m_target = leader->raftIndex;
    r.target = m_target;
    const QList<MemberState> &members = snapshot.members();
    const auto it = std::find_if(
        members.begin(), members.end(), [this](const MemberState &m) { return m.peerUrls.contains(m_peerUrl); });
    const bool answering = it != members.end() && it->reachable;
    r.index = answering ? it->raftIndex : 0;
    // Caught up once it holds what the cluster held when it joined, and follows a leader:
    // a member that answers from an index of its own, cut off, has not joined anything.
    if (answering && m_target != 0 && r.index >= m_target && it->leaderSeen != 0) {
        r.state = State::CaughtUp;
        r.sentence = QStringLiteral("%1 has caught up (index %2)").arg(m_name).arg(r.index);
        return r;
    }
    const QString where = m_target == 0 ? QStringLiteral("index %1, no leader seen yet").arg(r.index)
                                        : QStringLiteral("index %1 of %2 (%3 %)")
                                              .arg(r.index)
                                              .arg(m_target)
                                              .arg(int(100.0 * double(std::min(r.index, m_target)) / double(m_target)));
    if (snapshot.timeMs() > m_deadlineMs) {
        r.state = State::TimedOut;
        r.sentence
            = QStringLiteral("%1 has not caught up within %2 s: %3").arg(m_name).arg(m_timeoutMs / 1000).arg(where);
        return r;
    }
    r.state = answering ? State::Behind : State::Waiting;
    r.sentence = answering ? QStringLiteral("%1 is catching up: %2").arg(m_name, where)
                           : QStringLiteral("%1 is starting: %2").arg(m_name, where);
    return r;
}

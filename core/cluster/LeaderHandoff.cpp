#include "cluster/LeaderHandoff.h"

#include "common/MemberId.h"
#include "etcd/EtcdClient.h"

#include <QDateTime>
#include <QTimer>
#include <memory>

namespace {

constexpr int kPollMs = 200;

} // namespace

LeaderHandoff::LeaderHandoff(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void LeaderHandoff::start(const Member &from, const QList<Member> &members, std::function<void(const Outcome &)> done)
{
    m_from = from;
    m_members = members;
    m_done = std::move(done);
    QList<Member> candidates;
    for (const Member &m : members)
        if (m.id != from.id && !m.learner && !m.endpoint.isEmpty())
            candidates << m;
    if (candidates.isEmpty()) {
        finish({0, {}, QStringLiteral("no other voting member can take over leadership from %1").arg(from.name)});
        return;
    }
    struct Best {
        uint64_t id = 0;
        uint64_t applied = 0;
        int pending = 0;
    };
    auto best = std::make_shared<Best>();
    best->pending = int(candidates.size());
    for (const Member &c : std::as_const(candidates)) {
        m_client->status(c.endpoint, this, [this, best, id = c.id](const EtcdResult<StatusInfo> &st) {
            const bool follows = st.ok() && !st->isLearner && st->leader == m_from.id;
            if (follows && (best->id == 0 || st->raftAppliedIndex > best->applied)) {
                best->id = id;
                best->applied = st->raftAppliedIndex;
            }
            if (--best->pending > 0)
                return;
            if (best->id == 0) {
                finish({0, {},
                    QStringLiteral("no healthy follower of %1 answers, so leadership cannot move off it")
                        .arg(m_from.name)});
                return;
            }
            const uint64_t target = best->id;
            emit chosen(nameOf(target));
            emit transferRequested(target);
            // MoveLeader must be sent to the leader itself.
            m_client->moveLeader(
                m_from.endpoint, target, this, [this, target](const EtcdResult<ResponseHeaderInfo> &r) {
                    if (!r.ok()) {
                        finish({0, {},
                            QStringLiteral("moving leadership from %1 to %2 failed: %3")
                                .arg(m_from.name, nameOf(target), r.error.sentence)});
                        return;
                    }
                    waitMoved(
                        target, QDateTime::currentMSecsSinceEpoch() + m_client->settings().deadlines.moveLeaderMs);
                });
        });
    }
}

// etcd answers MoveLeader once the target has won; the old leader learns it from the new
// leader's first heartbeat, and only then does blocking it cost no election.
void LeaderHandoff::waitMoved(uint64_t target, qint64 giveUpAtMs)
{
    m_client->status(m_from.endpoint, this, [this, target, giveUpAtMs](const EtcdResult<StatusInfo> &st) {
        if (st.ok() && st->leader != 0 && st->leader != m_from.id) {
            finish({st->leader, nameOf(st->leader), {}});
            return;
        }
        if (QDateTime::currentMSecsSinceEpoch() >= giveUpAtMs) {
            finish({0, {},
                QStringLiteral("%1 still leads %2 s after leadership was handed to %3")
                    .arg(m_from.name)
                    .arg(m_client->settings().deadlines.moveLeaderMs / 1000)
                    .arg(nameOf(target))});
            return;
        }
        QTimer::singleShot(kPollMs, this, [this, target, giveUpAtMs] { waitMoved(target, giveUpAtMs); });
    });
}

QString LeaderHandoff::nameOf(uint64_t id) const
{
    for (const Member &m : m_members)
        if (m.id == id)
            return m.name;
    return MemberId::toHex(id);
}

void LeaderHandoff::finish(const Outcome &outcome)
{
    if (auto done = std::exchange(m_done, {}))
        done(outcome);
}

#include "storage/ReclaimRunbook.h"

#include "cluster/Preflight.h"
#include "common/Format.h"
#include "etcd/EtcdClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

namespace {

constexpr int kHealthPollMs = 200;

QString clientEndpoint(const MemberState &m)
{
    return m.clientUrls.value(0);
}

/// Why a member with this much reclaimable space is skipped under --min-free; empty when it
/// is not.
QString littleToReclaim(int64_t reclaimable, int64_t minFree)
{
    if (minFree <= 0 || reclaimable >= minFree)
        return {};
    return QStringLiteral("only %1 reclaimable, less than --min-free %2")
        .arg(Format::bytes(reclaimable), Format::bytes(minFree));
}

} // namespace

ReclaimRunbook::ReclaimRunbook(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_pause(new QTimer(this))
{
    m_pause->setSingleShot(true);
    connect(m_pause, &QTimer::timeout, this, &ReclaimRunbook::runNext);
}

ReclaimPlan ReclaimRunbook::plan(const ClusterSnapshot &snapshot, const ReclaimOptions &options)
{
    ReclaimPlan plan;
    // Compaction and disarming go to a live voter, which forwards them to the leader.
    const QString writeEndpoint = Preflight::writeEndpoint(snapshot);
    if (!snapshot.hasLeader() || writeEndpoint.isEmpty()) {
        plan.sentence = QStringLiteral("the cluster has no leader; restore quorum before reclaiming space");
        return plan;
    }
    const MemberState *only = nullptr;
    if (!options.member.isEmpty()) {
        only = snapshot.findMember(options.member);
        if (!only) {
            plan.sentence = QStringLiteral("no member is called %1").arg(options.member);
            return plan;
        }
        if (!only->reachable) {
            plan.sentence = QStringLiteral("%1 does not answer, so it cannot be defragmented").arg(only->displayName());
            return plan;
        }
    }

    if (options.defragment) {
        // Blocking one healthy voter must leave a quorum of healthy voters behind. A
        // one-member cluster has no choice but to block entirely for a moment.
        const QuorumFigures q = snapshot.quorum();
        const bool blocksVoter = only ? only->isHealthyVoter() : q.healthyVoters > 0;
        if (q.voters > 1 && blocksVoter && !q.withVoterDown().hasQuorum()) {
            plan.sentence = QStringLiteral("only %1 of %2 voters are healthy: blocking one of them to defragment it "
                                           "would lose quorum (a quorum plus one must be healthy); bring the others "
                                           "back first")
                                .arg(q.healthyVoters)
                                .arg(q.voters);
            return plan;
        }
    }

    if (options.compact) {
        ReclaimStep s;
        s.kind = ReclaimStep::Kind::Compact;
        s.endpoint = writeEndpoint;
        plan.steps << s;
    }
    if (options.defragment) {
        QList<ReclaimStep> followers;
        QList<ReclaimStep> last;
        for (const MemberState &m : snapshot.members()) {
            if (only && m.id != only->id)
                continue;
            ReclaimStep s;
            s.memberId = m.id;
            s.member = m.displayName();
            s.endpoint = clientEndpoint(m);
            s.sizeBefore = m.dbSize;
            s.ledWhenPlanned = m.id == snapshot.leaderId();
            if (!m.reachable || s.endpoint.isEmpty()) {
                s.state = ReclaimStep::State::Skipped;
                s.detail = QStringLiteral("does not answer");
            } else if (const QString little = littleToReclaim(m.dbSize - m.dbSizeInUse, options.minFree);
                       !options.compact && !little.isEmpty()) {
                s.state = ReclaimStep::State::Skipped;
                s.detail = little;
            }
            (s.ledWhenPlanned ? last : followers) << s;
        }
        plan.steps << followers << last;
    }
    if (options.disarm) {
        ReclaimStep s;
        s.kind = ReclaimStep::Kind::Disarm;
        plan.steps << s;
    }
    if (plan.steps.isEmpty()) {
        plan.sentence = QStringLiteral("nothing to do");
        return plan;
    }

    plan.allowed = true;
    QStringList what;
    if (options.compact)
        what << QStringLiteral("compact the keyspace to the current revision");
    if (options.defragment)
        what << (only ? QStringLiteral("defragment %1").arg(only->displayName())
                      : QStringLiteral("defragment the members one at a time, moving leadership off the leader "
                                       "before its turn"));
    if (options.disarm)
        what << QStringLiteral("disarm NOSPACE");
    plan.sentence = what.join(QStringLiteral(", then "));
    QStringList warnings;
    if (options.defragment)
        warnings << QStringLiteral("A member answers no reads or writes while it defragments (seconds for a "
                                   "large database).");
    if (options.compact)
        warnings << QStringLiteral("Compaction discards every older revision of every key: watches and reads "
                                   "at older revisions will fail.");
    plan.warning = warnings.join(QLatin1Char(' '));
    return plan;
}

void ReclaimRunbook::start(const ClusterSnapshot &snapshot, const ReclaimOptions &options)
{
    const ReclaimPlan p = plan(snapshot, options);
    if (!p.allowed) {
        emit finished(OperationResult::refused(p.sentence));
        return;
    }
    m_steps = p.steps;
    m_options = options;
    m_peers.clear();
    m_voters = 0;
    for (const MemberState &m : snapshot.members()) {
        m_peers.append({m.id, m.displayName(), clientEndpoint(m), m.isLearner});
        m_voters += m.isVoter();
    }
    m_writeEndpoint = Preflight::writeEndpoint(snapshot);
    m_current = -1;
    m_cancelled = false;
    m_compactedInUse = -1;
    m_running = true;
    for (int i = 0; i < m_steps.size(); ++i)
        emit stepChanged(i, m_steps.at(i));
    runNext();
}

void ReclaimRunbook::cancel()
{
    m_cancelled = true;
    // A pause between members ends at once: nothing more will run.
    if (m_pause->isActive()) {
        m_pause->stop();
        runNext();
    }
}

void ReclaimRunbook::runNext()
{
    int next = m_current + 1;
    while (next < m_steps.size() && m_steps.at(next).state != ReclaimStep::State::Pending)
        ++next;
    if (next >= m_steps.size()) {
        finishRunbook();
        return;
    }
    if (m_cancelled) {
        for (int i = next; i < m_steps.size(); ++i) {
            if (m_steps[i].state == ReclaimStep::State::Pending) {
                m_steps[i].state = ReclaimStep::State::Cancelled;
                emit stepChanged(i, m_steps.at(i));
            }
        }
        finishRunbook();
        return;
    }
    m_current = next;
    m_compactionWaitUntilMs = 0;
    m_steps[next].state = ReclaimStep::State::Running;
    m_stepClock.start();
    emit stepChanged(next, m_steps.at(next));
    switch (m_steps.at(next).kind) {
    case ReclaimStep::Kind::Compact:
        runCompact(next);
        break;
    case ReclaimStep::Kind::Defragment:
        runDefragment(next);
        break;
    case ReclaimStep::Kind::Disarm:
        runDisarm(next);
        break;
    }
}

void ReclaimRunbook::finishStep(int index, ReclaimStep::State state, const QString &detail)
{
    ReclaimStep &s = m_steps[index];
    s.state = state;
    s.detail = detail;
    s.durationMs = m_stepClock.nsecsElapsed() / 1e6;
    emit stepChanged(index, s);
    if (state == ReclaimStep::State::Failed) {
        for (int i = index + 1; i < m_steps.size(); ++i) {
            if (m_steps[i].state == ReclaimStep::State::Pending) {
                m_steps[i].state = ReclaimStep::State::Cancelled;
                m_steps[i].detail = QStringLiteral("not run: an earlier step failed");
                emit stepChanged(i, m_steps.at(i));
            }
        }
        finishRunbook();
        return;
    }
    // A member that has just come back gets a moment before the next one is blocked: its
    // peers' queues drain and clients that moved away find it again.
    bool moreToDefragment = false;
    for (int i = index + 1; i < m_steps.size(); ++i)
        moreToDefragment |= m_steps.at(i).kind == ReclaimStep::Kind::Defragment
            && m_steps.at(i).state == ReclaimStep::State::Pending;
    if (state == ReclaimStep::State::Done && m_steps.at(index).kind == ReclaimStep::Kind::Defragment && moreToDefragment
        && m_options.pauseMs > 0 && !m_cancelled) {
        m_pause->start(m_options.pauseMs);
        return;
    }
    runNext();
}

void ReclaimRunbook::runCompact(int index)
{
    const QString endpoint = m_steps.at(index).endpoint;
    // The revision is read now, not from the snapshot, so that everything written up to the
    // start of the runbook is compacted.
    m_client->status(endpoint, this, [this, index, endpoint](const EtcdResult<StatusInfo> &st) {
        if (!st.ok()) {
            finishStep(index, ReclaimStep::State::Failed,
                QStringLiteral("could not read the current revision: %1").arg(st.error.sentence));
            return;
        }
        const int64_t revision = st->header.revision;
        m_client->compact(
            endpoint, revision, true, this, [this, index, revision](const EtcdResult<ResponseHeaderInfo> &r) {
                if (!r.ok() && r.error.isCompacted()) {
                    finishStep(index, ReclaimStep::State::Done,
                        QStringLiteral("already compacted up to revision %1").arg(revision));
                    return;
                }
                if (!r.ok()) {
                    finishStep(index, ReclaimStep::State::Failed,
                        QStringLiteral("compaction failed: %1").arg(r.error.sentence));
                    return;
                }
                // A physical compaction is settled on the member that served it (etcd commits
                // before answering); its bytes in use are what every other member will reach.
                m_client->status(m_steps.at(index).endpoint, this, [this, index, revision](const auto &after) {
                    if (after.ok())
                        m_compactedInUse = after->dbSizeInUse;
                    finishStep(
                        index, ReclaimStep::State::Done, QStringLiteral("compacted up to revision %1").arg(revision));
                });
            });
    });
}

void ReclaimRunbook::runDefragment(int index)
{
    const QString endpoint = m_steps.at(index).endpoint;
    m_client->status(endpoint, this, [this, index, endpoint](const EtcdResult<StatusInfo> &st) {
        if (!st.ok()) {
            finishStep(index, ReclaimStep::State::Failed,
                QStringLiteral("%1 does not answer: %2").arg(m_steps.at(index).member, st.error.sentence));
            return;
        }
        ReclaimStep &s = m_steps[index];
        const int64_t reclaimable = st->dbSize - st->dbSizeInUse;
        const QString little = littleToReclaim(reclaimable, m_options.minFree);
        if (m_compactedInUse < 0 && !little.isEmpty()) {
            s.sizeBefore = st->dbSize;
            finishStep(index, ReclaimStep::State::Skipped, little);
            return;
        }
        const bool leads = st->leader != 0 && st->leader == st->header.memberId;
        // Leadership may have moved since the plan was made: the leader of the moment goes
        // after every other member, so that leadership moves at most once.
        if (leads) {
            int lastPending = -1;
            for (int i = index + 1; i < m_steps.size(); ++i)
                if (m_steps.at(i).kind == ReclaimStep::Kind::Defragment
                    && m_steps.at(i).state == ReclaimStep::State::Pending)
                    lastPending = i;
            if (lastPending > index) {
                ReclaimStep moved = s;
                moved.state = ReclaimStep::State::Pending;
                m_steps.removeAt(index);
                m_steps.insert(lastPending, moved);
                for (int i = index; i <= lastPending; ++i)
                    emit stepChanged(i, m_steps.at(i));
                m_current = index - 1;
                runNext();
                return;
            }
        }
        // The member must have applied the compaction before its reclaimable space means
        // anything, and both come before moving leadership: a member that is then skipped
        // must not have cost an election.
        if (awaitCompaction(index, st->dbSizeInUse))
            return;
        if (m_compactedInUse >= 0 && !little.isEmpty()) {
            s.sizeBefore = st->dbSize;
            finishStep(index, ReclaimStep::State::Skipped, little);
            return;
        }
        if (leads && m_voters > 1) {
            moveLeadershipOff(index);
            return;
        }
        s.wasLeader = leads;
        s.sizeBefore = st->dbSize;
        m_client->defragment(endpoint, this, [this, index](const EtcdResult<ResponseHeaderInfo> &r) {
            if (!r.ok()) {
                finishStep(index, ReclaimStep::State::Failed,
                    QStringLiteral("defragmenting %1 failed: %2").arg(m_steps.at(index).member, r.error.sentence));
                return;
            }
            waitCaughtUp(index, QDateTime::currentMSecsSinceEpoch() + m_healthTimeoutMs, 0);
        });
    });
}

void ReclaimRunbook::moveLeadershipOff(int index)
{
    ReclaimStep &step = m_steps[index];
    if (step.leadershipMoves >= 2) {
        finishStep(index, ReclaimStep::State::Failed,
            QStringLiteral("%1 became leader again after leadership moved off it twice; stopping rather than "
                           "defragmenting the leader")
                .arg(step.member));
        return;
    }
    ++step.leadershipMoves;
    step.detail = QStringLiteral("moving leadership off %1 first").arg(step.member);
    emit stepChanged(index, step);
    auto *handoff = new LeaderHandoff(m_client, this);
    connect(handoff, &LeaderHandoff::transferRequested, this, &ReclaimRunbook::leaderTransferRequested);
    handoff->start({step.memberId, step.member, step.endpoint, false}, m_peers,
        [this, index, handoff](const LeaderHandoff::Outcome &o) {
            handoff->deleteLater();
            ReclaimStep &s = m_steps[index];
            if (!o.error.isEmpty()) {
                finishStep(index, ReclaimStep::State::Failed,
                    QStringLiteral("%1; the leader is not defragmented in place").arg(o.error));
                return;
            }
            s.movedLeadershipTo = o.leaderName;
            s.detail = QStringLiteral("leadership moved to %1").arg(o.leaderName);
            emit stepChanged(index, s);
            runDefragment(index);
        });
}

QString ReclaimRunbook::endpointOf(uint64_t id) const
{
    for (const LeaderHandoff::Member &p : m_peers)
        if (p.id == id)
            return p.endpoint;
    return {};
}

// Every member applies a compaction on its own, after the one that served it answered.
// Defragmenting a member before it has deleted the compacted revisions keeps them in the
// file, so the runbook waits until the member's bytes in use come near the settled figure.
bool ReclaimRunbook::awaitCompaction(int index, int64_t inUse)
{
    if (m_compactedInUse < 0)
        return false;
    const int64_t expected = m_compactedInUse + qMax<int64_t>(m_compactedInUse / 4, 1 << 20);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ReclaimStep &s = m_steps[index];
    if (inUse <= expected) {
        m_compactedInUse = qMin(m_compactedInUse, inUse);
        return false;
    }
    if (m_compactionWaitUntilMs == 0) {
        m_compactionWaitUntilMs = now + m_healthTimeoutMs;
        s.detail = QStringLiteral("waiting for %1 to finish the compaction (%2 in use, about %3 expected)")
                       .arg(s.member, Format::bytes(inUse), Format::bytes(m_compactedInUse));
        emit stepChanged(index, s);
    }
    if (now >= m_compactionWaitUntilMs) {
        // Defragmenting still helps; the step's sizes show how much it reclaimed.
        s.detail = QStringLiteral("%1 had not finished the compaction after %2 s; defragmenting anyway")
                       .arg(s.member)
                       .arg(m_healthTimeoutMs / 1000);
        emit stepChanged(index, s);
        return false;
    }
    QTimer::singleShot(kHealthPollMs, this, [this, index] { runDefragment(index); });
    return true;
}

void ReclaimRunbook::waitCaughtUp(int index, qint64 giveUpAtMs, uint64_t leaderApplied)
{
    const QString endpoint = m_steps.at(index).endpoint;
    m_client->status(endpoint, this, [this, index, giveUpAtMs, leaderApplied](const EtcdResult<StatusInfo> &st) {
        ReclaimStep &s = m_steps[index];
        const auto retry = [this, index, giveUpAtMs](uint64_t applied) {
            QTimer::singleShot(
                kHealthPollMs, this, [this, index, giveUpAtMs, applied] { waitCaughtUp(index, giveUpAtMs, applied); });
        };
        if (QDateTime::currentMSecsSinceEpoch() >= giveUpAtMs) {
            finishStep(index, ReclaimStep::State::Failed,
                QStringLiteral("%1 did not answer with a leader and catch up within %2 s after defragmenting; "
                               "stopping here")
                    .arg(s.member)
                    .arg(m_healthTimeoutMs / 1000));
            return;
        }
        if (!st.ok() || st->leader == 0) {
            retry(leaderApplied);
            return;
        }
        const bool self = st->leader == st->header.memberId;
        if (leaderApplied == 0 && !self) {
            const QString leader = endpointOf(st->leader);
            if (leader.isEmpty()) {
                retry(0);
                return;
            }
            // The leader's applied index of this moment is what the member must reach.
            m_client->status(leader, this, [retry](const EtcdResult<StatusInfo> &l) {
                retry(l.ok() && l->raftAppliedIndex > 0 ? l->raftAppliedIndex : 0);
            });
            return;
        }
        if (!self && st->raftAppliedIndex < leaderApplied) {
            s.detail = QStringLiteral("catching up: applied %1 of %2").arg(st->raftAppliedIndex).arg(leaderApplied);
            emit stepChanged(index, s);
            retry(leaderApplied);
            return;
        }
        s.sizeAfter = st->dbSize;
        finishStep(index, ReclaimStep::State::Done,
            QStringLiteral("%1 → %2, healthy and caught up")
                .arg(Format::bytes(s.sizeBefore), Format::bytes(s.sizeAfter)));
    });
}

void ReclaimRunbook::runDisarm(int index)
{
    const QString endpoint = m_writeEndpoint;
    m_client->alarmList(endpoint, this, [this, index, endpoint](const EtcdResult<QList<AlarmInfo>> &r) {
        if (!r.ok()) {
            finishStep(
                index, ReclaimStep::State::Failed, QStringLiteral("could not list alarms: %1").arg(r.error.sentence));
            return;
        }
        QList<AlarmInfo> nospace;
        for (const AlarmInfo &a : *r)
            if (a.type == AlarmType::NoSpace)
                nospace << a;
        if (nospace.isEmpty()) {
            finishStep(index, ReclaimStep::State::Done, QStringLiteral("no NOSPACE alarm was raised"));
            return;
        }
        // One request per alarm, as etcdctl does; CORRUPT is never disarmed here, since it
        // means the members' data differ and needs a person to look.
        auto remaining = std::make_shared<int>(int(nospace.size()));
        auto failure = std::make_shared<QString>();
        for (const AlarmInfo &a : nospace) {
            m_client->alarmDisarm(
                endpoint, a, this, [this, index, remaining, failure, n = nospace.size()](const auto &d) {
                    if (!d.ok() && failure->isEmpty())
                        *failure = d.error.sentence;
                    if (--*remaining > 0)
                        return;
                    if (!failure->isEmpty())
                        finishStep(index, ReclaimStep::State::Failed,
                            QStringLiteral("disarming NOSPACE failed: %1").arg(*failure));
                    else
                        finishStep(index, ReclaimStep::State::Done,
                            n == 1 ? QStringLiteral("disarmed NOSPACE on 1 member")
                                   : QStringLiteral("disarmed NOSPACE on %1 members").arg(n));
                });
        }
    });
}

void ReclaimRunbook::finishRunbook()
{
    m_running = false;
    QJsonArray steps;
    int defragmented = 0;
    int64_t before = 0;
    int64_t after = 0;
    bool failed = false;
    bool cancelled = false;
    QString failure;
    for (const ReclaimStep &s : std::as_const(m_steps)) {
        steps << s.toJson();
        if (s.state == ReclaimStep::State::Failed) {
            failed = true;
            failure = s.detail;
        }
        cancelled |= s.state == ReclaimStep::State::Cancelled;
        if (s.kind == ReclaimStep::Kind::Defragment && s.state == ReclaimStep::State::Done) {
            ++defragmented;
            before += s.sizeBefore;
            after += s.sizeAfter;
        }
    }
    const QJsonObject details {{QStringLiteral("steps"), steps}, {QStringLiteral("cancelled"), cancelled && !failed}};
    const QString sizes = defragmented
        ? QStringLiteral("%1 defragmented, %2 → %3 in all")
              .arg(defragmented == 1 ? QStringLiteral("1 member") : QStringLiteral("%1 members").arg(defragmented),
                  Format::bytes(before), Format::bytes(after))
        : QString();
    if (failed) {
        emit finished(OperationResult::failed(
            sizes.isEmpty() ? failure : QStringLiteral("%1 (%2)").arg(failure, sizes), details));
        return;
    }
    if (cancelled) {
        emit finished(OperationResult::failed(
            QStringLiteral("cancelled%1").arg(sizes.isEmpty() ? QString() : QStringLiteral(" after ") + sizes),
            details));
        return;
    }
    // In the order the steps ran: compaction, the defragmentations as one figure, disarming.
    QStringList done;
    for (const ReclaimStep &s : std::as_const(m_steps)) {
        if (s.kind == ReclaimStep::Kind::Defragment) {
            if (!sizes.isEmpty() && !done.contains(sizes))
                done << sizes;
        } else if (s.state == ReclaimStep::State::Done) {
            done << s.detail;
        }
    }
    emit finished(OperationResult::done(done.join(QStringLiteral("; ")), details));
}

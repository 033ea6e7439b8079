#include "chaos/ChaosSchedule.h"

#include <QRandomGenerator>

QString ChaosFault::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Kill:
        return QStringLiteral("kill");
    case Kind::Pause:
        return QStringLiteral("pause");
    case Kind::Isolate:
        return QStringLiteral("isolate");
    case Kind::Delay:
        return QStringLiteral("delay");
    case Kind::MoveLeader:
        return QStringLiteral("move-leader");
    }
    return {};
}

QString ChaosFault::describe() const
{
    const QString who = target == Target::Leader ? QStringLiteral("the leader") : QStringLiteral("a follower");
    switch (kind) {
    case Kind::Kill:
        return QStringLiteral("kill %1, restart after %2 ms").arg(who).arg(holdMs);
    case Kind::Pause:
        return QStringLiteral("pause %1 for %2 ms").arg(who).arg(holdMs);
    case Kind::Isolate:
        return QStringLiteral("isolate %1 for %2 ms").arg(who).arg(holdMs);
    case Kind::Delay:
        return QStringLiteral("delay %1's links %2±%3 ms for %4 ms").arg(who).arg(delayMs).arg(jitterMs).arg(holdMs);
    case Kind::MoveLeader:
        return QStringLiteral("move leadership to a follower");
    }
    return {};
}

QJsonObject ChaosFault::toJson() const
{
    QJsonObject o {{QStringLiteral("kind"), kindName(kind)},
        {QStringLiteral("target"), target == Target::Leader ? QStringLiteral("leader") : QStringLiteral("follower")},
        {QStringLiteral("holdMs"), holdMs}, {QStringLiteral("gapMs"), gapMs}};
    if (kind == Kind::Delay) {
        o.insert(QStringLiteral("delayMs"), delayMs);
        o.insert(QStringLiteral("jitterMs"), jitterMs);
    }
    return o;
}

QList<ChaosFault> ChaosSchedule::generate(quint32 seed, qint64 durationMs)
{
    QRandomGenerator random(seed);
    QList<ChaosFault> out;
    qint64 planned = 0;
    while (planned < durationMs) {
        ChaosFault f;
        f.kind = ChaosFault::Kind(random.bounded(5));
        // The leader half the time: losing it is what makes Raft work.
        f.target = random.bounded(2) ? ChaosFault::Target::Leader : ChaosFault::Target::Follower;
        if (f.kind == ChaosFault::Kind::MoveLeader)
            f.target = ChaosFault::Target::Follower; // the new leader
        f.holdMs = f.kind == ChaosFault::Kind::MoveLeader ? 0 : 1000 + int(random.bounded(3000));
        f.gapMs = 500 + int(random.bounded(1500));
        if (f.kind == ChaosFault::Kind::Delay) {
            f.delayMs = 50 + int(random.bounded(250));
            f.jitterMs = int(random.bounded(f.delayMs / 2 + 1));
        }
        planned += f.holdMs + f.gapMs;
        out << f;
    }
    return out;
}

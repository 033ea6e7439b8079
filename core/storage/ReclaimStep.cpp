#include "storage/ReclaimStep.h"

#include "common/MemberId.h"

QString reclaimStateName(ReclaimStep::State state)
{
    switch (state) {
    case ReclaimStep::State::Pending:
        return QStringLiteral("pending");
    case ReclaimStep::State::Running:
        return QStringLiteral("running");
    case ReclaimStep::State::Done:
        return QStringLiteral("done");
    case ReclaimStep::State::Skipped:
        return QStringLiteral("skipped");
    case ReclaimStep::State::Failed:
        return QStringLiteral("failed");
    case ReclaimStep::State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QString ReclaimStep::title() const
{
    switch (kind) {
    case Kind::Compact:
        return QStringLiteral("compact the keyspace");
    case Kind::Defragment:
        if (wasLeader)
            return QStringLiteral("defragment %1 (leader)").arg(member);
        if (!movedLeadershipTo.isEmpty())
            return QStringLiteral("defragment %1 (leadership moved to %2)").arg(member, movedLeadershipTo);
        if (ledWhenPlanned && !finished())
            return QStringLiteral("defragment %1 (leader: leadership moves first)").arg(member);
        return QStringLiteral("defragment %1").arg(member);
    case Kind::Disarm:
        return QStringLiteral("disarm NOSPACE");
    }
    return {};
}

QJsonObject ReclaimStep::toJson() const
{
    static const char *const kinds[] = {"compact", "defragment", "disarm"};
    QJsonObject o {
        {QStringLiteral("step"), QString::fromLatin1(kinds[int(kind)])},
        {QStringLiteral("state"), reclaimStateName(state)},
        {QStringLiteral("detail"), detail},
        {QStringLiteral("durationMs"), qRound64(durationMs)},
    };
    if (kind == Kind::Defragment) {
        o.insert(QStringLiteral("id"), MemberId::toHex(memberId));
        o.insert(QStringLiteral("name"), member);
        o.insert(QStringLiteral("leader"), wasLeader);
        o.insert(QStringLiteral("before"), qint64(sizeBefore));
        o.insert(QStringLiteral("after"), state == State::Done ? QJsonValue(qint64(sizeAfter)) : QJsonValue());
        o.insert(QStringLiteral("skipped"), state == State::Skipped ? QJsonValue(detail) : QJsonValue());
        if (!movedLeadershipTo.isEmpty())
            o.insert(QStringLiteral("movedLeadershipTo"), movedLeadershipTo);
    }
    return o;
}

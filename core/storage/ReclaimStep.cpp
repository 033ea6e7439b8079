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
        return wasLeader ? QStringLiteral("defragment %1 (leader)").arg(member)
                         : QStringLiteral("defragment %1").arg(member);
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
        o.insert(QStringLiteral("dbSizeBefore"), qint64(sizeBefore));
        o.insert(QStringLiteral("dbSizeAfter"), qint64(sizeAfter));
    }
    return o;
}

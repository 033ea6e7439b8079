#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

/// One fault of a chaos run: what, on whom (chosen by role when it is applied, since the
/// leader moves), for how long, and the pause before the next one.
struct ChaosFault {
    enum class Kind { Kill, Pause, Isolate, Delay, MoveLeader };
    enum class Target { Leader, Follower };

    Kind kind = Kind::Kill;
    Target target = Target::Leader;
    int holdMs = 0; ///< how long the fault lasts before it is undone
    int gapMs = 0; ///< quiet time after it is undone
    int delayMs = 0; ///< Delay only
    int jitterMs = 0;

    static QString kindName(Kind kind);
    QString describe() const;
    QJsonObject toJson() const;
};

/// A random but reproducible list of faults: the same seed and duration give the same
/// faults, targets and timings. One fault at a time, so a three-member cluster keeps its
/// quorum except while a fault is meant to take it.
namespace ChaosSchedule {

QList<ChaosFault> generate(quint32 seed, qint64 durationMs);

} // namespace ChaosSchedule

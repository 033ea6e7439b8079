#pragma once

#include <QByteArrayView>
#include <QString>
#include <cstdint>
#include <optional>

/// One line of a demo member's log. Members log with etcd's structured logger, one JSON
/// object a line ({"level","ts","caller","msg",…}); anything else (a Go panic, a line from
/// before the logger started) is kept as plain text.
struct MemberLogEntry {
    enum class Level { Debug, Info, Warn, Error, Fatal, Other };

    qint64 timeMs = 0; ///< since the epoch; 0 when the line has no time
    Level level = Level::Other;
    QString caller;
    QString message;
    QString raw;

    /// Raft's leadership lines: "became leader", "elected leader", "lost leader",
    /// "changed leader".
    bool isLeadership() const;
    static QString levelName(Level level);
    static MemberLogEntry parse(QByteArrayView line);
};

/// "<id> became leader at term <T>", the line a member writes the moment it wins an
/// election: the ground truth the console's elections are checked against.
struct LeadershipLine {
    qint64 timeMs = 0;
    uint64_t leader = 0;
    uint64_t term = 0;

    static std::optional<LeadershipLine> of(const MemberLogEntry &entry);
};

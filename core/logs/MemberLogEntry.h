#pragma once

#include <QByteArrayView>
#include <QString>
#include <cstdint>
#include <optional>

/// One line of a member's log. etcd logs with its structured logger, one JSON object a line
/// ({"level","ts","caller","msg",…}); the Kubernetes components with klog
/// ("I1207 01:02:03.456789  1 file.go:42] msg"); a few of etcd's packages with capnslog.
/// Anything else (a Go panic, a line from before the logger started) is kept as plain text.
struct MemberLogEntry {
    enum class Level { Debug, Info, Warn, Error, Fatal, Other };

    qint64 timeMs = 0; ///< since the epoch; 0 when the line has no time
    Level level = Level::Other;
    QString caller;
    QString message;
    QString raw;
    /// Where the line came from, in a timeline of several sources: the member, the node of
    /// a pod, or the host of a journal ("" for a single member's file).
    QString source;

    /// Leadership lines: raft's "became leader", "elected leader", "lost leader",
    /// "changed leader", and the Kubernetes leader election's "successfully acquired
    /// lease", "failed to renew lease", "leaderelection lost".
    bool isLeadership() const;
    static QString levelName(Level level);
    static MemberLogEntry parse(QByteArrayView line);
    /// A line as the Kubernetes API's pods/log returns it with timestamps=true: an RFC 3339
    /// time, a space, the container's line. The prefix's time wins over the line's own (it
    /// is the container runtime's clock, the same for every container of a node).
    static MemberLogEntry parseTimestamped(QByteArrayView line);
};

/// "<id> became leader at term <T>", the line a member writes the moment it wins an
/// election: the ground truth the console's elections are checked against.
struct LeadershipLine {
    qint64 timeMs = 0;
    uint64_t leader = 0;
    uint64_t term = 0;

    static std::optional<LeadershipLine> of(const MemberLogEntry &entry);
};

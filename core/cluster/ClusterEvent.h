#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <cstdint>
#include <optional>

/// Something that happened to the cluster between two snapshots, stamped with wall-clock
/// time in ms since the epoch. Member ids are 0 where they do not apply.
struct ClusterEvent {
    enum class Type {
        LeaderChanged,
        LeaderLost,
        QuorumLost,
        QuorumRestored,
        MemberUnreachable,
        MemberRecovered,
        MemberAdded,
        MemberRemoved,
        MemberPromoted,
        TermChanged, ///< same leader, later term; journals from before ElectionsUnseen hold it
        AlarmRaised,
        AlarmCleared,
        LbDriftStarted, ///< the LB disagrees with the member's health (detail says how)
        LbDriftEnded,
        /// The term rose by more than the elections the two samples show: elections (and
        /// perhaps other leaders) came and went between them. unseenElections says how many,
        /// sinceMs when the earlier sample was taken.
        ElectionsUnseen,
        /// The newest verified backup is older than the backup schedule (detail says how old).
        BackupOverdue,
        /// A verified backup within the schedule again.
        BackupCurrent,
        /// An alert rule's condition holds (detail: "name (severity): summary"); it fires
        /// once it has held for the rule's pending period.
        AlertPending,
        AlertFiring,
        /// The condition no longer holds (for a pending alert too).
        AlertResolved,
        /// A Kubernetes control-plane component's leader-election Lease changed hands
        /// (detail: "kube-scheduler: master2 → master1").
        ComponentLeaderChanged,
        /// A component's Lease is no longer renewed within its duration: no leader now.
        ComponentLeaseStale,
    };

    Type type = Type::LeaderChanged;
    qint64 timeMs = 0;
    uint64_t member = 0;
    uint64_t from = 0;
    uint64_t to = 0;
    uint64_t term = 0;
    QString detail;
    bool requested = false; ///< LeaderChanged: the console asked for this transfer
    qint64 sinceMs = 0; ///< ElectionsUnseen: the earlier sample's time; the elections fell in between
    int unseenElections = 0; ///< ElectionsUnseen: how many elections no sample saw

    static QString typeName(Type type);
    static std::optional<Type> typeFromName(const QString &name);

    /// {"time": ISO 8601 with ms, "type", "member", "from", "to", "term", "detail", "requested"};
    /// ids as 16 hex digits, "" where they do not apply. ElectionsUnseen adds "since" (ISO
    /// 8601) and "unseenElections".
    QJsonObject toJson() const;
    static std::optional<ClusterEvent> fromJson(const QJsonObject &o);

    bool operator==(const ClusterEvent &) const = default;
};

Q_DECLARE_METATYPE(ClusterEvent)

#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <cstdint>

class ClusterSnapshot;

/// Which member a metric series' `instance` label (host:port) stands for: the console
/// scrapes each member at its first client URL, so that is the default; a Prometheus that
/// scrapes another address (a separate --listen-metrics-urls port, a DNS name) is
/// corrected by the profile's "instance=member" pairs. One map for the session, so the
/// dashboard, the alerts and Alertmanager's alerts name members alike.
class MemberInstances {
public:
    struct Member {
        uint64_t id = 0; ///< 0: a target that is no member
        QString name;
    };

    /// Learns the members of a snapshot; members that leave keep their instance (their
    /// lines stay in the history).
    void update(const ClusterSnapshot &snapshot);
    /// Instance → member name (ConnectionProfile::memberInstanceMap()), over what snapshots say.
    void setCorrections(const QHash<QString, QString> &instanceToName);

    /// The member at an instance: its id (when the cluster still knows the name) and name;
    /// the instance itself, id 0, for an instance that is no member's.
    Member at(const QString &instance) const;
    /// The id of the member of this name (0 for none known).
    uint64_t idOf(const QString &name) const;
    /// Every instance that stands for a member, sorted.
    QStringList instances() const;
    bool isEmpty() const { return m_learned.isEmpty() && m_corrections.isEmpty(); }

private:
    QHash<QString, Member> m_learned; ///< from snapshots
    QHash<QString, QString> m_corrections; ///< from the profile
};

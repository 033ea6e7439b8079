#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

/// A leader-election Lease (coordination.k8s.io/v1), as kube-scheduler and
/// kube-controller-manager hold theirs in kube-system: who holds it, since when, when the
/// holder last renewed it, and how often it changed hands.
struct KubeLease {
    QString name; ///< "kube-scheduler"
    QString holder; ///< holderIdentity, e.g. "master1_4f6c…" ("" when nobody holds it)
    QDateTime acquireTime;
    QDateTime renewTime;
    int leaseDurationSeconds = 0;
    int transitions = 0; ///< leaseTransitions

    static KubeLease fromJson(const QJsonObject &lease);
    /// The node part of the holder: client-go's identities are "<hostname>_<uuid>".
    QString holderNode() const;
    /// Held by nobody, or not renewed within its duration: the component has no leader.
    bool isStale(const QDateTime &now) const;
    /// name, holder, acquireTime, renewTime (RFC 3339), leaseDurationSeconds, transitions, stale.
    QJsonObject toJson(const QDateTime &now) const;
};

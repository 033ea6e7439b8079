#pragma once

#include "lb/HaproxyStats.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

/// One backend as the LB sees it and as the console's own probe sees it, joined to the
/// etcd member it fronts.
struct LbBackend {
    enum class Probe { NotProbed, Ok, Failed };

    QString name;
    QString address; ///< host:port, when known
    uint64_t memberId = 0; ///< 0 when no member matches
    QString memberName;

    bool hasLbView = false; ///< false for a generic LB: only the probe is known
    HaproxyStats::ServerState lbState = HaproxyStats::ServerState::Unknown;
    QString lbStatus; ///< as HAProxy writes it, e.g. "UP 1/2"
    QString checkStatus;
    int checkDurationMs = -1;
    qint64 secondsSinceChange = -1;
    qint64 sessions = 0;
    qint64 totalSessions = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    int weight = 0;

    Probe probe = Probe::NotProbed;
    double probeLatencyMs = 0;
    QString probeError;

    /// The LB keeps it in rotation while its member fails health or has no leader.
    bool driftRoutesToUnhealthy = false;
    /// The LB holds it DOWN while its member is healthy.
    bool driftHoldsHealthyDown = false;

    bool inRotation() const { return hasLbView && lbState == HaproxyStats::ServerState::Up; }
    static QString probeName(Probe p); ///< "not-probed", "ok", "failed"
    /// {"name", "address", "memberId" (16 hex digits or ""), "member", "lbStatus", "checkStatus",
    ///  "probeStatus", "probeLatencyMs", "probeError", "sessions", "totalSessions", "bytesIn",
    ///  "bytesOut", "weight", "secondsSinceChange", "driftRoutesToUnhealthy", "driftHoldsHealthyDown"}
    QJsonObject toJson() const;
};

/// The load balancer at one moment: its frontend, and every backend.
struct LbSnapshot {
    qint64 timeMs = 0;
    QString source; ///< the stats URL or socket read, or "generic"
    QString frontend;
    bool frontendReachable = false;
    double frontendLatencyMs = 0;
    QString frontendError;
    QString statsError; ///< why the LB's own view is missing
    QList<LbBackend> backends;

    bool hasDrift() const;
    /// {"time", "source", "frontend": {"address", "reachable", "latencyMs", "error"},
    ///  "statsError", "backends": [...]}
    QJsonObject toJson() const;
};

Q_DECLARE_METATYPE(LbSnapshot)

#pragma once

#include <QJsonObject>
#include <QString>

/// What a demo member's peer proxy does to the traffic through it: nothing, a blackhole
/// both ways (isolate), a delay with optional jitter on every chunk in each direction, or
/// dropping a share of the chunks.
struct NetworkFault {
    bool isolated = false;
    int delayMs = 0;
    int jitterMs = 0;
    int dropPercent = 0; ///< 0..100

    bool any() const { return isolated || delayMs > 0 || jitterMs > 0 || dropPercent > 0; }
    /// "isolated", "delay 300±50 ms, drop 10 %", "none"
    QString describe() const;
    QJsonObject toJson() const;
    static NetworkFault fromJson(const QJsonObject &o);
    bool operator==(const NetworkFault &) const = default;
};

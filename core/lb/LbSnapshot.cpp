#include "lb/LbSnapshot.h"

#include "common/MemberId.h"

#include <QDateTime>
#include <QJsonArray>

QString LbBackend::probeName(Probe p)
{
    switch (p) {
    case Probe::Ok:
        return QStringLiteral("ok");
    case Probe::Failed:
        return QStringLiteral("failed");
    case Probe::NotProbed:
        break;
    }
    return QStringLiteral("not-probed");
}

QJsonObject LbBackend::toJson() const
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("address"), address},
        {QStringLiteral("memberId"), memberId ? MemberId::toHex(memberId) : QString()},
        {QStringLiteral("member"), memberName},
        {QStringLiteral("lbStatus"), hasLbView ? HaproxyStats::stateName(lbState) : QString()},
        {QStringLiteral("lbStatusText"), lbStatus}, {QStringLiteral("checkStatus"), checkStatus},
        {QStringLiteral("probeStatus"), probeName(probe)},
        {QStringLiteral("probeLatencyMs"), probe == Probe::NotProbed ? QJsonValue() : QJsonValue(probeLatencyMs)},
        {QStringLiteral("probeError"), probeError}, {QStringLiteral("sessions"), sessions},
        {QStringLiteral("totalSessions"), totalSessions}, {QStringLiteral("bytesIn"), bytesIn},
        {QStringLiteral("bytesOut"), bytesOut}, {QStringLiteral("weight"), weight},
        {QStringLiteral("secondsSinceChange"), secondsSinceChange},
        {QStringLiteral("driftRoutesToUnhealthy"), driftRoutesToUnhealthy},
        {QStringLiteral("driftHoldsHealthyDown"), driftHoldsHealthyDown}};
}

bool LbSnapshot::hasDrift() const
{
    for (const LbBackend &b : backends) {
        if (b.driftRoutesToUnhealthy || b.driftHoldsHealthyDown)
            return true;
    }
    return false;
}

QJsonObject LbSnapshot::toJson() const
{
    QJsonArray list;
    for (const LbBackend &b : backends)
        list.append(b.toJson());
    return {{QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(timeMs).toString(Qt::ISODateWithMs)},
        {QStringLiteral("source"), source},
        {QStringLiteral("frontend"),
            QJsonObject {{QStringLiteral("address"), frontend}, {QStringLiteral("reachable"), frontendReachable},
                {QStringLiteral("latencyMs"), frontendLatencyMs}, {QStringLiteral("error"), frontendError}}},
        {QStringLiteral("statsError"), statsError}, {QStringLiteral("backends"), list}};
}

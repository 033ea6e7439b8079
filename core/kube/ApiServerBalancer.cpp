#include "kube/ApiServerBalancer.h"

#include "kube/ControlPlaneReport.h"

#include <QJsonArray>
#include <QSet>
#include <algorithm>

namespace {

/// "[::1]:6443" and "::1:6443" name the same place; host names are compared as written.
QString normalised(const QString &address)
{
    QString a = address.trimmed().toLower();
    a.remove(QLatin1Char('['));
    a.remove(QLatin1Char(']'));
    return a;
}

} // namespace

ApiServerBalancer ApiServerBalancer::match(
    const QString &source, const QList<HaproxyStats::Row> &rows, const QString &backend, ControlPlaneReport &report)
{
    ApiServerBalancer b;
    b.source = source;
    QSet<QString> apiAddresses;
    for (const ApiServerState &a : std::as_const(report.apiServers))
        if (!a.viaLoadBalancer)
            apiAddresses << normalised(a.address);

    // HAProxy's stats page leaves the servers' addresses out unless its stats section says
    // `stats show-legends` (the stats socket always gives them): without them nothing can be
    // matched, and the reason is what the operator needs.
    const bool anyServer
        = std::any_of(rows.begin(), rows.end(), [](const HaproxyStats::Row &r) { return r.isServer(); });
    const bool anyAddress = std::any_of(
        rows.begin(), rows.end(), [](const HaproxyStats::Row &r) { return r.isServer() && !r.address.isEmpty(); });
    if (anyServer && !anyAddress) {
        b.error = QStringLiteral("HAProxy at %1 does not show its servers' addresses, so the API servers cannot be "
                                 "matched to them: add `stats show-legends` to its stats section, or give its stats "
                                 "socket (--haproxy-socket)")
                      .arg(source);
        report.problems << b.error;
        return b;
    }

    // The backend: the one named, else the one with most servers at API servers' addresses.
    QHash<QString, int> matches;
    QStringList proxies;
    for (const HaproxyStats::Row &row : rows) {
        if (!row.isServer())
            continue;
        if (!proxies.contains(row.proxy))
            proxies << row.proxy;
        if (apiAddresses.contains(normalised(row.address)))
            ++matches[row.proxy];
    }
    if (!backend.isEmpty()) {
        if (proxies.contains(backend))
            b.backend = backend;
        else
            b.error = QStringLiteral("HAProxy at %1 has no backend %2 (it has %3)")
                          .arg(source, backend, proxies.isEmpty() ? QStringLiteral("none") : proxies.join(", "));
    } else {
        int best = 0;
        for (const QString &p : std::as_const(proxies)) {
            if (matches.value(p) > best) {
                best = matches.value(p);
                b.backend = p;
            }
        }
        if (b.backend.isEmpty())
            b.error
                = QStringLiteral("no backend of HAProxy at %1 holds a server at an API server's address").arg(source);
    }
    if (!b.error.isEmpty()) {
        report.problems << b.error;
        return b;
    }

    for (const HaproxyStats::Row &row : rows) {
        if (row.isServer() && row.proxy == b.backend)
            b.servers << Server {
                row.server, row.address, row.state, row.status, apiAddresses.contains(normalised(row.address))};
    }
    using HaproxyStats::ServerState;
    for (ApiServerState &a : report.apiServers) {
        if (a.viaLoadBalancer)
            continue;
        const auto it = std::find_if(b.servers.cbegin(), b.servers.cend(),
            [&](const Server &s) { return normalised(s.address) == normalised(a.address); });
        if (it == b.servers.cend()) {
            a.lbStatus = QStringLiteral("ABSENT");
            a.drift = QStringLiteral("%1 is not behind HAProxy's backend %2").arg(a.address, b.backend);
            continue;
        }
        a.lbServer = b.backend + QLatin1Char('/') + it->name;
        a.lbStatus = HaproxyStats::stateName(it->state);
        if (!a.isReady() && it->state == ServerState::Up) {
            a.drift
                = QStringLiteral("%1 is not ready, yet HAProxy (%2) still sends it traffic").arg(a.address, a.lbServer);
        } else if (a.isReady() && (it->state == ServerState::Down || it->state == ServerState::Unknown)) {
            a.drift = QStringLiteral("%1 is ready, yet HAProxy (%2) has it %3: read its health check")
                          .arg(a.address, a.lbServer, a.lbStatus);
        }
    }
    for (const Server &s : std::as_const(b.servers)) {
        if (!s.isApiServer)
            report.strayBackends << QStringLiteral("HAProxy's %1/%2 sends API traffic to %3, which is none of the "
                                                   "cluster's API servers")
                                        .arg(b.backend, s.name, s.address.isEmpty() ? QStringLiteral("?") : s.address);
    }
    return b;
}

QJsonObject ApiServerBalancer::toJson() const
{
    QJsonArray list;
    for (const Server &s : servers)
        list << QJsonObject {{QStringLiteral("name"), s.name}, {QStringLiteral("address"), s.address},
            {QStringLiteral("status"), HaproxyStats::stateName(s.state)}, {QStringLiteral("apiServer"), s.isApiServer}};
    return {{QStringLiteral("source"), source},
        {QStringLiteral("backend"), backend.isEmpty() ? QJsonValue() : QJsonValue(backend)},
        {QStringLiteral("servers"), list},
        {QStringLiteral("error"), error.isEmpty() ? QJsonValue() : QJsonValue(error)}};
}

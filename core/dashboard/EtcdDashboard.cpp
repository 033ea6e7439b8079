#include "dashboard/EtcdDashboard.h"

#include <cmath>
#include <cstdio>

namespace EtcdDashboard {

namespace {

using PanelQuery::Expr;
using PanelQuery::LabelMatcher;

Expr gauge(const std::string &metric, const std::string &legend = {})
{
    Expr e;
    e.kind = Expr::Kind::Gauge;
    e.metric = metric;
    e.legend = legend;
    return e;
}

Expr rate(const std::string &metric, const std::string &legend = {}, std::vector<LabelMatcher> matchers = {})
{
    Expr e;
    e.kind = Expr::Kind::Rate;
    e.metric = metric;
    e.legend = legend;
    e.matchers = std::move(matchers);
    return e;
}

Expr p99(const std::string &bucketMetric)
{
    Expr e;
    e.kind = Expr::Kind::Quantile;
    e.metric = bucketMetric;
    e.quantile = 0.99;
    return e;
}

Expr openStreams(const std::string &service, const std::string &legend)
{
    // Streams started minus streams finished, as the etcd dashboard counts them.
    Expr e;
    e.kind = Expr::Kind::Difference;
    e.metric = "grpc_server_started_total";
    e.subtrahend = "grpc_server_handled_total";
    e.matchers = {{"grpc_service", service, true}, {"grpc_type", "bidi_stream", true}};
    e.legend = legend;
    return e;
}

Threshold above(double value, const std::string &label)
{
    return {Threshold::Compare::Above, value, {}, label};
}

std::vector<Panel> build()
{
    std::vector<Panel> p;
    p.push_back({"has-leader", "Has leader", Unit::Boolean, {gauge("etcd_server_has_leader")},
        {Threshold::Compare::Below, 1, {}, "no leader"}});
    {
        Expr changes;
        changes.kind = Expr::Kind::Increase;
        changes.metric = "etcd_server_leader_changes_seen_total";
        changes.windowMs = 15 * 60 * 1000;
        p.push_back({"leader-changes", "Leader changes (last 15 min)", Unit::Count, {changes},
            {Threshold::Compare::AtLeast, 4, {}, "≥ 4 in 15 min"}});
    }
    p.push_back({"rpc-rate", "gRPC requests", Unit::PerSecond,
        {rate("grpc_server_started_total", "started", {{"grpc_type", "unary", true}}),
            rate("grpc_server_handled_total", "failed", {{"grpc_type", "unary", true}, {"grpc_code", "OK", false}})},
        {}});
    p.push_back({"streams", "Active streams", Unit::Count,
        {openStreams("etcdserverpb.Watch", "watch"), openStreams("etcdserverpb.Lease", "lease")}, {}});
    p.push_back({"db-size", "DB size", Unit::Bytes,
        {gauge("etcd_mvcc_db_total_size_in_bytes", "size"), gauge("etcd_mvcc_db_total_size_in_use_in_bytes", "in use"),
            gauge("etcd_server_quota_backend_bytes", "quota")},
        {Threshold::Compare::Above, 0.95, "quota", "95 % of quota"}});
    p.push_back({"wal-fsync", "WAL fsync p99", Unit::Seconds, {p99("etcd_disk_wal_fsync_duration_seconds_bucket")},
        above(0.5, "500 ms")});
    p.push_back({"backend-commit", "Backend commit p99", Unit::Seconds,
        {p99("etcd_disk_backend_commit_duration_seconds_bucket")}, above(0.25, "250 ms")});
    p.push_back({"memory", "Memory (resident)", Unit::Bytes, {gauge("process_resident_memory_bytes")}, {}});
    p.push_back({"client-traffic", "Client traffic", Unit::BytesPerSecond,
        {rate("etcd_network_client_grpc_received_bytes_total", "in"),
            rate("etcd_network_client_grpc_sent_bytes_total", "out")},
        {}});
    p.push_back({"peer-traffic", "Peer traffic", Unit::BytesPerSecond,
        {rate("etcd_network_peer_received_bytes_total", "in"), rate("etcd_network_peer_sent_bytes_total", "out")}, {}});
    p.push_back({"proposals", "Raft proposals", Unit::PerSecond,
        {rate("etcd_server_proposals_committed_total", "committed"),
            rate("etcd_server_proposals_applied_total", "applied"),
            rate("etcd_server_proposals_failed_total", "failed")},
        {}});
    p.push_back(
        {"proposals-pending", "Raft proposals pending", Unit::Count, {gauge("etcd_server_proposals_pending")}, {}});
    p.push_back({"peer-rtt", "Peer round trip p99", Unit::Seconds,
        {p99("etcd_network_peer_round_trip_time_seconds_bucket")}, above(0.15, "150 ms")});
    return p;
}

bool crosses(Threshold::Compare compare, double v, double limit)
{
    switch (compare) {
    case Threshold::Compare::Above:
        return v > limit;
    case Threshold::Compare::AtLeast:
        return v >= limit;
    case Threshold::Compare::Below:
        return v < limit;
    case Threshold::Compare::None:
        break;
    }
    return false;
}

/// The line's current value: its last point, unless the line ended in a gap (a member
/// that stopped reporting has no current value).
const SeriesPoint *latest(const PanelQuery::Line &line)
{
    if (line.points.empty() || std::isnan(line.points.back().value))
        return nullptr;
    return &line.points.back();
}

} // namespace

const std::vector<Panel> &panels()
{
    static const std::vector<Panel> all = [] {
        std::vector<Panel> built = build();
        // Which rules speak of each panel's subject.
        const std::pair<const char *, std::vector<std::string>> rules[] = {
            {"has-leader", {"etcdNoLeader", "etcdInsufficientMembers", "etcdMembersDown"}},
            {"leader-changes", {"etcdHighNumberOfLeaderChanges"}},
            {"rpc-rate", {"etcdHighNumberOfFailedGRPCRequests", "etcdGRPCRequestsSlow"}},
            {"db-size",
                {"etcdDatabaseQuotaLowSpace", "etcdExcessiveDatabaseGrowth", "etcdDatabaseHighFragmentationRatio"}},
            {"wal-fsync", {"etcdHighFsyncDurations"}},
            {"backend-commit", {"etcdHighCommitDurations"}},
            {"proposals", {"etcdHighNumberOfFailedProposals"}},
            {"peer-rtt", {"etcdMemberCommunicationSlow"}},
        };
        for (Panel &p : built) {
            for (const auto &[id, names] : rules) {
                if (p.id == id)
                    p.rules = names;
            }
        }
        return built;
    }();
    return all;
}

std::optional<double> thresholdValue(const Threshold &threshold, const std::vector<PanelQuery::Line> &lines)
{
    if (threshold.compare == Threshold::Compare::None)
        return std::nullopt;
    if (threshold.fractionOfLegend.empty())
        return threshold.value;
    std::optional<double> reference;
    for (const PanelQuery::Line &line : lines) {
        if (line.legend != threshold.fractionOfLegend)
            continue;
        if (const SeriesPoint *p = latest(line); p && p->value > 0)
            reference = std::max(reference.value_or(0), p->value);
    }
    if (!reference)
        return std::nullopt;
    return *reference * threshold.value;
}

std::string format(Unit unit, double value)
{
    if (std::isnan(value))
        return "—";
    char buf[64];
    const double a = std::fabs(value);
    auto scaled = [&](const char *const *units, int count, double base, const char *suffix) {
        int i = 0;
        double v = value;
        while (i + 1 < count && std::fabs(v) >= base) {
            v /= base;
            ++i;
        }
        std::snprintf(buf, sizeof buf, std::fabs(v) < 10 && i > 0 ? "%.2f %s%s" : "%.4g %s%s", v, units[i], suffix);
        return std::string(buf);
    };
    static const char *const bytes[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    static const char *const counts[] = {"", "k", "M", "G"};
    switch (unit) {
    case Unit::Boolean:
        if (value == 1 || value == 0)
            return value == 1 ? "yes" : "no";
        std::snprintf(buf, sizeof buf, "%.2g", value);
        return buf;
    case Unit::Seconds:
        if (a == 0)
            return "0 s";
        if (a < 1e-3)
            std::snprintf(buf, sizeof buf, "%.3g µs", value * 1e6);
        else if (a < 1)
            std::snprintf(buf, sizeof buf, "%.3g ms", value * 1e3);
        else
            std::snprintf(buf, sizeof buf, "%.3g s", value);
        return buf;
    case Unit::Bytes:
        return scaled(bytes, 5, 1024, "");
    case Unit::BytesPerSecond:
        return scaled(bytes, 5, 1024, "/s");
    case Unit::PerSecond:
        std::snprintf(buf, sizeof buf, "%.3g/s", value);
        return buf;
    case Unit::Count:
        if (a < 1000) {
            std::snprintf(buf, sizeof buf, "%.4g", value);
            return buf;
        }
        return scaled(counts, 4, 1000, "");
    }
    return {};
}

} // namespace EtcdDashboard

#include "alerts/EtcdRules.h"

using namespace PromExpr;

namespace EtcdRules {

namespace {

/// gRPC codes that mean the server failed, not the client (the mixin's list).
constexpr const char *kServerFailureCodes
    = "Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded";

/// The rule set under construction, with the selector every metric carries.
class Builder {
public:
    Builder(const std::vector<Matcher> &selector, const RuleTiming &timing)
        : m_selector(selector)
        , t(timing)
    {
    }

    Expr metric(const std::string &name, std::vector<Matcher> extra = {}) const
    {
        return selector(name, with(std::move(extra)));
    }
    Expr over(const std::string &name, int64_t rangeMs, std::vector<Matcher> extra = {}) const
    {
        return range(name, with(std::move(extra)), rangeMs);
    }
    Expr rateOf(const std::string &name, int64_t rangeMs, std::vector<Matcher> extra = {}) const
    {
        return call(Function::Rate, {over(name, rangeMs, std::move(extra))});
    }
    /// histogram_quantile(0.99, rate(<histogram>_bucket[5m])) per member.
    Expr p99(const std::string &histogram) const
    {
        return call(Function::HistogramQuantile, {number(0.99), rateOf(histogram + "_bucket", t.rateRange)});
    }
    Expr failedGrpcPercent() const
    {
        const std::vector<std::string> byMethod {"grpc_type", "grpc_code"};
        const Expr failed = aggregate(Aggregation::Sum, true, byMethod,
            rateOf("grpc_server_handled_total", t.rateRange, {{"grpc_code", Matcher::Op::Regex, kServerFailureCodes}}));
        const Expr all = aggregate(Aggregation::Sum, true, byMethod, rateOf("grpc_server_handled_total", t.rateRange));
        return binary(Operator::Div, binary(Operator::Mul, number(100), failed), all);
    }

    void add(AlertRule rule) { m_rules.push_back(std::move(rule)); }
    std::vector<AlertRule> take() { return std::move(m_rules); }

private:
    std::vector<Matcher> with(std::vector<Matcher> extra) const
    {
        std::vector<Matcher> all = m_selector;
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    }

    std::vector<Matcher> m_selector;
    std::vector<AlertRule> m_rules;

public:
    const RuleTiming &t;
};

Expr gt(Expr a, double b)
{
    return binary(Operator::Gt, std::move(a), number(b));
}

} // namespace

std::vector<Matcher> defaultSelector()
{
    return {{"job", Matcher::Op::Regex, ".*etcd.*"}};
}

std::vector<AlertRule> rules(const std::vector<Matcher> &selector, const RuleTiming &timing)
{
    Builder b(selector, timing);
    const RuleTiming &t = timing;
    const std::vector<std::string> instance {"instance"};

    // Members that fail their scrape, or (when every scrape answers) peers that members
    // cannot send to. As in the mixin, the second branch counts only where the first has no
    // series of its own labels.
    const Expr down = aggregate(
        Aggregation::Sum, true, instance, binary(Operator::Eq, b.metric("up"), number(0), /*returnBool=*/true));
    const Expr unreachablePeers = aggregate(Aggregation::Count, true, {"To"},
        gt(aggregate(Aggregation::Sum, true, instance,
               b.rateOf("etcd_network_peer_sent_failures_total", t.networkFailureRange)),
            0.01));
    b.add({"etcdMembersDown", AlertSeverity::Critical, t.membersDownFor,
        gt(aggregate(Aggregation::Max, true, {"endpoint"}, binary(Operator::Or, down, unreachablePeers)), 0),
        "etcd members are down.",
        "At least one member of the etcd cluster fails its scrape or cannot send to its peers.",
        "Find the member in Members or with `quorumdeck status`; restart it or replace it with `member remove` and "
        "`member add`."});

    const Expr upCount
        = aggregate(Aggregation::Sum, true, instance, binary(Operator::Eq, b.metric("up"), number(1), true));
    const Expr quorum = binary(Operator::Div,
        binary(Operator::Add, aggregate(Aggregation::Count, true, instance, b.metric("up")), number(1)), number(2));
    b.add({"etcdInsufficientMembers", AlertSeverity::Critical, t.insufficientMembersFor,
        binary(Operator::Lt, upCount, quorum), "etcd cluster is below quorum.",
        "Fewer members answer than a quorum needs: the cluster cannot accept writes.",
        "Bring members back before anything else; if a majority is lost for good, follow `quorumdeck recover plan`."});

    b.add({"etcdNoLeader", AlertSeverity::Critical, t.noLeaderFor,
        binary(Operator::Eq, b.metric("etcd_server_has_leader"), number(0)), "etcd member has no leader.",
        "Member {{ $labels.instance }} has no leader.",
        "Open the quorum view on Overview: a member without a leader is cut off from a majority."});

    const Expr changes = aggregate(Aggregation::Max, true, instance, b.metric("etcd_server_leader_changes_seen_total"));
    const Expr noChanges
        = binary(Operator::Mul, number(0), call(Function::Absent, {b.metric("etcd_server_leader_changes_seen_total")}));
    b.add({"etcdHighNumberOfLeaderChanges", AlertSeverity::Warning, t.leaderChangesFor,
        binary(Operator::Ge,
            call(Function::Increase,
                {subquery(binary(Operator::Or, changes, noChanges), t.leaderChangesRange, t.leaderChangesStep)}),
            number(4)),
        "etcd changes leader too often.", "The etcd cluster changed leader at least 4 times within 15 minutes.",
        "Read the causes on the Overview timeline: slow disks and lossy networks make leaders lose their lease."});

    b.add({"etcdHighNumberOfFailedGRPCRequests", AlertSeverity::Warning, t.failedGrpcWarningFor,
        gt(b.failedGrpcPercent(), 1), "etcd requests are failing.",
        "More than 1% of {{ $labels.grpc_method }} requests fail on member {{ $labels.instance }}.",
        "Read the member's log for the failing method; Unavailable usually follows a lost leader or quorum."});
    b.add({"etcdHighNumberOfFailedGRPCRequests", AlertSeverity::Critical, t.failedGrpcCriticalFor,
        gt(b.failedGrpcPercent(), 5), "etcd requests are failing.",
        "More than 5% of {{ $labels.grpc_method }} requests fail on member {{ $labels.instance }}.",
        "Read the member's log for the failing method; Unavailable usually follows a lost leader or quorum."});

    const Expr slowGrpc = call(Function::HistogramQuantile,
        {number(0.99),
            aggregate(Aggregation::Sum, true, {"grpc_type"},
                b.rateOf("grpc_server_handling_seconds_bucket", t.rateRange,
                    {{"grpc_method", Matcher::Op::NotEqual, "Defragment"},
                        {"grpc_type", Matcher::Op::Equal, "unary"}}))});
    b.add(
        {"etcdGRPCRequestsSlow", AlertSeverity::Critical, t.slowGrpcFor, gt(slowGrpc, 0.15), "etcd requests are slow.",
            "The 99th percentile of {{ $labels.grpc_method }} requests on member {{ $labels.instance }} takes over "
            "150 ms.",
            "Look at the member's disk (fsync and commit panels) and CPU; a busy disk slows every request."});

    b.add({"etcdMemberCommunicationSlow", AlertSeverity::Warning, t.slowPeersFor,
        gt(b.p99("etcd_network_peer_round_trip_time_seconds"), 0.15), "etcd peers answer slowly.",
        "The 99th percentile round trip from member {{ $labels.instance }} to peer {{ $labels.To }} is over 150 ms.",
        "Check the network between the members (on the demo, `quorumdeck demo net status`)."});

    b.add({"etcdHighNumberOfFailedProposals", AlertSeverity::Warning, t.failedProposalsFor,
        gt(b.rateOf("etcd_server_proposals_failed_total", t.proposalsRange), 5), "etcd proposals are failing.",
        "Member {{ $labels.instance }} fails more than 5 proposals a second.",
        "Proposals fail during elections and without quorum: read the Overview timeline."});

    b.add({"etcdHighFsyncDurations", AlertSeverity::Warning, t.fsyncFor,
        gt(b.p99("etcd_disk_wal_fsync_duration_seconds"), 0.5), "etcd WAL fsync is slow.",
        "The 99th percentile WAL fsync on member {{ $labels.instance }} takes over 500 ms.",
        "The member's disk is too slow for its write-ahead log: give it a faster disk or less competing I/O."});
    b.add({"etcdHighFsyncDurations", AlertSeverity::Critical, t.fsyncFor,
        gt(b.p99("etcd_disk_wal_fsync_duration_seconds"), 1), "etcd WAL fsync is slow.",
        "The 99th percentile WAL fsync on member {{ $labels.instance }} takes over 1 s.",
        "The member's disk is too slow for its write-ahead log: give it a faster disk or less competing I/O."});

    b.add({"etcdHighCommitDurations", AlertSeverity::Warning, t.commitFor,
        gt(b.p99("etcd_disk_backend_commit_duration_seconds"), 0.25), "etcd backend commits are slow.",
        "The 99th percentile backend commit on member {{ $labels.instance }} takes over 250 ms.",
        "The member's disk is too slow for its database: give it a faster disk or less competing I/O."});

    const Expr used = binary(Operator::Div,
        call(Function::LastOverTime, {b.over("etcd_mvcc_db_total_size_in_bytes", t.lastValueRange)}),
        call(Function::LastOverTime, {b.over("etcd_server_quota_backend_bytes", t.lastValueRange)}));
    b.add({"etcdDatabaseQuotaLowSpace", AlertSeverity::Critical, t.quotaFor,
        gt(binary(Operator::Mul, used, number(100)), 95), "etcd database is close to its quota.",
        "The database of member {{ $labels.instance }} has used over 95% of its quota.",
        "Run the space runbook, `quorumdeck reclaim --compact`, before etcd raises NOSPACE and refuses writes."});

    b.add({"etcdExcessiveDatabaseGrowth", AlertSeverity::Warning, t.growthFor,
        binary(Operator::Gt,
            call(Function::PredictLinear,
                {b.over("etcd_mvcc_db_total_size_in_bytes", t.growthRange), number(double(t.growthHorizon) / 1000)}),
            b.metric("etcd_server_quota_backend_bytes")),
        "etcd database grows towards its quota.",
        "At its growth over the last hours, the database of member {{ $labels.instance }} fills its quota within "
        "hours.",
        "Find what fills it with `quorumdeck keyspace`; compact and defragment with `quorumdeck reclaim`."});

    const Expr inUse = binary(Operator::Div,
        call(Function::LastOverTime, {b.over("etcd_mvcc_db_total_size_in_use_in_bytes", t.lastValueRange)}),
        call(Function::LastOverTime, {b.over("etcd_mvcc_db_total_size_in_bytes", t.lastValueRange)}));
    b.add({"etcdDatabaseHighFragmentationRatio", AlertSeverity::Warning, t.fragmentationFor,
        binary(Operator::And, binary(Operator::Lt, inUse, number(0.5)),
            gt(b.metric("etcd_mvcc_db_total_size_in_use_in_bytes"), 104857600)),
        "etcd database file is mostly free space.",
        "Member {{ $labels.instance }} uses less than half of its database file; over 100 MiB could be returned "
        "to the disk.",
        "Defragment one member at a time, never the leader in place: `quorumdeck defrag --all`."});
    return b.take();
}

} // namespace EtcdRules

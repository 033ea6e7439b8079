#include "alerts/ConsoleRules.h"

using namespace PromExpr;

namespace ConsoleRules {

namespace {

constexpr double kDaySeconds = 86400;

Expr equals(const char *metric, double value)
{
    return binary(Operator::Eq, selector(metric), number(value));
}

/// Seconds until the certificate expires, below `days` days.
Expr expiresWithin(int days)
{
    return binary(Operator::Lt, binary(Operator::Sub, selector(kCertificateExpiry), call(Function::Time, {})),
        number(days * kDaySeconds));
}

} // namespace

std::vector<AlertRule> rules(const RuleTiming &t)
{
    std::vector<AlertRule> out;
    out.push_back({"LbBackendDown", AlertSeverity::Warning, t.lbBackendDownFor, equals(kLbBackendUp, 0),
        "A load balancer backend is DOWN.",
        "The load balancer holds backend {{ $labels.backend }} (member {{ $labels.member }}) out of rotation.",
        "Open Load balancer: the check status says why; mend the member or the check and watch it return to UP."});
    out.push_back({"LbBackendDrift", AlertSeverity::Warning, t.lbDriftFor, equals(kLbBackendDrift, 1),
        "The load balancer disagrees with a member's health.",
        "Backend {{ $labels.backend }} disagrees with member {{ $labels.member }}'s health: {{ $labels.drift }}.",
        "Open Load balancer: make its health check ask the member's /health, so that clients reach only healthy "
        "members."});
    const std::string renew = "Renew it from the CA that issued it and restart whoever serves it; `quorumdeck certs` "
                              "lists the connection's certificates.";
    out.push_back({"CertificateExpiresSoon", AlertSeverity::Warning, 0, expiresWithin(kCertificateWarningDays),
        "A certificate expires within 30 days.",
        "The {{ $labels.certificate }} ({{ $labels.subject }}) expires within 30 days.", renew});
    out.push_back({"CertificateExpiresSoon", AlertSeverity::Critical, 0, expiresWithin(kCertificateCriticalDays),
        "A certificate expires within 7 days.",
        "The {{ $labels.certificate }} ({{ $labels.subject }}) expires within 7 days, or has expired.", renew});
    out.push_back({"MembersDiverge", AlertSeverity::Critical, 0, equals(kMemberDivergent, 1),
        "A member's data diverges from the others'.",
        "Member {{ $labels.member }} hashes its keyspace differently from the others at the same revision.",
        "Open Consistency; stop writing through that member and rebuild it from a healthy one (member remove, "
        "member add) or from a verified backup."});
    const Expr age = binary(Operator::Sub, call(Function::Time, {}), selector(kBackupLastVerified));
    const Expr allowed = binary(Operator::Add, selector(kBackupInterval), number(double(t.backupGrace) / 1000));
    out.push_back({"BackupOverdue", AlertSeverity::Warning, 0, binary(Operator::Gt, age, allowed),
        "No verified backup within the schedule.",
        "The newest verified backup is older than the schedule allows, or there is none.",
        "Open Backups and press Back up now; if backups fail, the journal says why."});
    return out;
}

} // namespace ConsoleRules

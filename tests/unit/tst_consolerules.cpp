// The console's own rules over the facts it records: the load balancer's view of each
// backend, the connection's certificates, the last consistency check and the backups.

#include "alerts/AlertEngine.h"
#include "alerts/ConsoleRules.h"
#include "alerts/FactSheet.h"
#include "alerts/PromEval.h"

#include <QTest>

namespace {

constexpr int64_t kDayMs = 86400 * 1000LL;
constexpr int64_t kNow = 1'800'000'000'000; // a fixed moment in 2027

/// Evaluates the engine over the sheet at `atMs`, as the session does: a store of its own
/// holding the facts at that moment.
std::vector<Alert> evaluate(AlertEngine &engine, const FactSheet &facts, int64_t atMs)
{
    SeriesStore store;
    facts.writeTo(store, atMs);
    return engine.evaluate(store, atMs);
}

/// The active alerts of `name`, as "severity/phase" words, in rule order.
QStringList states(const AlertEngine &engine, const std::string &name)
{
    QStringList out;
    for (const Alert &a : engine.active()) {
        if (a.name == name)
            out << QStringLiteral("%1/%2").arg(severityName(a.severity), phaseName(a.phase));
    }
    return out;
}

FactSheet::Fact certificate(const std::string &what, int64_t notAfterMs)
{
    return {ConsoleRules::kCertificateExpiry, {{"subject", "CN=" + what}, {"certificate", what}},
        double(notAfterMs / 1000)};
}

} // namespace

class TestConsoleRules : public QObject {
    Q_OBJECT

private slots:
    void timeIsTheEvaluationInstant();
    void certificatesWarnAt30DaysAndAreCriticalAt7();
    void lbBackendDownWaitsForItsPeriod();
    void lbDriftNamesTheMemberAndHowItDrifts();
    void divergentMemberIsCriticalAtOnce();
    void backupOverdueAfterScheduleAndGrace();
    void noRuleFailsOnAnEmptySheet();
};

void TestConsoleRules::timeIsTheEvaluationInstant()
{
    using namespace PromExpr;
    const Expr t = call(Function::Time, {});
    QCOMPARE(QString::fromStdString(print(t)), QStringLiteral("time()"));
    SeriesStore store;
    const PromEval::Result r = PromEval::evaluate(store, t, kNow + 500);
    QVERIFY2(r.error.empty(), r.error.c_str());
    QCOMPARE(r.vector.size(), size_t(1));
    QCOMPARE(r.vector.front().value, double(kNow + 500) / 1000);
}

void TestConsoleRules::certificatesWarnAt30DaysAndAreCriticalAt7()
{
    AlertEngine engine(ConsoleRules::rules());
    FactSheet facts;
    facts.record("certificates",
        {certificate("far", kNow + 90 * kDayMs), certificate("soon", kNow + 20 * kDayMs),
            certificate("very soon", kNow + 3 * kDayMs)});
    evaluate(engine, facts, kNow);
    // "soon" warns; "very soon" warns and is critical: two rules, as Prometheus would fire them.
    QCOMPARE(
        states(engine, "CertificateExpiresSoon"), QStringList({"warning/firing", "warning/firing", "critical/firing"}));
    QStringList subjects;
    for (const Alert &a : engine.active())
        subjects << QString::fromStdString(a.label("certificate"));
    QCOMPARE(subjects, QStringList({"soon", "very soon", "very soon"}));
    QVERIFY(QString::fromStdString(engine.active().back().description).contains("very soon (CN=very soon)"));

    // Twelve days on, "soon" is within a week too; renewing "very soon" resolves it.
    facts.record("certificates",
        {certificate("far", kNow + 90 * kDayMs), certificate("soon", kNow + 20 * kDayMs),
            certificate("very soon", kNow + 400 * kDayMs)});
    const std::vector<Alert> changes = evaluate(engine, facts, kNow + 14 * kDayMs);
    QCOMPARE(states(engine, "CertificateExpiresSoon"), QStringList({"warning/firing", "critical/firing"}));
    int resolved = 0;
    for (const Alert &a : changes)
        resolved += a.phase == AlertPhase::Resolved && a.label("certificate") == "very soon";
    QCOMPARE(resolved, 2);
}

void TestConsoleRules::lbBackendDownWaitsForItsPeriod()
{
    RuleTiming timing;
    AlertEngine engine(ConsoleRules::rules(timing));
    FactSheet facts;
    auto lb = [&](double up1, double up2) {
        facts.record("lb",
            {{ConsoleRules::kLbBackendUp, {{"backend", "etcd1"}, {"member", "etcd1"}}, up1},
                {ConsoleRules::kLbBackendUp, {{"backend", "etcd2"}, {"member", "etcd2"}}, up2}});
    };
    lb(1, 0);
    evaluate(engine, facts, kNow);
    QCOMPARE(states(engine, "LbBackendDown"), QStringList({"warning/pending"}));
    QCOMPARE(engine.active().front().label("member"), std::string("etcd2"));
    evaluate(engine, facts, kNow + timing.lbBackendDownFor - 1);
    QCOMPARE(states(engine, "LbBackendDown"), QStringList({"warning/pending"}));
    evaluate(engine, facts, kNow + timing.lbBackendDownFor);
    QCOMPARE(states(engine, "LbBackendDown"), QStringList({"warning/firing"}));
    lb(1, 1);
    const std::vector<Alert> changes = evaluate(engine, facts, kNow + timing.lbBackendDownFor + 1000);
    QCOMPARE(states(engine, "LbBackendDown"), QStringList());
    QCOMPARE(changes.size(), size_t(1));
    QCOMPARE(changes.front().phase, AlertPhase::Resolved);

    // A backend the LB no longer reports is absence, not "up": the alert resolves too.
    lb(1, 0);
    evaluate(engine, facts, kNow + 10 * 60 * 1000);
    QCOMPARE(states(engine, "LbBackendDown"), QStringList({"warning/pending"}));
    facts.forget("lb");
    evaluate(engine, facts, kNow + 11 * 60 * 1000);
    QCOMPARE(states(engine, "LbBackendDown"), QStringList());
}

void TestConsoleRules::lbDriftNamesTheMemberAndHowItDrifts()
{
    AlertEngine engine(ConsoleRules::rules(RuleTiming {}.scaled(60)));
    FactSheet facts;
    facts.record("lb",
        {{ConsoleRules::kLbBackendDrift, {{"backend", "b1"}, {"member", "etcd1"}}, 0},
            {ConsoleRules::kLbBackendDrift, {{"backend", "b3"}, {"member", "etcd3"}, {"drift", "routes-to-unhealthy"}},
                1}});
    evaluate(engine, facts, kNow);
    evaluate(engine, facts, kNow + 1000);
    QCOMPARE(states(engine, "LbBackendDrift"), QStringList({"warning/firing"}));
    const Alert &a = engine.active().front();
    QCOMPARE(a.label("member"), std::string("etcd3"));
    QCOMPARE(QString::fromStdString(a.description),
        QStringLiteral("Backend b3 disagrees with member etcd3's health: routes-to-unhealthy."));
}

void TestConsoleRules::divergentMemberIsCriticalAtOnce()
{
    AlertEngine engine(ConsoleRules::rules());
    FactSheet facts;
    facts.record("consistency",
        {{ConsoleRules::kMemberDivergent, {{"member", "etcd1"}}, 0},
            {ConsoleRules::kMemberDivergent, {{"member", "etcd2"}}, 1},
            {ConsoleRules::kMemberDivergent, {{"member", "etcd3"}}, 0}});
    evaluate(engine, facts, kNow);
    QCOMPARE(states(engine, "MembersDiverge"), QStringList({"critical/firing"}));
    QCOMPARE(engine.active().front().label("member"), std::string("etcd2"));
}

void TestConsoleRules::backupOverdueAfterScheduleAndGrace()
{
    RuleTiming timing;
    AlertEngine engine(ConsoleRules::rules(timing));
    FactSheet facts;
    const double everySix = 6 * 3600;
    auto backups = [&](double lastSeconds) {
        facts.record("backups",
            {{ConsoleRules::kBackupLastVerified, {}, lastSeconds}, {ConsoleRules::kBackupInterval, {}, everySix}});
    };
    // None at all: overdue at once.
    backups(0);
    evaluate(engine, facts, kNow);
    QCOMPARE(states(engine, "BackupOverdue"), QStringList({"warning/firing"}));
    // One just taken; due again after six hours and the grace.
    backups(double(kNow) / 1000);
    evaluate(engine, facts, kNow + 1000);
    QCOMPARE(states(engine, "BackupOverdue"), QStringList());
    evaluate(engine, facts, kNow + 6 * 3600 * 1000 + timing.backupGrace);
    QCOMPARE(states(engine, "BackupOverdue"), QStringList());
    evaluate(engine, facts, kNow + 6 * 3600 * 1000 + timing.backupGrace + 1000);
    QCOMPARE(states(engine, "BackupOverdue"), QStringList({"warning/firing"}));
    // No schedule: nothing is due.
    facts.forget("backups");
    evaluate(engine, facts, kNow + 7 * 3600 * 1000 + timing.backupGrace);
    QCOMPARE(states(engine, "BackupOverdue"), QStringList());
}

void TestConsoleRules::noRuleFailsOnAnEmptySheet()
{
    AlertEngine engine(ConsoleRules::rules());
    const FactSheet facts;
    QCOMPARE(evaluate(engine, facts, kNow).size(), size_t(0));
    QVERIFY(engine.errors().empty());
    QVERIFY(engine.active().empty());
    QCOMPARE(engine.rules().size(), size_t(6));
}

QTEST_GUILESS_MAIN(TestConsoleRules)
#include "tst_consolerules.moc"

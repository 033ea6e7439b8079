// The console's own rules fed by the session: what the load balancer, the consistency check
// and the backup catalogue report reaches AlertsSession's facts and turns into the alerts
// the window shows (tst_consolerules holds the rules themselves to their cases).

#include "cluster/ClusterSnapshot.h"
#include "cluster/ConsistencyReport.h"
#include "lb/LbSnapshot.h"
#include "scrape/MetricsCollector.h"
#include "session/AlertsSession.h"
#include "session/BackupSession.h"
#include "session/MemberInstances.h"

#include <QDateTime>
#include <QTest>

class TestSessionRules : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void lbDriftReachesItsRule();
    void aDivergentMemberReachesItsRule();
    void anOverdueBackupReachesItsRule();

private:
    /// Until the rules have been evaluated n more times.
    void waitForEvaluations(int n)
    {
        const int target = m_alerts->evaluations() + n;
        QTRY_VERIFY_WITH_TIMEOUT(m_alerts->evaluations() >= target, 10000);
    }
    /// The alert of that name on member ("" for the cluster), if active.
    std::optional<Alert> active(const char *name, const QString &member) const;

    std::unique_ptr<MetricsCollector> m_metrics;
    std::unique_ptr<MemberInstances> m_instances;
    std::unique_ptr<AlertsSession> m_alerts;
};

void TestSessionRules::init()
{
    m_metrics = std::make_unique<MetricsCollector>();
    m_instances = std::make_unique<MemberInstances>();
    m_alerts = std::make_unique<AlertsSession>(m_metrics.get(), m_instances.get());
    // A minute's pending period becomes a second; evaluations every 100 ms.
    m_alerts->setTiming(RuleTiming {}.scaled(60));
    m_alerts->setIntervalMs(100);
    MemberListInfo list;
    list.members = {MemberInfo {0xa1, "etcd1", {}, {"http://127.0.0.1:23791"}},
        MemberInfo {0xb2, "etcd2", {}, {"http://127.0.0.1:23792"}},
        MemberInfo {0xc3, "etcd3", {}, {"http://127.0.0.1:23793"}}};
    const ClusterSnapshot snapshot = ClusterSnapshot::build(1000, list, true, {});
    m_instances->update(snapshot);
    m_alerts->onSnapshot(snapshot); // evaluation starts with the first snapshot
}

void TestSessionRules::cleanup()
{
    m_alerts->stop();
    m_alerts.reset();
}

std::optional<Alert> TestSessionRules::active(const char *name, const QString &member) const
{
    for (const Alert &a : m_alerts->active()) {
        if (a.name == name && m_alerts->memberName(a) == member)
            return a;
    }
    return std::nullopt;
}

void TestSessionRules::lbDriftReachesItsRule()
{
    LbSnapshot lb;
    lb.timeMs = QDateTime::currentMSecsSinceEpoch();
    for (const char *name : {"etcd1", "etcd2", "etcd3"}) {
        LbBackend b;
        b.name = QString::fromLatin1(name);
        b.memberName = b.name;
        b.hasLbView = true;
        b.lbState = HaproxyStats::ServerState::Up;
        lb.backends << b;
    }
    // HAProxy keeps sending clients to etcd2, which the console's probe finds unhealthy.
    lb.backends[1].driftRoutesToUnhealthy = true;
    m_alerts->onLbSnapshot(lb);
    QTRY_VERIFY_WITH_TIMEOUT(active("LbBackendDrift", "etcd2").has_value(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(active("LbBackendDrift", "etcd2")->phase, AlertPhase::Firing, 10000);
    QVERIFY(!active("LbBackendDrift", "etcd1"));
    QVERIFY(!active("LbBackendDown", "etcd2")); // in rotation, only wrongly so

    // The drift ends: the alert resolves.
    lb.backends[1].driftRoutesToUnhealthy = false;
    m_alerts->onLbSnapshot(lb);
    QTRY_VERIFY_WITH_TIMEOUT(!active("LbBackendDrift", "etcd2"), 10000);
}

void TestSessionRules::aDivergentMemberReachesItsRule()
{
    QList<MemberHash> hashes;
    for (const auto &[id, name, hash] : {std::tuple {0xa1, "etcd1", 7u}, {0xb2, "etcd2", 7u}, {0xc3, "etcd3", 9u}}) {
        MemberHash m;
        m.id = uint64_t(id);
        m.name = QString::fromLatin1(name);
        m.outcome = MemberHash::Outcome::Hashed;
        m.hash = hash;
        m.hashRevision = 40;
        hashes << m;
    }
    const ConsistencyReport divergent = ConsistencyReport::decide(40, hashes, 3);
    QCOMPARE(divergent.verdict, ConsistencyReport::Verdict::Divergent);
    m_alerts->onConsistencyReport(divergent);
    QTRY_VERIFY_WITH_TIMEOUT(active("MembersDiverge", "etcd3").has_value(), 10000);
    QCOMPARE(active("MembersDiverge", "etcd3")->severity, AlertSeverity::Critical);
    QVERIFY(!active("MembersDiverge", "etcd1"));

    // An undecided check leaves the verdict standing; a consistent one clears it.
    m_alerts->onConsistencyReport(ConsistencyReport::undecided(QStringLiteral("too few answers"), {}));
    waitForEvaluations(3); // nothing may change meanwhile
    QVERIFY(active("MembersDiverge", "etcd3").has_value());
    hashes[2].hash = 7;
    m_alerts->onConsistencyReport(ConsistencyReport::decide(41, hashes, 3));
    QTRY_VERIFY_WITH_TIMEOUT(!active("MembersDiverge", "etcd3"), 10000);
}

void TestSessionRules::anOverdueBackupReachesItsRule()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Every hour, the newest verified three hours old: overdue.
    m_alerts->onBackups(BackupSchedule {1, 14}, true, now - 3 * 3600 * 1000);
    QTRY_VERIFY_WITH_TIMEOUT(active("BackupOverdue", {}).has_value(), 10000);
    // No schedule: nothing is due, whatever the age.
    m_alerts->onBackups(BackupSchedule {0, 14}, true, now - 3 * 3600 * 1000);
    QTRY_VERIFY_WITH_TIMEOUT(!active("BackupOverdue", {}), 10000);
    // A fresh backup under the schedule: nothing either.
    m_alerts->onBackups(BackupSchedule {1, 14}, true, now - 60 * 1000);
    waitForEvaluations(3);
    QVERIFY(!active("BackupOverdue", {}));
}

QTEST_GUILESS_MAIN(TestSessionRules)
#include "tst_sessionrules.moc"

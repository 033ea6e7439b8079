#include "journal/Journal.h"
#include "storage/DatabaseFiller.h"
#include "storage/ReclaimRunbook.h"
#include "storage/StorageReader.h"
#include "support/CliRun.h"
#include "support/DemoClusterFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

namespace {

constexpr qint64 kQuota = 16 * 1024 * 1024;

template <typename T> std::optional<EtcdResult<T>> await(const std::function<void(EtcdCallback<T>)> &call)
{
    std::optional<EtcdResult<T>> result;
    call([&](const EtcdResult<T> &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 30000))
        return std::nullopt;
    return result;
}

} // namespace

/// The storage runbook against a real three-member cluster started with a 16 MiB quota:
/// fill it until etcd raises NOSPACE, see the alarm and the refused writes, then reclaim.
class StorageIntegrationTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void fillRaisesNospaceAndRefusesWrites();
    void readerShowsQuotaAlarmAndLocalVolumes();
    void cliListsTheAlarmAndVolumes();
    void runbookDefragmentsOneAtATimeLeaderLastAndClearsTheAlarm();
    void defragmentingOneMemberAndBadUsage();
    void cancelStopsBetweenMembers();
    void refusedWhenBlockingAMemberWouldLoseQuorum();

private:
    QList<AlarmInfo> alarms();
    QList<MemberStorage> readStorage();
    /// Fills the database until etcd raises NOSPACE, unless an alarm is raised already.
    /// Returns an error sentence, or "".
    QString ensureNospace();
    /// Compacts, defragments and disarms, when an alarm is raised. Returns an error
    /// sentence, or "".
    QString ensureNoAlarm();
    /// Fills the database; the result as the filler reports it.
    OperationResult fill(qint64 *writtenBytes);

    DemoClusterFixture m_demo;
    std::unique_ptr<EtcdClient> m_client;
    std::unique_ptr<ClusterMonitor> m_monitor;
};

void StorageIntegrationTest::initTestCase()
{
    const QString error = m_demo.start(3, kQuota);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_client = std::make_unique<EtcdClient>(m_demo.settings());
    m_monitor = std::make_unique<ClusterMonitor>(m_client.get());
    QVERIFY(QTest::qWaitFor([&] { return takeSnapshot(*m_monitor).isHealthy(); }, 20000));
}

void StorageIntegrationTest::init()
{
    // Each function starts from a healthy cluster whatever ran before it (or did not).
    QVERIFY2(QTest::qWaitFor([&] { return takeSnapshot(*m_monitor).isHealthy(); }, 30000),
        "the demo cluster is not healthy at the start of the test");
}

OperationResult StorageIntegrationTest::fill(qint64 *writtenBytes)
{
    DatabaseFiller filler(m_client.get());
    QSignalSpy finished(&filler, &DatabaseFiller::finished);
    filler.start(m_demo.endpoints().first());
    if (!finished.wait(120000))
        return OperationResult::failed(QStringLiteral("filling the database did not finish within 120 s"));
    *writtenBytes = filler.writtenBytes();
    return finished.at(0).at(0).value<OperationResult>();
}

QString StorageIntegrationTest::ensureNospace()
{
    if (!alarms().isEmpty())
        return {};
    qint64 written = 0;
    const OperationResult r = fill(&written);
    if (!r.ok())
        return r.sentence;
    return alarms().isEmpty() ? QStringLiteral("no alarm after filling the database") : QString();
}

QString StorageIntegrationTest::ensureNoAlarm()
{
    if (alarms().isEmpty())
        return {};
    ReclaimRunbook runbook(m_client.get());
    QSignalSpy finished(&runbook, &ReclaimRunbook::finished);
    ReclaimOptions options;
    options.compact = true;
    runbook.start(takeSnapshot(*m_monitor), options);
    if (!finished.wait(120000))
        return QStringLiteral("reclaiming space did not finish within 120 s");
    const auto result = finished.at(0).at(0).value<OperationResult>();
    if (!result.ok())
        return result.sentence;
    return alarms().isEmpty() ? QString() : QStringLiteral("an alarm is still raised after reclaiming space");
}

QList<AlarmInfo> StorageIntegrationTest::alarms()
{
    const auto r
        = await<QList<AlarmInfo>>([&](auto done) { m_client->alarmList(m_demo.endpoints().first(), nullptr, done); });
    return r && r->ok() ? **r : QList<AlarmInfo>();
}

QList<MemberStorage> StorageIntegrationTest::readStorage()
{
    StorageReader reader({});
    QHash<QString, QString> dirs;
    for (const LocalMember &m : m_demo.cluster().manifest().members)
        dirs.insert(m.name, m.dataDir);
    reader.setLocalDataDirs(dirs);
    std::optional<QList<MemberStorage>> result;
    reader.read(takeSnapshot(*m_monitor), [&](const QList<MemberStorage> &m) { result = m; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
        return {};
    return *result;
}

void StorageIntegrationTest::fillRaisesNospaceAndRefusesWrites()
{
    const QString cleared = ensureNoAlarm();
    QVERIFY2(cleared.isEmpty(), qPrintable(cleared));
    QVERIFY(alarms().isEmpty());
    qint64 written = 0;
    const OperationResult r = fill(&written);
    QVERIFY2(r.ok(), qPrintable(r.sentence));
    QVERIFY2(r.details.value(QStringLiteral("nospace")).toBool(), qPrintable(r.sentence));
    // etcd raises the alarm once a write would pass the quota: the filler wrote about that much.
    QVERIFY2(written >= kQuota / 2, qPrintable(QString::number(written)));
    QVERIFY2(written <= kQuota * 2, qPrintable(QString::number(written)));

    const QList<AlarmInfo> raised = alarms();
    QVERIFY(!raised.isEmpty());
    for (const AlarmInfo &a : raised)
        QCOMPARE(a.type, AlarmType::NoSpace);

    const auto put = await<ResponseHeaderInfo>(
        [&](auto done) { m_client->put(m_demo.endpoints().last(), "/after-nospace", "x", nullptr, done); });
    QVERIFY(put.has_value());
    QVERIFY(!put->ok());
    QVERIFY2(put->error.message.contains(QLatin1String("etcdserver: mvcc: database space exceeded")),
        qPrintable(put->error.message));
    QVERIFY2(put->error.sentence.contains(QLatin1String("NOSPACE")), qPrintable(put->error.sentence));
}

void StorageIntegrationTest::readerShowsQuotaAlarmAndLocalVolumes()
{
    const QString filled = ensureNospace();
    QVERIFY2(filled.isEmpty(), qPrintable(filled));
    const QList<MemberStorage> members = readStorage();
    QCOMPARE(members.size(), 3);
    // An alarm belongs to the member that raised it: exactly those etcd lists.
    QSet<uint64_t> raisedBy;
    for (const AlarmInfo &a : alarms())
        raisedBy.insert(a.memberId);
    QVERIFY(!raisedBy.isEmpty());
    int leaders = 0;
    for (const MemberStorage &m : members) {
        QVERIFY2(m.reachable, qPrintable(m.error));
        QCOMPARE(qint64(m.quota), kQuota);
        QCOMPARE(m.hasAlarm(QStringLiteral("NOSPACE")), raisedBy.contains(m.id));
        QVERIFY(m.dbSize > kQuota / 2);
        QVERIFY(m.dbSizeInUse > 0 && m.dbSizeInUse <= m.dbSize);
        QCOMPARE(qint64(m.headroom()), kQuota - qint64(m.dbSize));
        QVERIFY(m.volume.known);
        QVERIFY(m.volume.fsCapacity > 0 && m.volume.fsFree > 0 && m.volume.fsFree <= m.volume.fsCapacity);
        QVERIFY(m.volume.walBytes > 0);
        // bbolt's file lives under member/snap, so snap holds at least the database.
        QVERIFY(m.volume.snapBytes >= m.dbSize);
        leaders += m.isLeader;
    }
    QCOMPARE(leaders, 1);
}

void StorageIntegrationTest::cliListsTheAlarmAndVolumes()
{
    const QString filled = ensureNospace();
    QVERIFY2(filled.isEmpty(), qPrintable(filled));
    const CliRun list = runQuorumdeck({"alarm", "list", "--dir", m_demo.dir(), "-w", "json"});
    QCOMPARE(list.exitCode, 2);
    const QJsonArray rows = QJsonDocument::fromJson(list.out).object().value("alarms").toArray();
    QVERIFY2(!rows.isEmpty(), list.out.constData());
    for (const QJsonValue &row : rows) {
        QCOMPARE(row["alarm"].toString(), QStringLiteral("NOSPACE"));
        QVERIFY(!row["member"].toString().isEmpty());
        QCOMPARE(row["memberId"].toString().size(), 16);
    }

    const CliRun volumes = runQuorumdeck({"volumes", "--dir", m_demo.dir(), "-w", "json"});
    QCOMPARE(volumes.exitCode, 2); // an alarm is raised
    const QJsonArray members = QJsonDocument::fromJson(volumes.out).object().value("members").toArray();
    QCOMPARE(members.size(), 3);
    int withAlarm = 0;
    for (const QJsonValue &m : members) {
        for (const char *key : {"id", "name", "dbSize", "dbSizeInUse", "quota", "fragmentation", "alarms", "fsCapacity",
                 "fsFree", "walBytes", "snapBytes"})
            QVERIFY2(m.toObject().contains(QLatin1String(key)), key);
        QCOMPARE(m["quota"].toInteger(), kQuota);
        withAlarm += m["alarms"].toArray().contains(QStringLiteral("NOSPACE"));
        const double size = m["dbSize"].toDouble();
        QCOMPARE(m["fragmentation"].toDouble(), 1.0 - m["dbSizeInUse"].toDouble() / size);
    }
    QCOMPARE(withAlarm, rows.size());

    const CliRun table = runQuorumdeck({"volumes", "--dir", m_demo.dir()});
    QCOMPARE(table.exitCode, 2);
    QVERIFY2(table.out.contains("NOSPACE") && table.out.contains("16 MiB"), table.out.constData());
}

void StorageIntegrationTest::runbookDefragmentsOneAtATimeLeaderLastAndClearsTheAlarm()
{
    const QString filled = ensureNospace();
    QVERIFY2(filled.isEmpty(), qPrintable(filled));
    qint64 filledSize = 0;
    for (const MemberStorage &m : readStorage())
        filledSize = qMax(filledSize, qint64(m.dbSize));
    QVERIFY(filledSize > kQuota / 2);
    const ClusterSnapshot before = takeSnapshot(*m_monitor);
    QVERIFY(before.isHealthy());
    ReclaimRunbook runbook(m_client.get());
    // Every change of step state, in order: the runbook must never run two at once.
    QList<QPair<int, ReclaimStep>> changes;
    int running = 0;
    int maxRunning = 0;
    connect(&runbook, &ReclaimRunbook::stepChanged, this, [&](int i, const ReclaimStep &s) {
        changes.append({i, s});
        running = 0;
        for (const ReclaimStep &step : runbook.steps())
            running += step.state == ReclaimStep::State::Running;
        maxRunning = qMax(maxRunning, running);
    });
    QSignalSpy finished(&runbook, &ReclaimRunbook::finished);
    ReclaimOptions options;
    options.compact = true;
    options.pauseMs = 200;
    runbook.start(before, options);
    QVERIFY(finished.wait(120000));
    const auto result = finished.at(0).at(0).value<OperationResult>();
    QVERIFY2(result.ok(), qPrintable(result.sentence));
    QCOMPARE(maxRunning, 1);

    const QList<ReclaimStep> &steps = runbook.steps();
    QCOMPARE(steps.size(), 5);
    QCOMPARE(steps.first().kind, ReclaimStep::Kind::Compact);
    QCOMPARE(steps.last().kind, ReclaimStep::Kind::Disarm);
    QSet<uint64_t> defragmented;
    for (int i = 1; i <= 3; ++i) {
        const ReclaimStep &s = steps.at(i);
        QCOMPARE(s.kind, ReclaimStep::Kind::Defragment);
        QCOMPARE(s.state, ReclaimStep::State::Done);
        QVERIFY2(s.sizeAfter < s.sizeBefore, qPrintable(s.detail));
        // The member that led goes last, and leadership moves off it first: no member is
        // defragmented while it leads.
        QVERIFY(!s.wasLeader);
        QCOMPARE(!s.movedLeadershipTo.isEmpty(), i == 3);
        defragmented.insert(s.memberId);
    }
    QCOMPARE(defragmented.size(), 3);
    // Steps started in order, each after the previous one ended.
    int lastStarted = -1;
    for (const auto &[index, step] : changes) {
        // A running step tells its progress (moving leadership, catching up) more than once.
        if (step.state != ReclaimStep::State::Running || index == lastStarted)
            continue;
        QVERIFY(index > lastStarted);
        for (int j = 0; j < index; ++j)
            QVERIFY(runbook.steps().at(j).finished());
        lastStarted = index;
    }

    QVERIFY(alarms().isEmpty());
    const auto put = await<ResponseHeaderInfo>(
        [&](auto done) { m_client->put(m_demo.endpoints().first(), "/after-reclaim", "ok", nullptr, done); });
    QVERIFY(put.has_value());
    QVERIFY2(put->ok(), qPrintable(put->error.sentence));

    const QList<MemberStorage> after = readStorage();
    QCOMPARE(after.size(), 3);
    for (const MemberStorage &m : after) {
        QVERIFY(m.alarms.isEmpty());
        QVERIFY2(qint64(m.dbSize) < filledSize / 2,
            qPrintable(QStringLiteral("%1: %2 bytes of %3 before").arg(m.name).arg(m.dbSize).arg(filledSize)));
    }
}

void StorageIntegrationTest::defragmentingOneMemberAndBadUsage()
{
    // Disarming below says there is nothing to disarm: no alarm may be raised.
    const QString cleared = ensureNoAlarm();
    QVERIFY2(cleared.isEmpty(), qPrintable(cleared));
    const CliRun one = runQuorumdeck({"defrag", "etcd2", "--dir", m_demo.dir(), "-w", "json"});
    QCOMPARE(one.exitCode, 0);
    const QJsonObject r = QJsonDocument::fromJson(one.out).object();
    QCOMPARE(r["result"].toString(), QStringLiteral("done"));
    const QJsonArray steps = r["steps"].toArray();
    QCOMPARE(steps.size(), 1);
    QCOMPARE(steps.at(0)["name"].toString(), QStringLiteral("etcd2"));
    QCOMPARE(steps.at(0)["state"].toString(), QStringLiteral("done"));

    // The command line journals what it did, where the window's history finds it.
    Journal journal(cliDataHome() + QStringLiteral("/QuorumDeck/quorumdeck/journal.sqlite"));
    QSignalSpy loaded(&journal, &Journal::historyLoaded);
    journal.loadHistory(takeSnapshot(*m_monitor).clusterId());
    QVERIFY(loaded.wait(10000));
    const auto actions = loaded.at(0).at(2).value<QList<OperatorAction>>();
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(), [](const OperatorAction &a) {
        return a.action == QLatin1String("defragment") && a.target == QLatin1String("etcd2")
            && a.result == QLatin1String("done") && !a.user.isEmpty();
    }));

    const CliRun none = runQuorumdeck({"defrag", "--dir", m_demo.dir()});
    QCOMPARE(none.exitCode, 1);
    QVERIFY(none.err.contains("usage: quorumdeck defrag MEMBER | defrag --all"));
    const CliRun unknown = runQuorumdeck({"defrag", "nosuch", "--dir", m_demo.dir()});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains("no member is called nosuch"), unknown.err.constData());
    const CliRun disarm = runQuorumdeck({"alarm", "disarm", "--dir", m_demo.dir()});
    QCOMPARE(disarm.exitCode, 0);
    QVERIFY(disarm.out.contains("no alarm to disarm"));
}

void StorageIntegrationTest::cancelStopsBetweenMembers()
{
    ReclaimRunbook runbook(m_client.get());
    // Cancel as soon as the first member is done: the others are never touched.
    connect(&runbook, &ReclaimRunbook::stepChanged, this, [&](int, const ReclaimStep &s) {
        if (s.kind == ReclaimStep::Kind::Defragment && s.state == ReclaimStep::State::Done)
            runbook.cancel();
    });
    QSignalSpy finished(&runbook, &ReclaimRunbook::finished);
    runbook.start(takeSnapshot(*m_monitor), {});
    QVERIFY(finished.wait(60000));
    const auto result = finished.at(0).at(0).value<OperationResult>();
    QCOMPARE(result.status, OperationResult::Status::Failed);
    QVERIFY2(result.sentence.startsWith(QLatin1String("cancelled after 1 member defragmented")),
        qPrintable(result.sentence));
    QVERIFY(result.details.value(QStringLiteral("cancelled")).toBool());
    const QList<ReclaimStep> &steps = runbook.steps();
    QCOMPARE(steps.size(), 4);
    QCOMPARE(steps.at(0).state, ReclaimStep::State::Done);
    for (int i = 1; i < steps.size(); ++i)
        QCOMPARE(steps.at(i).state, ReclaimStep::State::Cancelled);
}

void StorageIntegrationTest::refusedWhenBlockingAMemberWouldLoseQuorum()
{
    const ClusterSnapshot healthy = takeSnapshot(*m_monitor);
    const MemberState *follower = nullptr;
    for (const MemberState &m : healthy.members())
        if (m.id != healthy.leaderId())
            follower = &m;
    QVERIFY(follower);
    const QString name = follower->name;
    QVERIFY(m_demo.act(name, LocalCluster::MemberAction::Kill).ok());
    ClusterSnapshot degraded;
    QVERIFY(QTest::qWaitFor(
        [&] {
            degraded = takeSnapshot(*m_monitor);
            return degraded.hasLeader() && degraded.quorum().healthyVoters == 2;
        },
        20000));
    const ReclaimPlan plan = ReclaimRunbook::plan(degraded, {});
    QVERIFY(!plan.allowed);
    QVERIFY2(plan.sentence.contains(QLatin1String("would lose quorum")), qPrintable(plan.sentence));

    const CliRun cli = runQuorumdeck({"reclaim", "--dir", m_demo.dir()});
    QCOMPARE(cli.exitCode, 1);
    QVERIFY2(cli.err.contains("would lose quorum"), cli.err.constData());
    QVERIFY(m_demo.act(name, LocalCluster::MemberAction::Restart).ok());
}

QTEST_GUILESS_MAIN(StorageIntegrationTest)
#include "tst_storage_integration.moc"

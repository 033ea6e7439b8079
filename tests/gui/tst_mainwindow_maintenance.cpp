#include "MainWindowFixture.h"

#include "cluster/ConsistencyReport.h"
#include "keyspace/KeyspacePanel.h"
#include "keyspace/PrefixTree.h"
#include "keyspace/ValueViewer.h"
#include "overview/ConsistencyLine.h"
#include "session/ConsistencySession.h"
#include "storage/StorageModel.h"
#include "storage/StoragePanel.h"

#include <QPushButton>
#include <QTableView>
#include <QTableWidget>

/// Consistency on Overview, the CORRUPT alarm's Disarm behind a consistency check, and the
/// Keyspace tab, against a real demo cluster.
class TestMainWindowMaintenance : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_fx.setUp(0, false); }
    void init()
    {
        m_fx.ready();
        Confirm::takeQuestions();
    }
    void cleanupTestCase() { m_fx.tearDown(); }
    void overviewSaysTheMembersAgree();
    void disarmingCorruptChecksFirst();
    void divergentMembersNeedASecondConfirmationNamingThem();
    void keyspaceShowsPrefixesLargestKeysAndValues();

private:
    EtcdClient *client() const { return m_fx.window()->session()->client(); }
    void put(const QByteArray &key, const QByteArray &value);
    QList<AlarmInfo> alarms();

    MainWindowFixture m_fx;
};

void TestMainWindowMaintenance::put(const QByteArray &key, const QByteArray &value)
{
    // Shared with the callback, which may still arrive after a failed wait has returned.
    auto r = std::make_shared<std::optional<EtcdResult<ResponseHeaderInfo>>>();
    client()->put(client()->settings().endpoints.first(), key, value, nullptr, [r](const auto &a) { *r = a; });
    QTRY_VERIFY_WITH_TIMEOUT(r->has_value(), 10000);
    QVERIFY2((*r)->ok(), qPrintable((*r)->error.sentence));
}

QList<AlarmInfo> TestMainWindowMaintenance::alarms()
{
    auto r = std::make_shared<std::optional<EtcdResult<QList<AlarmInfo>>>>();
    client()->alarmList(client()->settings().endpoints.first(), nullptr, [r](const auto &a) { *r = a; });
    if (!QTest::qWaitFor([&] { return r->has_value(); }, 10000) || !(*r)->ok())
        return {{0, AlarmType::None}};
    return *(*r)->value;
}

void TestMainWindowMaintenance::overviewSaysTheMembersAgree()
{
    ConsistencyLine *line = m_fx.window()->consistencyLine();
    // The first check runs once the cluster has a leader.
    QTRY_VERIFY2_WITH_TIMEOUT(
        line->text().contains(QLatin1String("consistent at revision")), qPrintable(line->text()), 20000);
    const int64_t before = m_fx.window()->session()->consistency()->last()->revision;
    put("/gui-consistency/marker", "1");
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().members().first().revision > before, 5000);
    // On demand: a newer revision.
    QVERIFY(line->checkButton()->isEnabled());
    line->checkButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->consistency()->last()->revision > before, 20000);
    QVERIFY2(line->text().contains(QLatin1String("just now")), qPrintable(line->text()));
    m_fx.savePicture(QStringLiteral("overview-consistency"));

    // Described as an operator reads it, minutes later, or in red naming the divergent one.
    ConsistencyReport r = *m_fx.window()->session()->consistency()->last();
    QCOMPARE(ConsistencyLine::describe(r, r.checkedAtMs + 4 * 60 * 1000 + 5000),
        QStringLiteral("Data: consistent at revision %1, 4 min ago").arg(r.revision));
    QList<MemberHash> split = r.members;
    split[1].hash ^= 1;
    const ConsistencyReport divergent = ConsistencyReport::decide(r.revision, split, 3);
    QVERIFY2(ConsistencyLine::describe(divergent, divergent.checkedAtMs)
                 .startsWith(QStringLiteral("Data: %1 diverges").arg(split.at(1).name)),
        qPrintable(ConsistencyLine::describe(divergent, divergent.checkedAtMs)));
}

void TestMainWindowMaintenance::disarmingCorruptChecksFirst()
{
    // etcd raises CORRUPT itself only when its own check finds members differ; the alarm
    // API raises it on demand.
    const ClusterSnapshot s = m_fx.window()->session()->snapshot();
    const MemberState *etcd2 = s.findMember(QStringLiteral("etcd2"));
    QVERIFY(etcd2);
    auto raised = std::make_shared<std::optional<EtcdResult<QList<AlarmInfo>>>>();
    client()->alarmRaise(client()->settings().endpoints.first(), {etcd2->id, AlarmType::Corrupt}, nullptr,
        [raised](const auto &a) { *raised = a; });
    QTRY_VERIFY_WITH_TIMEOUT(raised->has_value(), 10000);
    QVERIFY2((*raised)->ok(), qPrintable((*raised)->error.sentence));

    StoragePanel *panel = m_fx.window()->storage();
    m_fx.window()->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel);
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int r = 0; r < panel->model()->rowCount(); ++r) {
                const QModelIndex name = panel->model()->index(r, 0);
                const QModelIndex alarms = panel->model()->index(r, StorageModel::Alarms);
                if (name.data().toString().startsWith(QLatin1String("etcd2"))
                    && alarms.data().toString().contains(QLatin1String("CORRUPT")))
                    row = r;
            }
            return row >= 0;
        }(),
        15000);
    panel->view()->selectRow(row);
    QTRY_VERIFY2_WITH_TIMEOUT(panel->headline().contains(QLatin1String("Disarm checks consistency first")),
        qPrintable(panel->headline()), 5000);
    m_fx.savePicture(QStringLiteral("storage-corrupt"));
    QSignalSpy checked(m_fx.window()->session()->consistency(), &ConsistencySession::reportReady);
    Confirm::setNextAnswer(true);
    panel->askDisarmSelected();
    // A check runs first; its verdict is in the one question asked.
    QVERIFY(checked.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(alarms().isEmpty(), 15000);
    const QStringList questions = Confirm::takeQuestions();
    QCOMPARE(questions.size(), 1);
    QVERIFY2(questions.first().contains(QLatin1String("Disarm CORRUPT on etcd2?"))
            && questions.first().contains(QLatin1String("found the members agree: consistent at revision")),
        qPrintable(questions.first()));
}

void TestMainWindowMaintenance::divergentMembersNeedASecondConfirmationNamingThem()
{
    StoragePanel *panel = m_fx.window()->storage();
    QSignalSpy disarm(panel, &StoragePanel::disarmRequested);
    QList<MemberHash> members;
    for (int i = 1; i <= 3; ++i) {
        MemberHash h;
        h.id = uint64_t(i);
        h.name = QStringLiteral("etcd%1").arg(i);
        h.outcome = MemberHash::Outcome::Hashed;
        h.hash = i == 3 ? 7 : 9;
        members << h;
    }
    const ConsistencyReport report = ConsistencyReport::decide(100, members, 3);
    QCOMPARE(report.divergentNames(), QStringList {QStringLiteral("etcd3")});

    // Cancelled at the first question: nothing.
    Confirm::setNextAnswer(false);
    panel->confirmCorruptDisarm(3, QStringLiteral("etcd3"), report);
    QCOMPARE(Confirm::takeQuestions().size(), 1); // asked at once; the answer comes later
    // Cancelled at the second: nothing either.
    Confirm::setNextAnswer(true);
    Confirm::setNextAnswer(false);
    panel->confirmCorruptDisarm(3, QStringLiteral("etcd3"), report);
    QStringList asked;
    QTRY_VERIFY_WITH_TIMEOUT((asked += Confirm::takeQuestions()).size() == 2, 2000);
    QVERIFY2(asked.at(0).contains(QLatin1String("confirms the alarm")) && asked.at(0).contains(QLatin1String("etcd3")),
        qPrintable(asked.at(0)));
    QVERIFY2(
        asked.at(1).startsWith(QLatin1String("Second confirmation")) && asked.at(1).contains(QLatin1String("etcd3")),
        qPrintable(asked.at(1)));
    QCOMPARE(disarm.count(), 0);
    // A verdict reached without the alarmed member does not count as agreement about it.
    QList<MemberHash> withoutIt = members;
    withoutIt[2].outcome = MemberHash::Outcome::NoAnswer;
    withoutIt[2].error = QStringLiteral("does not answer");
    const ConsistencyReport partial = ConsistencyReport::decide(100, withoutIt, 3);
    QCOMPARE(partial.verdict, ConsistencyReport::Verdict::Consistent);
    Confirm::setNextAnswer(false);
    panel->confirmCorruptDisarm(3, QStringLiteral("etcd3"), partial);
    const QStringList unknown = Confirm::takeQuestions();
    QCOMPARE(unknown.size(), 1);
    QVERIFY2(unknown.first().contains(QLatin1String("without knowing whether the members agree"))
            && unknown.first().contains(QLatin1String("etcd3 was not hashed (does not answer)")),
        qPrintable(unknown.first()));

    // Both answered: disarmed once.
    Confirm::setNextAnswer(true);
    Confirm::setNextAnswer(true);
    panel->confirmCorruptDisarm(3, QStringLiteral("etcd3"), report);
    QTRY_COMPARE_WITH_TIMEOUT(disarm.count(), 1, 2000);
    QCOMPARE(disarm.first().at(0).toULongLong(), 3u);
}

void TestMainWindowMaintenance::keyspaceShowsPrefixesLargestKeysAndValues()
{
    for (int i = 0; i < 30; ++i)
        QD_STEP(put("/registry/configmaps/ns-" + QByteArray::number(i % 3) + "/cm-" + QByteArray::number(i),
            R"({"data":{"k":")" + QByteArray(40 + i, 'v') + R"("}})"));
    // A Deployment as the API server stores it in protobuf: "k8s\0" and runtime.Unknown.
    const QByteArray typeMeta = QByteArray("\x0a\x07") + "apps/v1" + QByteArray("\x12\x0a") + "Deployment";
    const QByteArray raw(3000, 'r');
    QByteArray unknown = QByteArray("\x0a") + char(typeMeta.size()) + typeMeta;
    unknown += QByteArray("\x12\xb8\x17", 3) + raw; // raw = 2, length 3000 as a varint
    QD_STEP(put("/registry/deployments/default/web", QByteArray("k8s\0", 4) + unknown));

    KeyspacePanel *panel = m_fx.window()->keyspace();
    m_fx.window()->findChild<QTabWidget *>("tabs")->setCurrentWidget(panel);
    panel->walk();
    QTRY_VERIFY2_WITH_TIMEOUT(panel->status().contains(QLatin1String("keys,")), qPrintable(panel->status()), 20000);
    // The whole keyspace at the top, "/registry" beneath it with its resources.
    QTreeWidgetItem *all = panel->tree()->topLevelItem(0);
    QVERIFY(all);
    QTreeWidgetItem *registry = nullptr;
    for (int i = 0; i < all->childCount(); ++i)
        if (all->child(i)->text(PrefixTree::Prefix) == QLatin1String("/registry"))
            registry = all->child(i);
    QVERIFY(registry);
    QCOMPARE(registry->text(PrefixTree::Keys), QStringLiteral("31"));
    QCOMPARE(registry->childCount(), 2);
    // The largest key is the Deployment; its value shows its kind from the envelope.
    QVERIFY(panel->largest()->rowCount() >= 2);
    QCOMPARE(panel->largest()->item(0, 0)->text(), QStringLiteral("/registry/deployments/default/web"));
    panel->largest()->setCurrentCell(0, 0);
    QTRY_VERIFY2_WITH_TIMEOUT(panel->viewer()->headline().contains(QLatin1String("Kubernetes apps/v1 Deployment")),
        qPrintable(panel->viewer()->headline()), 10000);
    QVERIFY(panel->viewer()->body().startsWith(QLatin1String("00000000  6b 38 73 00")));
    // A JSON value is shown indented.
    panel->largest()->setCurrentCell(1, 0);
    QTRY_VERIFY_WITH_TIMEOUT(panel->viewer()->body().startsWith(QLatin1String("{\n    \"data\"")), 10000);
    m_fx.savePicture(QStringLiteral("keyspace"));
}

QTEST_MAIN(TestMainWindowMaintenance)
#include "tst_mainwindow_maintenance.moc"

#include "MainWindowFixture.h"
#include "elections/ElectionsTimeline.h"
#include "elections/EventsModel.h"
#include "lb/LbModel.h"
#include "lb/LoadBalancerPanel.h"
#include "logs/MemberLogModel.h"
#include "logs/MemberLogView.h"
#include "overview/TopologyView.h"
#include "support/DemoLoadBalancer.h"
#include "support/TestTiming.h"
#include "widgets/NotificationBar.h"
#include "widgets/OperationProgress.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>

/// The members of a real demo cluster in the console window: the leader, leadership moves,
/// elections, learners, refused removals, and an election's traces in the members' logs.
class TestMainWindowMembers : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { m_fx.setUp(0, false); }
    void init() { m_fx.ready(); }
    void cleanupTestCase() { m_fx.tearDown(); }
    void listsMembersWithExactlyOneLeader();
    void transferLeadershipMovesTheLeader();
    void killingTheLeaderShowsAnElection();
    void learnerAddedPromotedAndRemoved();
    void refusedRemovalShowsItsReason();
    void electionJumpsToTheMembersLogs();

private:
    MainWindowFixture m_fx;
};

void TestMainWindowMembers::listsMembersWithExactlyOneLeader()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.window()->membersModel()->rowCount(), 3, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.leaderName().isEmpty(), 10000);
    QCOMPARE(m_fx.window()->topology()->badgeText(), QStringLiteral("3 voters · quorum 2 · survives 1 failure"));
    QVERIFY(m_fx.window()->action("killLeader")->isEnabled());
    m_fx.savePicture("members");
}

void TestMainWindowMembers::transferLeadershipMovesTheLeader()
{
    const QString before = m_fx.leaderName();
    QString target;
    for (const QString &name : {"etcd1", "etcd2", "etcd3"}) {
        if (name != before)
            target = name;
    }
    QVERIFY(m_fx.window()->selectMember(target));
    QVERIFY(m_fx.window()->action("transferLeader")->isEnabled());
    Confirm::setNextAnswer(true);
    m_fx.window()->action("transferLeader")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.leaderSeenByCore(), target, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.leaderName(), target, 5000);
    QVERIFY(Confirm::lastQuestion().contains(target));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->notifications()->text().startsWith("Leadership moved"), 5000);
    // The election is in the event list, marked as the operator's.
    const EventsModel *events = m_fx.window()->eventsModel();
    QTRY_VERIFY_WITH_TIMEOUT(events->rowCount() > 0
            && events->data(events->index(events->rowCount() - 1, EventsModel::Cause)).toString()
                == QLatin1String("operator's transfer"),
        5000);
    m_fx.savePicture("transfer");
}

void TestMainWindowMembers::killingTheLeaderShowsAnElection()
{
    const QString before = m_fx.leaderName();
    QVERIFY(!before.isEmpty());
    const int eventsBefore = m_fx.window()->eventsModel()->rowCount();
    m_fx.window()->action("killLeader")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.leaderName().isEmpty() && m_fx.leaderName() != before, 15000);
    // The overview shows the new leader and the event list the election.
    const EventsModel *events = m_fx.window()->eventsModel();
    bool elected = false;
    for (int r = eventsBefore; r < events->rowCount(); ++r)
        elected |= events->eventAt(r)->type == ClusterEvent::Type::LeaderChanged;
    QVERIFY(elected);
    // The timeline ends the killed leader's band at the election and opens the new one's.
    const ElectionsTimeline *timeline = m_fx.window()->timeline();
    QTRY_VERIFY2_WITH_TIMEOUT(timeline->bands().size() >= 2,
        qPrintable(QStringLiteral("%1 band(s) on the timeline").arg(timeline->bands().size())), 5000);
    QCOMPARE(events->names().value(timeline->bands().at(timeline->bands().size() - 2).leader), before);
    QCOMPARE(events->names().value(timeline->bands().last().leader), m_fx.leaderName());
    // ...and the journal has it.
    QSignalSpy loaded(m_fx.journal(), &Journal::historyLoaded);
    m_fx.journal()->loadHistory(m_fx.window()->session()->snapshot().clusterId());
    QVERIFY(loaded.wait(5000));
    const auto journalled = loaded.first().at(1).value<QList<ClusterEvent>>();
    QVERIFY(std::any_of(journalled.cbegin(), journalled.cend(), [&](const ClusterEvent &e) {
        return e.type == ClusterEvent::Type::LeaderChanged && e.from != 0
            && m_fx.window()->session()->snapshot().member(e.from)
            && m_fx.window()->session()->snapshot().member(e.from)->name == before;
    }));
    const auto actions = loaded.first().at(2).value<QList<OperatorAction>>();
    QVERIFY(std::any_of(actions.cbegin(), actions.cend(),
        [](const OperatorAction &a) { return a.action == QLatin1String("demo-kill") && a.result == "done"; }));
    m_fx.savePicture("election");

    // Selecting the election in the Elections tab marks its time on the timeline.
    auto *tabs = m_fx.window()->findChild<QTabWidget *>("tabs");
    QVERIFY(tabs);
    tabs->setCurrentWidget(m_fx.window()->findChild<QWidget *>("electionsSplit"));
    int electionRow = -1;
    for (int r = 0; r < events->rowCount(); ++r) {
        if (events->eventAt(r)->type == ClusterEvent::Type::LeaderChanged)
            electionRow = r;
    }
    m_fx.window()->eventsView()->setCurrentIndex(events->index(electionRow, 0));
    QCOMPARE(m_fx.window()->timeline()->markedTime(), events->eventAt(electionRow)->timeMs);
    m_fx.savePicture("elections-tab");
    tabs->setCurrentIndex(0);

    // Bring it back for the next test.
    QVERIFY(m_fx.window()->selectMember(before));
    m_fx.window()->action("demoRestart")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy(), 20000);
}

void TestMainWindowMembers::learnerAddedPromotedAndRemoved()
{
    ConsoleSession *session = m_fx.window()->session();
    // The demo's load balancer follows the membership below.
    QD_REQUIRE_DEMO_LB(session->lb(), session->lbUnavailable());
    QSignalSpy finished(session, &ConsoleSession::operationFinished);
    QSignalSpy amounts(session, &ConsoleSession::operationAmount);
    // On the demo cluster the new member's process is started for the operator, and the
    // add ends once it holds what the cluster held when it joined.
    session->addMember("etcd4", {session->proposePeerUrl()}, true);
    QVERIFY(finished.wait(90000));
    const auto added = finished.takeFirst().at(1).value<OperationResult>();
    QVERIFY2(added.ok(), qPrintable(added.sentence));
    QVERIFY2(added.sentence.contains("etcd4 has caught up (index "), qPrintable(added.sentence));
    // The status bar followed it: from "starting" (nothing known yet) to all of the target.
    QVERIFY(amounts.size() >= 2);
    QCOMPARE(amounts.first().at(0).toString(), QStringLiteral("etcd4 is starting"));
    QCOMPARE(amounts.first().at(2).toLongLong(), 0);
    const qint64 target = amounts.last().at(2).toLongLong();
    QVERIFY(target > 0);
    QCOMPARE(amounts.last().at(1).toLongLong(), target);
    QVERIFY(m_fx.window()->operationProgress()->figures().samples > 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().findMember("etcd4")
            && m_fx.window()->session()->snapshot().findMember("etcd4")->reachable,
        15000);
    QCOMPARE(m_fx.window()->session()->snapshot().findMember("etcd4")->role, MemberRole::Learner);
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.window()->membersModel()->rowCount(), 4, 5000);
    // The demo's load balancer takes the new member in as a backend, out of rotation while
    // it is a learner (it cannot serve clients).
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.window()->topology()->edgeState("etcd4"), QStringLiteral("MAINT"), 10000);

    QVERIFY(m_fx.window()->selectMember("etcd4"));
    QVERIFY(m_fx.window()->action("promoteLearner")->isEnabled());
    Confirm::setNextAnswer(true);
    m_fx.window()->action("promoteLearner")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.window()->session()->snapshot().findMember("etcd4")->isLearner, 30000);
    QVERIFY(Confirm::lastQuestion().contains("entries behind"));
    // A voter now: in rotation.
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.window()->topology()->edgeState("etcd4"), QStringLiteral("UP"), 10000);
    m_fx.savePicture("promoted");

    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy(), 10000);
    QVERIFY(m_fx.window()->selectMember("etcd4"));
    Confirm::setNextAnswer(true);
    m_fx.window()->action("removeMember")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.window()->membersModel()->rowCount(), 3, 15000);
    QVERIFY(Confirm::lastQuestion().contains("Before: 4 voters"));
    // The member leaves the list first; its process stops and its data goes after that.
    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.window()->session()->demo()->manifest().member("etcd4"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fx.window()->session()->isBusy(), 15000);
    // ...and the load balancer lets it go with the member.
    QTRY_COMPARE_WITH_TIMEOUT(m_fx.window()->loadBalancer()->model()->rowCount(), 3, 5000);
    QVERIFY(!m_fx.window()->session()->demo()->manifest().lb.configFile.isEmpty());
}

void TestMainWindowMembers::refusedRemovalShowsItsReason()
{
    // With one follower down, removing a healthy member would leave 1 healthy of 2 voters.
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy() && !m_fx.leaderName().isEmpty(), 20000);
    QString down, healthy;
    for (const QString &name : {"etcd1", "etcd2", "etcd3"}) {
        if (name == m_fx.leaderName())
            continue;
        (down.isEmpty() ? down : healthy) = name;
    }
    QVERIFY(!down.isEmpty() && !healthy.isEmpty());
    // The previous test's last operation may still be finishing, and a snapshot may move the
    // selection: select and kill (at most every 2 s) until the member is seen down.
    QElapsedTimer sinceKill;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const MemberState *m = m_fx.window()->session()->snapshot().findMember(down);
            if (m && !m->reachable)
                return true;
            if ((!sinceKill.isValid() || sinceKill.elapsed() > 2000) && m_fx.window()->selectMember(down)
                && m_fx.window()->action("demoKill")->isEnabled()) {
                Confirm::setNextAnswer(true);
                m_fx.window()->action("demoKill")->trigger();
                sinceKill.start();
            }
            return false;
        },
        20000));

    QVERIFY(m_fx.window()->selectMember(healthy));
    m_fx.window()->action("removeMember")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->notifications()->text().startsWith("Refused: "), 5000);
    QVERIFY2(m_fx.window()->notifications()->text().contains("below the quorum"),
        qPrintable(m_fx.window()->notifications()->text()));
    QCOMPARE(m_fx.window()->notifications()->kind(), NotificationBar::Kind::Failure);
    QCOMPARE(m_fx.window()->membersModel()->rowCount(), 3);
    m_fx.savePicture("refused-removal");

    // Bring it back for the next test.
    QVERIFY(m_fx.window()->selectMember(down));
    m_fx.window()->action("demoRestart")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy(), 20000);
}

void TestMainWindowMembers::electionJumpsToTheMembersLogs()
{
    QD_STEP(m_fx.ensureElection());
    auto *tabs = m_fx.window()->findChild<QTabWidget *>("tabs");
    const EventsModel *events = m_fx.window()->eventsModel();
    const int electionRow = m_fx.lastElectionRow();
    QVERIFY(electionRow >= 0);
    const ClusterEvent election = *events->eventAt(electionRow);
    const QString winner = events->names().value(election.to);
    // The log view opens the winner's log afresh for the jump: show another member first.
    // (Jumping within the log already shown uses what was read so far, up to one read
    // interval old.)
    MemberLogView *logs = m_fx.window()->logs();
    logs->showMember(winner == QLatin1String("etcd1") ? QStringLiteral("etcd2") : QStringLiteral("etcd1"));
    tabs->setCurrentWidget(m_fx.window()->findChild<QSplitter *>("electionsSplit"));
    m_fx.window()->eventsView()->setCurrentIndex(events->index(electionRow, 0));
    QTRY_VERIFY(m_fx.window()->action("showInLogs")->isEnabled());
    m_fx.window()->action("showInLogs")->trigger();

    QCOMPARE(tabs->currentWidget(), logs);
    QCOMPARE(logs->currentMember(), winner);
    QVERIFY(!logs->following()); // a jump stops following
    // The selected line is the winner's own leadership line, near the event.
    QTRY_VERIFY_WITH_TIMEOUT(logs->view()->currentIndex().isValid(), 5000);
    const MemberLogEntry *line = logs->model()->entryAt(logs->view()->currentIndex().row());
    QVERIFY(line);
    QVERIFY2(line->isLeadership(), qPrintable(line->raw));
    const QString leadershipLine = line->raw;
    QVERIFY2(std::abs(line->timeMs - election.timeMs) <= TestTiming::upTo(2000), qPrintable(line->raw));
    QVERIFY(logs->model()->data(logs->view()->currentIndex(), Qt::UserRole).toBool()); // highlighted
    m_fx.savePicture("member-logs");

    // Filters: level, then text.
    auto *level = logs->findChild<QComboBox *>("logLevel");
    level->setCurrentIndex(2); // warnings and errors
    for (int r = 0; r < logs->model()->rowCount(); ++r) {
        const MemberLogEntry::Level l = logs->model()->entryAt(r)->level;
        QVERIFY(l >= MemberLogEntry::Level::Warn);
    }
    level->setCurrentIndex(0);
    logs->findChild<QLineEdit *>("logText")->setText("became leader");
    QVERIFY2(logs->model()->rowCount() >= 1, qPrintable(leadershipLine));
    for (int r = 0; r < logs->model()->rowCount(); ++r)
        QVERIFY(logs->model()->entryAt(r)->raw.contains("became leader"));
    logs->findChild<QLineEdit *>("logText")->clear();

    // Following picks up what the member writes next.
    logs->findChild<QCheckBox *>("logFollow")->setChecked(true);
    const int rows = logs->model()->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(m_fx.window()->session()->snapshot().isHealthy(), 20000);
    QString target = logs->currentMember(); // the shown member wins the next election
    if (target == m_fx.leaderName())
        target = target == QLatin1String("etcd1") ? QStringLiteral("etcd2") : QStringLiteral("etcd1");
    QVERIFY(m_fx.window()->selectMember(target));
    Confirm::setNextAnswer(true);
    m_fx.window()->action("transferLeader")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() > rows, 10000);

    // Every member merged by time, filtered by member; a leadership line leads back to the
    // election it explains.
    logs->showMember(MemberLogView::allMembers());
    QTRY_COMPARE_WITH_TIMEOUT(logs->model()->sources(), (QStringList {"etcd1", "etcd2", "etcd3"}), 10000);
    QVERIFY(!logs->view()->isColumnHidden(MemberLogModel::Source));
    for (int r = 1; r < logs->model()->rowCount(); ++r)
        QVERIFY(logs->model()->entryAt(r - 1)->timeMs <= logs->model()->entryAt(r)->timeMs);
    auto *byMember = logs->findChild<QComboBox *>("logSourceFilter");
    QVERIFY(!byMember->isHidden());
    byMember->setCurrentIndex(byMember->findData(winner));
    QVERIFY(logs->model()->rowCount() > 0);
    for (int r = 0; r < logs->model()->rowCount(); ++r)
        QCOMPARE(logs->model()->entryAt(r)->source, winner);
    byMember->setCurrentIndex(0);
    logs->findChild<QLineEdit *>("logText")->setText(" became leader at term " + QString::number(election.term));
    QTRY_VERIFY_WITH_TIMEOUT(logs->model()->rowCount() == 1, 10000);
    QCOMPARE(logs->model()->entryAt(0)->source, winner);
    m_fx.savePicture("member-logs-merged");
    emit logs->view()->activated(logs->model()->index(0, MemberLogModel::Message));
    QCOMPARE(tabs->currentWidget(), m_fx.window()->findChild<QSplitter *>("electionsSplit"));
    const ClusterEvent *shown = events->eventAt(m_fx.window()->eventsView()->currentIndex().row());
    QVERIFY(shown);
    QCOMPARE(shown->term, election.term);
    QCOMPARE(shown->to, election.to);
    logs->findChild<QLineEdit *>("logText")->clear();
    tabs->setCurrentIndex(0);
}

QTEST_MAIN(TestMainWindowMembers)
#include "tst_mainwindow_members.moc"

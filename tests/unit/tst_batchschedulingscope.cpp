#include "local/BatchSchedulingScope.h"

#include <QProcess>
#include <QtTest>
#include <csignal>
#include <sched.h>
#include <thread>

namespace {

/// The policy of a child started now as the demo starts its members (detached: two forks
/// and a new session), read from the kernel while the child runs.
int childPolicy()
{
    QProcess child;
    child.setProgram(QStringLiteral("sleep"));
    child.setArguments({QStringLiteral("30")});
    qint64 pid = 0;
    if (!child.startDetached(&pid))
        return -1;
    const int policy = sched_getscheduler(pid_t(pid));
    ::kill(pid_t(pid), SIGKILL);
    return policy;
}

/// Whether a thread of this process may take the policy: a security policy may refuse it.
bool mayTake(int policy)
{
    bool allowed = false;
    std::thread([&] {
        const sched_param param {};
        allowed = sched_setscheduler(0, policy, &param) == 0;
    }).join();
    return allowed;
}

} // namespace

class TestBatchSchedulingScope : public QObject {
    Q_OBJECT
private slots:
    void childrenStartedInTheScopeRunAsBatch();
    void anotherPolicyIsLeftAlone();
};

void TestBatchSchedulingScope::childrenStartedInTheScopeRunAsBatch()
{
    if (sched_getscheduler(0) != SCHED_OTHER)
        QSKIP("this test runs under a policy of its own (chrt), which the scope leaves alone");
    if (!mayTake(SCHED_BATCH))
        QSKIP("this machine refuses SCHED_BATCH to the test");
    {
        const BatchSchedulingScope scope;
        QVERIFY(scope.active());
        QCOMPARE(sched_getscheduler(0), SCHED_BATCH);
        QCOMPARE(childPolicy(), SCHED_BATCH);
    }
    // The thread itself, and what it starts next, are back to the default.
    QCOMPARE(sched_getscheduler(0), SCHED_OTHER);
    QCOMPARE(childPolicy(), SCHED_OTHER);
}

void TestBatchSchedulingScope::anotherPolicyIsLeftAlone()
{
    // SCHED_IDLE needs no privilege, so it stands for whatever the operator chose. On a
    // thread of its own: an unprivileged thread may not leave SCHED_IDLE again.
    if (!mayTake(SCHED_IDLE))
        QSKIP("this machine refuses SCHED_IDLE to the test");
    int inScope = -1, child = -1, after = -1;
    bool active = true;
    std::thread([&] {
        const sched_param param {};
        if (sched_setscheduler(0, SCHED_IDLE, &param) != 0)
            return;
        {
            const BatchSchedulingScope scope;
            active = scope.active();
            inScope = sched_getscheduler(0);
            child = childPolicy();
        }
        after = sched_getscheduler(0);
    }).join();
    QVERIFY(!active);
    QCOMPARE(inScope, SCHED_IDLE);
    QCOMPARE(child, SCHED_IDLE);
    QCOMPARE(after, SCHED_IDLE);
}

QTEST_GUILESS_MAIN(TestBatchSchedulingScope)
#include "tst_batchschedulingscope.moc"

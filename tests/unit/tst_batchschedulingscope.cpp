#include "local/BatchSchedulingScope.h"

#include <QProcess>
#include <QtTest>
#include <sched.h>
#include <thread>

namespace {

/// The policy of a child started now, read from the kernel while the child runs.
int childPolicy()
{
    QProcess child;
    child.start(QStringLiteral("sleep"), {QStringLiteral("30")});
    if (!child.waitForStarted(5000))
        return -1;
    const int policy = sched_getscheduler(pid_t(child.processId()));
    child.kill();
    child.waitForFinished(5000);
    return policy;
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
    // On a thread of its own: an unprivileged thread may not leave SCHED_IDLE again.
    int inScope = -1, child = -1, after = -1;
    bool active = true;
    std::thread([&] {
        // SCHED_IDLE needs no privilege, so it stands for whatever the operator chose.
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

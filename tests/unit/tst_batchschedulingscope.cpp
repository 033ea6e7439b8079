#include "demo/BatchSchedulingScope.h"
#include "demo/DetachedProcess.h"

#include <QtTest>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sched.h>
#include <thread>

namespace {

/// The policy of a child started now as the demo starts its members (DetachedProcess: a
/// session of its own), read from the kernel while the child runs.
int childPolicy()
{
    DetachedProcess child;
    child.program = QStringLiteral("sleep");
    child.arguments = {QStringLiteral("30")};
    const Result<qint64> pid = child.start();
    if (!pid)
        return -1;
    const int policy = sched_getscheduler(pid_t(pid.value()));
    ::kill(pid_t(pid.value()), SIGKILL);
    return policy;
}

/// What a thread saw of its scheduling policy in and after a BatchSchedulingScope, and of
/// the policy of a child it started meanwhile. `error` says what could not be set up.
struct ScopeRun {
    QString error;
    bool active = false;
    int inScope = -1;
    int child = -1;
    int after = -1;
    int childAfter = -1;
};

/// Runs a scope on a fresh thread that first takes `policy`. Lowering a thread to
/// SCHED_OTHER, SCHED_BATCH or SCHED_IDLE needs no privilege on Linux, so a refusal is a
/// failure of the test's setup, not a reason to skip. The thread is a fresh one so that the
/// test does not depend on the policy it was started under (chrt), and so that a thread put
/// under SCHED_IDLE, which an unprivileged thread may not leave again, is thrown away.
ScopeRun runScopeUnder(int policy)
{
    ScopeRun run;
    std::thread([&] {
        const sched_param param {};
        if (sched_setscheduler(0, policy, &param) != 0) {
            run.error = QStringLiteral("the kernel refused policy %1 to a thread of the test: %2")
                            .arg(policy)
                            .arg(QString::fromLocal8Bit(strerror(errno)));
            return;
        }
        {
            const BatchSchedulingScope scope;
            run.active = scope.active();
            run.inScope = sched_getscheduler(0);
            run.child = childPolicy();
        }
        run.after = sched_getscheduler(0);
        run.childAfter = childPolicy();
    }).join();
    return run;
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
    const ScopeRun run = runScopeUnder(SCHED_OTHER);
    QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
    QVERIFY(run.active);
    QCOMPARE(run.inScope, SCHED_BATCH);
    QCOMPARE(run.child, SCHED_BATCH);
    // The thread itself, and what it starts next, are back to the default.
    QCOMPARE(run.after, SCHED_OTHER);
    QCOMPARE(run.childAfter, SCHED_OTHER);
}

void TestBatchSchedulingScope::anotherPolicyIsLeftAlone()
{
    // SCHED_IDLE needs no privilege, so it stands for whatever the operator chose.
    const ScopeRun run = runScopeUnder(SCHED_IDLE);
    QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
    QVERIFY(!run.active);
    QCOMPARE(run.inScope, SCHED_IDLE);
    QCOMPARE(run.child, SCHED_IDLE);
    QCOMPARE(run.after, SCHED_IDLE);
    QCOMPARE(run.childAfter, SCHED_IDLE);
}

QTEST_GUILESS_MAIN(TestBatchSchedulingScope)
#include "tst_batchschedulingscope.moc"

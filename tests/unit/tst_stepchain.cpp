#include "common/StepChain.h"

#include <QTest>
#include <QTimer>

/// StepChain: named asynchronous steps, in order, stopping at the first failure.
class TestStepChain : public QObject {
    Q_OBJECT

    struct State {
        QStringList ran;
        int value = 0;
    };
    using Chain = StepChain<State>;

    /// A step that records itself and answers later, from the event loop.
    static Chain::Step later(const QString &name, Result<void> result = {})
    {
        return [name, result](State &s, Chain::Next next) {
            s.ran << name;
            QTimer::singleShot(1, [next, result] { next(result); });
        };
    }

private slots:
    void runsEveryStepInOrder()
    {
        Chain chain;
        chain.add("one", later("one")).add("two", later("two")).when(false, "skipped", later("skipped"));
        chain.add("three", [](State &s, Chain::Next next) {
            s.ran << "three";
            s.value = 42;
            next({}); // at once, without the event loop
        });
        QCOMPARE(chain.names(), QStringList({"one", "two", "three"}));
        QStringList progress;
        QList<int> positions;
        std::optional<bool> ok;
        QStringList ran;
        int value = 0;
        chain.run(
            std::make_shared<State>(),
            [&](const StepStart &step) {
                progress << step.name;
                positions << step.index << step.count;
                QVERIFY(step.stoppable);
            },
            [&](Result<void> r, State &s) {
                ok = r.ok();
                ran = s.ran;
                value = s.value;
            });
        QVERIFY(QTest::qWaitFor([&] { return ok.has_value(); }, 5000));
        QVERIFY(*ok);
        QCOMPARE(ran, QStringList({"one", "two", "three"}));
        QCOMPARE(progress, ran);
        QCOMPARE(positions, QList<int>({0, 3, 1, 3, 2, 3}));
        QCOMPARE(value, 42);
    }

    void stopsBeforeTheNextStoppableStep()
    {
        Chain chain;
        StopToken stop;
        chain.add("look", [stop](State &s, Chain::Next next) mutable {
            s.ran << "look";
            stop.request(); // the operator presses Cancel while this step runs
            QTimer::singleShot(1, [next] { next({}); });
        });
        chain.add("look again", later("look again"));
        chain.add("change", later("change"));
        std::optional<Result<void>> result;
        QStringList ran;
        chain.run(
            std::make_shared<State>(), {},
            [&](Result<void> r, State &s) {
                result = r;
                ran = s.ran;
            },
            stop);
        QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 5000));
        QCOMPARE(ran, QStringList({"look"}));
        QCOMPARE(result->error().kind(), Error::Kind::Stopped);
        QVERIFY2(result->error().sentence().contains(QStringLiteral("look again")), qPrintable(result->problem()));
    }

    void runsToTheEndPastThePointOfNoReturn()
    {
        Chain chain;
        StopToken stop;
        chain.add("check", later("check")).pointOfNoReturn();
        chain.add("move aside", [stop](State &s, Chain::Next next) mutable {
            s.ran << "move aside";
            stop.request(); // too late: half a change is worse than a whole one
            QTimer::singleShot(1, [next] { next({}); });
        });
        chain.add("put back", later("put back"));
        QList<bool> stoppable;
        std::optional<Result<void>> result;
        QStringList ran;
        chain.run(
            std::make_shared<State>(), [&](const StepStart &step) { stoppable << step.stoppable; },
            [&](Result<void> r, State &s) {
                result = r;
                ran = s.ran;
            },
            stop);
        QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 5000));
        QVERIFY2(result->ok(), qPrintable(result->problem()));
        QCOMPARE(ran, QStringList({"check", "move aside", "put back"}));
        QCOMPARE(stoppable, QList<bool>({true, false, false}));
    }

    void stopsAtTheFirstFailure()
    {
        Chain chain;
        chain.add("one", later("one"))
            .add("two", later("two", Error::unavailable("port 2380 is taken")))
            .add("three", later("three"));
        std::optional<Result<void>> result;
        QStringList ran;
        chain.run(std::make_shared<State>(), {}, [&](Result<void> r, State &s) {
            result = r;
            ran = s.ran;
        });
        QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 5000));
        QVERIFY(!result->ok());
        QCOMPARE(result->error().sentence(), QStringLiteral("port 2380 is taken"));
        QCOMPARE(result->error().kind(), Error::Kind::Unavailable);
        QCOMPARE(ran, QStringList({"one", "two"}));
    }

    void aSecondCallOfNextIsIgnored()
    {
        Chain chain;
        chain.add("twice", [](State &s, Chain::Next next) {
            s.ran << "twice";
            next({});
            next(Error::invalid("too late")); // ignored, here and now
        });
        chain.add("after", later("after"));
        int doneCalls = 0;
        bool ok = false;
        chain.run(std::make_shared<State>(), {}, [&](Result<void> r, State &) {
            ++doneCalls;
            ok = r.ok();
        });
        QVERIFY(QTest::qWaitFor([&] { return doneCalls > 0; }, 5000));
        QCOMPARE(doneCalls, 1);
        QVERIFY(ok);
    }

    void anEmptyChainSucceedsAtOnce()
    {
        bool done = false;
        Chain().run(std::make_shared<State>(), {}, [&](Result<void> r, State &) { done = r.ok(); });
        QVERIFY(done);
    }
};

QTEST_GUILESS_MAIN(TestStepChain)
#include "tst_stepchain.moc"

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
        std::optional<bool> ok;
        QStringList ran;
        int value = 0;
        chain.run(
            std::make_shared<State>(), [&](const QString &step) { progress << step; },
            [&](Result<void> r, State &s) {
                ok = r.ok();
                ran = s.ran;
                value = s.value;
            });
        QVERIFY(QTest::qWaitFor([&] { return ok.has_value(); }, 5000));
        QVERIFY(*ok);
        QCOMPARE(ran, QStringList({"one", "two", "three"}));
        QCOMPARE(progress, ran);
        QCOMPARE(value, 42);
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

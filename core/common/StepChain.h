#pragma once

#include "common/Result.h"
#include "common/StopToken.h"

#include <QString>
#include <functional>
#include <memory>
#include <vector>

/// A long operation written as a list of named asynchronous steps instead of callbacks
/// nested in callbacks: each step takes the state so far and calls `next` once, with
/// success or the Error that ends the chain. Steps run one after another on the thread that
/// runs the chain (each may wait on timers, processes or the network before calling next);
/// progress is told the name of each step as it starts. A failed step's Error reaches done
/// as the step gave it: its sentence is what the operator reads.
///
/// A chain may be stopped (StopToken) before any step added ahead of pointOfNoReturn():
/// those steps change nothing that a stop would leave half done. From the point of no return
/// on, a request to stop is not honoured; progress says which steps may be stopped before,
/// so that a Cancel button is offered only there.
///
///     StepChain<UpState> chain;
///     chain.add("stop leftover processes", &stopLeftovers)
///          .add("choose ports", &choosePorts)
///          .when(options.tls, "make certificates", &makeCertificates);
///     chain.run(state, progress, [](Result<void> r, UpState &s) { ... });
/// The step a chain starts, and where it is: told to the chain's progress.
struct StepStart {
    QString name;
    int index = 0; ///< from 0
    int count = 0; ///< steps in the chain
    bool stoppable = true; ///< the chain may still be stopped before this step
};

template <typename State> class StepChain {
public:
    using Next = std::function<void(Result<void>)>;
    using Step = std::function<void(State &state, Next next)>;
    using Progress = std::function<void(const StepStart &step)>;
    using Done = std::function<void(Result<void> result, State &state)>;

    StepChain &add(const QString &name, Step step)
    {
        m_steps.push_back({name, std::move(step), m_stoppable});
        return *this;
    }
    /// Steps added from here on change what a stop would leave half done: once the chain
    /// reaches them it runs to its end (or its first failure).
    StepChain &pointOfNoReturn()
    {
        m_stoppable = false;
        return *this;
    }
    /// Adds the step only when condition holds (an optional part of the operation).
    StepChain &when(bool condition, const QString &name, Step step)
    {
        if (condition)
            add(name, std::move(step));
        return *this;
    }

    QStringList names() const
    {
        QStringList out;
        for (const auto &s : m_steps)
            out << s.name;
        return out;
    }

    /// Runs every step in order, then done(success, state); or stops at the first failure,
    /// done(its error, state); or, when stop is requested, before the next step that may be
    /// stopped before, done(a Stopped error naming it, state). The steps and the state are
    /// kept alive until done has been called.
    void run(std::shared_ptr<State> state, Progress progress, Done done, StopToken stop = {}) const
    {
        auto steps = std::make_shared<const std::vector<Entry>>(m_steps);
        runFrom(0, std::move(steps), std::move(state), std::move(progress), std::move(done), std::move(stop));
    }

private:
    struct Entry {
        QString name;
        Step step;
        bool stoppable = true;
    };

    static void runFrom(size_t index, std::shared_ptr<const std::vector<Entry>> steps, std::shared_ptr<State> state,
        Progress progress, Done done, StopToken stop)
    {
        if (index == steps->size()) {
            done(Result<void>(), *state);
            return;
        }
        const Entry &entry = (*steps)[index];
        if (stop.requested() && entry.stoppable) {
            done(Error::stopped(QStringLiteral("stopped before “%1”, as asked").arg(entry.name)), *state);
            return;
        }
        if (progress)
            progress(StepStart {entry.name, int(index), int(steps->size()), entry.stoppable});
        // `next` may be called at once or later; either way exactly once.
        auto called = std::make_shared<bool>(false);
        entry.step(*state, [=](Result<void> result) {
            if (*called)
                return;
            *called = true;
            if (!result.ok()) {
                done(result, *state);
                return;
            }
            runFrom(index + 1, steps, state, progress, done, stop);
        });
    }

    std::vector<Entry> m_steps;
    bool m_stoppable = true;
};

#pragma once

#include "common/Result.h"
#include "common/StepChain.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>
#include <optional>

class QObject;

/// An operation on the demo that a step log has begun and not yet ended: what the next run
/// continues or rolls back.
struct PendingOperation {
    QString operation; ///< "restore" or "recover"
    QJsonObject begin; ///< the begin line: what the run was asked to do, and the manifest before it
    int lastStep = -1; ///< the index of the last step that began
    QList<QJsonObject> lines; ///< every line after the begin line

    /// The lines of one event ("aside", "restored", ...), oldest first.
    QList<QJsonObject> records(const QString &event) const;
    /// True when some line of event names member.
    bool has(const QString &event, const QString &member) const;
    /// True once the run reached its first step that changes the demo (the begin line's
    /// "firstChange"): before it there is nothing to finish or roll back.
    bool changedAnything() const { return lastStep >= begin.value(QStringLiteral("firstChange")).toInt(); }
};

/// DIR/recovery-steps.log: what a restore or a recovery of the demo did, one JSON object a
/// line, appended and flushed to disk *before* the step or change it announces. The console
/// may be killed at any point, a member may refuse to start; whatever happened, the log
/// names every data directory that was moved and where to, so that the next run can finish
/// the work or put everything back. Only ever appended: it is also the operator's record.
///
/// Lines: {"event":"begin","operation":…} opens an operation, {"event":"step","index":…,
/// "name":…} announces a step and {"event":"stepEnded",…} says how it ended, per-member events record changes before
/// they happen
/// ("aside", "restoring", "adding") and once they are done ("restored", "added",
/// "caughtUp"), and {"event":"end","outcome":"done"|"rolledBack"|"abandoned"}
/// closes it.
class StepLog {
public:
    explicit StepLog(QString dir);

    QString path() const;
    /// Appends line (with the time) and flushes it to disk; Io when it cannot, and then the
    /// step must not run.
    Result<void> append(QJsonObject line) const;
    Result<void> appendEvent(const QString &event, QJsonObject fields = {}) const;
    /// appendEvent() on the thread pool, so that a window's thread never waits for the disk
    /// (an fsync while etcd members write took up to 80 ms); done gets the outcome on
    /// context's thread. Callers go on only from done: lines keep their order, and each is
    /// on disk before what it announces.
    void appendEventThen(
        QObject *context, const QString &event, QJsonObject fields, std::function<void(Result<void>)> done) const;

    /// The operation the log leaves open, if any; Invalid when the log is unreadable.
    Result<std::optional<PendingOperation>> pending() const;

    /// Where a new run of operation starts: afresh (no previous), or continuing the open
    /// one when it is the same operation with the same begin[key] (the file restored, the
    /// member recovered from). Refused, with the commands that finish or undo it, while
    /// another operation is open or a rollback of it was interrupted.
    struct Start {
        std::optional<PendingOperation> previous;
        int resumeAt = 0;
    };
    Result<Start> start(const QString &operation, const QString &key, const QString &value) const;

    /// Closes the run in the log — "done" when it succeeded, "abandoned" when it failed
    /// before changing anything — and returns what a failure's sentence should add: an
    /// operation that failed after a change stays open, to be finished or rolled back.
    QString finish(const QString &operation, bool succeeded, bool changed) const;
    /// finish() on the thread pool; done gets its sentence on context's thread.
    void finishThen(QObject *context, const QString &operation, bool succeeded, bool changed,
        std::function<void(QString)> done) const;

    /// Test hook: the process kills itself (SIGKILL, no clean-up) when the environment's
    /// QUORUMDECK_KILL_AT equals point ("restore:4", or "restore:4.1" after a step's first
    /// member), so that the tests can interrupt a run at every step.
    static void killPoint(const QString &point);

private:
    QString m_dir;
};

/// The position of a run in an operation's steps: a resumed run skips the steps a previous
/// run finished (every step before the last one that began), except those that must always
/// run (reading the manifest, verifying, stopping the members), and re-runs the rest. Each
/// step it runs is written to the log first.
template <typename State> class LoggedSteps {
public:
    using Step = typename StepChain<State>::Step;
    using Next = typename StepChain<State>::Next;
    /// Told how each step that ran ended (for the journal).
    using Ended = std::function<void(const QString &step, const Result<void> &result)>;

    /// Lines are written on the thread pool and the steps go on on context's thread.
    LoggedSteps(QObject *context, const StepLog &log, QString operation, int resumeAt, Ended ended = {})
        : m_context(context)
        , m_log(log)
        , m_operation(std::move(operation))
        , m_resumeAt(resumeAt)
        , m_ended(std::move(ended))
    {
    }

    /// A step that a resumed run skips once a later one has begun.
    LoggedSteps &add(const QString &name, Step step) { return push(name, std::move(step), false); }
    /// A step every run performs.
    LoggedSteps &always(const QString &name, Step step) { return push(name, std::move(step), true); }

    /// The steps added from here on are not stopped before (StepChain::pointOfNoReturn).
    LoggedSteps &pointOfNoReturn()
    {
        m_chain.pointOfNoReturn();
        return *this;
    }

    const StepChain<State> &chain() const { return m_chain; }

private:
    LoggedSteps &push(const QString &name, Step step, bool always)
    {
        const int index = m_index++;
        const bool skip = !always && index < m_resumeAt;
        // Copies: the steps outlive this object, which is only a builder.
        const StepLog log = m_log;
        const Ended ended = m_ended;
        const QString point = m_operation + QLatin1Char(':') + QString::number(index);
        QObject *context = m_context;
        m_chain.add(name, [context, skip, log, ended, point, index, name, step](State &state, Next next) {
            if (skip)
                return next({});
            log.appendEventThen(context, QStringLiteral("step"),
                {{QStringLiteral("index"), index}, {QStringLiteral("name"), name}},
                [context, log, ended, point, index, name, step, &state, next](Result<void> logged) {
                    if (!logged)
                        return next(logged);
                    StepLog::killPoint(point);
                    step(state, [context, log, index, name, ended, next](Result<void> result) {
                        log.appendEventThen(context, QStringLiteral("stepEnded"),
                            {{QStringLiteral("index"), index}, {QStringLiteral("name"), name},
                                {QStringLiteral("ok"), result.ok()}, {QStringLiteral("problem"), result.problem()}},
                            [name, ended, next, result](Result<void>) {
                                // The end of a step is the operator's record; a failure to
                                // write it changes nothing for the next run.
                                if (ended)
                                    ended(name, result);
                                next(result);
                            });
                    });
                });
        });
        return *this;
    }

    QObject *m_context;
    StepLog m_log;
    QString m_operation;
    int m_resumeAt = 0;
    Ended m_ended;
    int m_index = 0;
    StepChain<State> m_chain;
};

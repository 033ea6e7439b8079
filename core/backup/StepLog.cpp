#include "backup/StepLog.h"
#include "backup/OffThread.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <csignal>
#include <unistd.h>

QList<QJsonObject> PendingOperation::records(const QString &event) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &line : lines)
        if (line.value(QStringLiteral("event")).toString() == event)
            out << line;
    return out;
}

bool PendingOperation::has(const QString &event, const QString &member) const
{
    for (const QJsonObject &line : records(event))
        if (line.value(QStringLiteral("member")).toString() == member)
            return true;
    return false;
}

StepLog::StepLog(QString dir)
    : m_dir(std::move(dir))
{
}

QString StepLog::path() const
{
    return QDir(m_dir).filePath(QStringLiteral("recovery-steps.log"));
}

Result<void> StepLog::append(QJsonObject line) const
{
    line.insert(QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    QFile f(path());
    if (!f.open(QIODevice::Append))
        return Error::io(QStringLiteral("cannot write the step log %1: %2").arg(path(), f.errorString()));
    const QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    // On disk before the step runs: a log that lags behind what was done cannot be replayed.
    if (f.write(bytes) != bytes.size() || !f.flush() || ::fsync(f.handle()) != 0)
        return Error::io(QStringLiteral("cannot write the step log %1: %2").arg(path(), f.errorString()));
    return {};
}

Result<void> StepLog::appendEvent(const QString &event, QJsonObject fields) const
{
    fields.insert(QStringLiteral("event"), event);
    return append(std::move(fields));
}

void StepLog::appendEventThen(
    QObject *context, const QString &event, QJsonObject fields, std::function<void(Result<void>)> done) const
{
    OffThread::run(
        context,
        [log = *this, event, fields = std::move(fields)]() mutable {
            return log.appendEvent(event, std::move(fields));
        },
        std::move(done));
}

Result<std::optional<PendingOperation>> StepLog::pending() const
{
    QFile f(path());
    if (!f.exists())
        return std::optional<PendingOperation>();
    if (!f.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read the step log %1: %2").arg(path(), f.errorString()));
    std::optional<PendingOperation> open;
    int number = 0;
    while (!f.atEnd()) {
        const QByteArray raw = f.readLine().trimmed();
        ++number;
        if (raw.isEmpty())
            continue;
        const QJsonObject line = QJsonDocument::fromJson(raw).object();
        const QString event = line.value(QStringLiteral("event")).toString();
        if (event.isEmpty()) {
            // A line cut short by a crash can only be the last one.
            if (f.atEnd())
                break;
            return Error::invalid(QStringLiteral("the step log %1 is damaged at line %2").arg(path()).arg(number));
        }
        if (event == QLatin1String("begin")) {
            open = PendingOperation {line.value(QStringLiteral("operation")).toString(), line, -1, {}};
        } else if (event == QLatin1String("end")) {
            open.reset();
        } else if (open) {
            if (event == QLatin1String("step"))
                open->lastStep = qMax(open->lastStep, line.value(QStringLiteral("index")).toInt());
            open->lines << line;
        }
    }
    return open;
}

namespace {

/// What refuses a new run while p is open.
QString unfinished(const PendingOperation &p)
{
    if (!p.records(QStringLiteral("rollback")).isEmpty())
        return QStringLiteral(
            "a rollback of a %1 was interrupted: run `quorumdeck demo %1 --rollback` again to finish it")
            .arg(p.operation);
    const QString again = p.operation == QLatin1String("restore")
        ? QStringLiteral("quorumdeck demo restore %1").arg(p.begin.value(QStringLiteral("file")).toString())
        : QStringLiteral("quorumdeck demo recover --from %1").arg(p.begin.value(QStringLiteral("from")).toString());
    return QStringLiteral("an unfinished %1 is recorded in the demo's step log: run `%2` to finish it, or "
                          "`quorumdeck demo %1 --rollback` to put the old data back")
        .arg(p.operation, again);
}

} // namespace

Result<StepLog::Start> StepLog::start(const QString &operation, const QString &key, const QString &value) const
{
    const Result<std::optional<PendingOperation>> open = pending();
    if (!open)
        return open.error();
    const std::optional<PendingOperation> &p = open.value();
    // A run that stopped before its first change left nothing to finish: start afresh.
    if (!p || !p->changedAnything())
        return Start {};
    if (p->operation != operation || p->begin.value(key).toString() != value
        || !p->records(QStringLiteral("rollback")).isEmpty())
        return Error::refused(unfinished(*p));
    return Start {p, p->lastStep};
}

QString StepLog::finish(const QString &operation, bool succeeded, bool changed) const
{
    if (succeeded || !changed)
        (void)appendEvent(QStringLiteral("end"),
            {{QStringLiteral("outcome"), succeeded ? QStringLiteral("done") : QStringLiteral("abandoned")}});
    if (succeeded)
        return {};
    if (!changed)
        return QStringLiteral("; the demo's data were not touched");
    return QStringLiteral("; the %1 is unfinished: run the same command again to finish it, or `quorumdeck demo %1 "
                          "--rollback` to put the old data back")
        .arg(operation);
}

void StepLog::finishThen(
    QObject *context, const QString &operation, bool succeeded, bool changed, std::function<void(QString)> done) const
{
    OffThread::run(
        context, [log = *this, operation, succeeded, changed] { return log.finish(operation, succeeded, changed); },
        std::move(done));
}

void StepLog::killPoint(const QString &point)
{
    static const QByteArray wanted = qgetenv("QUORUMDECK_KILL_AT");
    if (!wanted.isEmpty() && wanted == point.toUtf8())
        ::raise(SIGKILL);
}

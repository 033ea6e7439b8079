#include "logs/JournalTail.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

JournalTail::JournalTail(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &JournalTail::readOutput);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            emit failed(tr("%1 could not be started (%2): the journal is read through it.")
                            .arg(m_options.journalctl, m_process.errorString()));
            emit finished();
        }
    });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readOutput();
        if (!m_stopping && (status != QProcess::NormalExit || code != 0)) {
            const QString said = QString::fromUtf8(m_process.readAllStandardError()).trimmed();
            emit failed(said.isEmpty() ? tr("journalctl ended with exit code %1.").arg(code)
                                       : tr("journalctl: %1").arg(said.section(QLatin1Char('\n'), 0, 0)));
        }
        emit finished();
    });
}

JournalTail::~JournalTail()
{
    stop();
}

QStringList JournalTail::arguments() const
{
    QStringList args {QStringLiteral("--output=json"), QStringLiteral("--no-pager"), QStringLiteral("--lines"),
        QString::number(m_options.lines)};
    if (m_options.follow)
        args << QStringLiteral("--follow");
    if (!m_options.file.isEmpty())
        args << QStringLiteral("--file") << m_options.file;
    for (const QString &unit : m_options.units)
        args << QStringLiteral("--unit") << unit;
    return args;
}

void JournalTail::start()
{
    m_stopping = false;
    m_process.start(m_options.journalctl, arguments(), QIODevice::ReadOnly);
}

void JournalTail::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_stopping = true;
    // journalctl only reads: killing it loses nothing, and the owner's thread never waits
    // for a polite ending.
    m_process.kill();
}

void JournalTail::readOutput()
{
    m_partial += m_process.readAllStandardOutput();
    QList<MemberLogEntry> lines;
    qsizetype start = 0;
    for (qsizetype end = m_partial.indexOf('\n'); end >= 0; end = m_partial.indexOf('\n', start)) {
        if (auto e = parseEntry(QByteArrayView(m_partial).sliced(start, end - start)))
            lines << *e;
        start = end + 1;
    }
    m_partial.remove(0, start);
    if (!lines.isEmpty())
        emit linesRead(lines);
}

namespace {

/// journald keeps a field that is not valid UTF-8 (or is very long) as an array of bytes.
QByteArray fieldBytes(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().toUtf8();
    QByteArray bytes;
    for (const QJsonValue &b : v.toArray())
        bytes += char(b.toInt());
    return bytes;
}

MemberLogEntry::Level levelOfPriority(int priority)
{
    using L = MemberLogEntry::Level;
    if (priority <= 2)
        return L::Fatal; // emerg, alert, crit
    if (priority == 3)
        return L::Error;
    if (priority == 4)
        return L::Warn;
    if (priority <= 6)
        return L::Info; // notice, info
    return L::Debug;
}

} // namespace

std::optional<MemberLogEntry> JournalTail::parseEntry(QByteArrayView json)
{
    const QJsonObject o = QJsonDocument::fromJson(json.toByteArray()).object();
    if (o.isEmpty() || !o.contains(QLatin1String("MESSAGE")))
        return std::nullopt;
    MemberLogEntry e = MemberLogEntry::parse(fieldBytes(o.value(QLatin1String("MESSAGE"))));
    // The journal's receipt time: microseconds since the epoch, as a string.
    const qint64 realtimeUs = o.value(QLatin1String("__REALTIME_TIMESTAMP")).toString().toLongLong();
    if (!e.timeMs && realtimeUs)
        e.timeMs = realtimeUs / 1000;
    if (e.level == MemberLogEntry::Level::Other) {
        bool ok = false;
        const int priority = o.value(QLatin1String("PRIORITY")).toString().toInt(&ok);
        if (ok)
            e.level = levelOfPriority(priority);
    }
    e.source = o.value(QLatin1String("_HOSTNAME")).toString();
    return e;
}

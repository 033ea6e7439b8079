#include "logs/MemberLogEntry.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace {

MemberLogEntry::Level levelOf(const QString &name)
{
    using L = MemberLogEntry::Level;
    if (name == QLatin1String("debug"))
        return L::Debug;
    if (name == QLatin1String("info"))
        return L::Info;
    if (name == QLatin1String("warn"))
        return L::Warn;
    if (name == QLatin1String("error"))
        return L::Error;
    if (name == QLatin1String("fatal") || name == QLatin1String("panic") || name == QLatin1String("dpanic"))
        return L::Fatal;
    return L::Other;
}

/// The one-letter severities of klog (I, W, E, F) and capnslog (D, I, N, W, E, C).
MemberLogEntry::Level levelOfLetter(QChar letter)
{
    using L = MemberLogEntry::Level;
    switch (letter.toLatin1()) {
    case 'D':
        return L::Debug;
    case 'W':
        return L::Warn;
    case 'E':
        return L::Error;
    case 'C':
    case 'F':
        return L::Fatal;
    default:
        return L::Info; // I, N(otice)
    }
}

} // namespace

QString MemberLogEntry::levelName(Level level)
{
    switch (level) {
    case Level::Debug:
        return QStringLiteral("debug");
    case Level::Info:
        return QStringLiteral("info");
    case Level::Warn:
        return QStringLiteral("warn");
    case Level::Error:
        return QStringLiteral("error");
    case Level::Fatal:
        return QStringLiteral("fatal");
    case Level::Other:
        break;
    }
    return QStringLiteral("other");
}

bool MemberLogEntry::isLeadership() const
{
    static const char *const phrases[] = {"became leader", "elected leader", "lost leader", "changed leader",
        "successfully acquired lease", "failed to renew lease", "leaderelection lost"};
    for (const char *phrase : phrases)
        if (message.contains(QLatin1String(phrase)))
            return true;
    return false;
}

MemberLogEntry MemberLogEntry::parseTimestamped(QByteArrayView line)
{
    const qsizetype space = line.indexOf(' ');
    if (space <= 0)
        return parse(line);
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(line.first(space).toByteArray()), Qt::ISODateWithMs);
    if (!t.isValid())
        return parse(line);
    MemberLogEntry e = parse(line.sliced(space + 1));
    e.timeMs = t.toMSecsSinceEpoch();
    return e;
}

MemberLogEntry MemberLogEntry::parse(QByteArrayView line)
{
    MemberLogEntry e;
    const QByteArray bytes = line.trimmed().toByteArray();
    e.raw = QString::fromUtf8(bytes);
    if (!bytes.startsWith('{')) {
        // The Kubernetes components write klog's header: severity, month and day, time
        // (local, no year), thread id, file:line, "]". The year and zone come from the
        // caller's clock, as klog's own readers do.
        static const QRegularExpression klog(QStringLiteral(
            "^([IWEF])(\\d\\d)(\\d\\d) (\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\d*\\s+\\d+ ([^\\]]+)\\] ?(.*)$"));
        if (const QRegularExpressionMatch k = klog.match(e.raw); k.hasMatch()) {
            const QDate today = QDate::currentDate();
            const QDate day(today.year(), k.captured(2).toInt(), k.captured(3).toInt());
            const QTime time = QTime::fromString(k.captured(4), QStringLiteral("HH:mm:ss.zzz"));
            QDateTime t(day, time);
            if (t.isValid() && t.date() > today) // December's lines read in January
                t = t.addYears(-1);
            e.timeMs = t.isValid() ? t.toMSecsSinceEpoch() : 0;
            e.level = levelOfLetter(k.captured(1).at(0));
            e.caller = k.captured(5);
            e.message = k.captured(6);
            return e;
        }
        // A few of etcd's packages write capnslog's text instead:
        // "2026-11-28 02:50:50.079127 W | etcdserver/api/etcdhttp: /health error; …"
        static const QRegularExpression capnslog(
            QStringLiteral("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\d* ([DINWEC]) \\| ([^:]+): (.*)$"));
        const QRegularExpressionMatch m = capnslog.match(e.raw);
        if (!m.hasMatch()) {
            e.message = e.raw;
            return e;
        }
        QDateTime t = QDateTime::fromString(m.captured(1), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
        t.setTimeSpec(Qt::LocalTime); // capnslog writes local time
        e.timeMs = t.isValid() ? t.toMSecsSinceEpoch() : 0;
        e.level = levelOfLetter(m.captured(2).at(0));
        e.caller = m.captured(3);
        e.message = m.captured(4);
        return e;
    }
    const QJsonObject o = QJsonDocument::fromJson(bytes).object();
    if (o.isEmpty()) {
        e.message = e.raw;
        return e;
    }
    e.level = levelOf(o.value(QStringLiteral("level")).toString());
    e.caller = o.value(QStringLiteral("caller")).toString();
    e.message = o.value(QStringLiteral("msg")).toString();
    const QJsonValue ts = o.value(QStringLiteral("ts"));
    if (ts.isString()) {
        const QDateTime t = QDateTime::fromString(ts.toString(), Qt::ISODateWithMs);
        e.timeMs = t.isValid() ? t.toMSecsSinceEpoch() : 0;
    } else if (ts.isDouble()) {
        e.timeMs = qint64(ts.toDouble() * 1000.0); // zap's epoch-seconds encoding
    }
    return e;
}

std::optional<LeadershipLine> LeadershipLine::of(const MemberLogEntry &entry)
{
    static const QRegularExpression re(QStringLiteral("^([0-9a-f]+) became leader at term (\\d+)$"));
    const QRegularExpressionMatch m = re.match(entry.message);
    if (!m.hasMatch())
        return std::nullopt;
    bool ok = false;
    LeadershipLine l;
    l.leader = m.captured(1).toULongLong(&ok, 16);
    l.term = m.captured(2).toULongLong();
    l.timeMs = entry.timeMs;
    if (!ok || !l.term)
        return std::nullopt;
    return l;
}

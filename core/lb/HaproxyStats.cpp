#include "lb/HaproxyStats.h"

#include <QHash>
#include <QRegularExpression>

namespace HaproxyStats {

namespace {

/// Splits one CSV line; HAProxy quotes fields that hold commas or quotes ("" inside).
QList<QByteArray> fields(const QByteArray &line)
{
    QList<QByteArray> out;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line.at(i);
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line.at(i + 1) == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.append(field);
            field.clear();
        } else {
            field += c;
        }
    }
    out.append(field);
    return out;
}

} // namespace

QString stateName(ServerState state)
{
    switch (state) {
    case ServerState::Up:
        return QStringLiteral("UP");
    case ServerState::Down:
        return QStringLiteral("DOWN");
    case ServerState::Maint:
        return QStringLiteral("MAINT");
    case ServerState::Drain:
        return QStringLiteral("DRAIN");
    case ServerState::NoLb:
        return QStringLiteral("NOLB");
    case ServerState::Unknown:
        break;
    }
    return QStringLiteral("UNKNOWN");
}

ServerState stateOf(const QString &status, bool *transitioning)
{
    const QString s = status.trimmed();
    if (transitioning) {
        // "UP 1/2" (failing checks, still up) or "DOWN 1/2" (passing checks, still down).
        static const QRegularExpression moving(QStringLiteral("^(UP|DOWN) \\d+/\\d+"));
        *transitioning = moving.match(s).hasMatch();
    }
    // A server in maintenance reads "MAINT", "MAINT (via be/srv)" or "MAINT (resolution)".
    if (s.startsWith(QLatin1String("MAINT")))
        return ServerState::Maint;
    if (s.startsWith(QLatin1String("DRAIN")))
        return ServerState::Drain;
    if (s.startsWith(QLatin1String("NOLB")))
        return ServerState::NoLb;
    if (s.startsWith(QLatin1String("DOWN")))
        return ServerState::Down;
    if (s.startsWith(QLatin1String("UP")) || s == QLatin1String("OPEN") || s == QLatin1String("no check"))
        return ServerState::Up;
    return ServerState::Unknown;
}

Result parse(const QByteArray &csv)
{
    Result result;
    const QList<QByteArray> lines = csv.split('\n');
    QHash<QByteArray, int> column;
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.endsWith('\r') ? raw.chopped(1) : raw;
        if (line.trimmed().isEmpty())
            continue;
        if (line.startsWith('#')) {
            const QList<QByteArray> names = fields(line.mid(1).trimmed());
            column.clear();
            for (int i = 0; i < names.size(); ++i)
                column.insert(names.at(i).trimmed(), i);
            continue;
        }
        if (!column.contains("pxname") || !column.contains("svname") || !column.contains("status")) {
            result.error = QStringLiteral("not an HAProxy stats CSV: no \"# pxname,svname,...,status\" header line");
            result.rows.clear();
            return result;
        }
        const QList<QByteArray> f = fields(line);
        auto text = [&](const char *name) {
            const int i = column.value(name, -1);
            return i >= 0 && i < f.size() ? QString::fromUtf8(f.at(i)) : QString();
        };
        auto number = [&](const char *name, qint64 fallback) {
            bool ok = false;
            const qint64 v = text(name).toLongLong(&ok);
            return ok ? v : fallback;
        };
        Row row;
        row.proxy = text("pxname");
        row.server = text("svname");
        row.status = text("status");
        row.state = stateOf(row.status, &row.transitioning);
        row.weight = int(number("weight", 0));
        row.checkStatus = text("check_status");
        if (row.checkStatus.startsWith(QLatin1String("* "))) {
            // "* L7OK": the last result, while the next check is running.
            row.checkStatus.remove(0, 2);
            row.checkRunning = true;
        }
        row.checkCode = int(number("check_code", 0));
        row.checkDurationMs = int(number("check_duration", -1));
        row.checkDescription = text("check_desc");
        row.secondsSinceChange = number("lastchg", -1);
        row.currentSessions = number("scur", 0);
        row.totalSessions = number("stot", 0);
        row.bytesIn = number("bin", 0);
        row.bytesOut = number("bout", 0);
        row.address = text("addr");
        result.rows.append(row);
    }
    if (column.isEmpty())
        result.error = QStringLiteral("not an HAProxy stats CSV: no \"# pxname,svname,...\" header line");
    return result;
}

} // namespace HaproxyStats

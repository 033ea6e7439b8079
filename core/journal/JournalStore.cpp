#include "journal/JournalStore.h"

#include "common/MemberId.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace {

QString idText(uint64_t id)
{
    return id ? MemberId::toHex(id) : QString();
}

QString csvField(QString s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n'))) {
        s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + s + QLatin1Char('"');
    }
    return s;
}

} // namespace

struct JournalStore::Pending {
    QList<std::pair<QString, ClusterEvent>> events;
    QList<std::pair<QString, OperatorAction>> actions;
};

JournalStore::JournalStore(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_connection(QStringLiteral("journal-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_pending(std::make_unique<Pending>())
{
}

JournalStore::~JournalStore()
{
    flush();
    if (m_open) {
        QSqlDatabase::database(m_connection, false).close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

void JournalStore::setProblem(const QString &sentence)
{
    if (sentence == m_problem)
        return;
    m_problem = sentence;
    emit problemChanged(sentence);
}

bool JournalStore::ensureOpen()
{
    if (m_open)
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::contains(m_connection)
        ? QSqlDatabase::database(m_connection, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    // A short busy timeout: a journal locked by another process must not stall the thread.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=200"));
    const QString keep = QStringLiteral("; events are kept in memory until it works again");
    if (!db.open()) {
        setProblem(QStringLiteral("the journal %1 cannot be opened (%2)%3").arg(m_path, db.lastError().text(), keep));
        return false;
    }
    QSqlQuery q(db);
    // quick_check reads every page header: a damaged file is found now, not mid-write.
    if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next() || q.value(0).toString() != QLatin1String("ok")) {
        const QString why = q.lastError().isValid() ? q.lastError().text() : q.value(0).toString();
        db.close();
        setProblem(QStringLiteral("the journal %1 is damaged (%2)%3; move the file aside to start a new one")
                       .arg(m_path, why, keep));
        return false;
    }
    const char *schema[] = {
        "CREATE TABLE IF NOT EXISTS events (cluster TEXT NOT NULL, time_ms INTEGER NOT NULL, type TEXT NOT NULL, "
        "member TEXT, from_id TEXT, to_id TEXT, term INTEGER, detail TEXT, requested INTEGER, since_ms INTEGER, "
        "unseen INTEGER)",
        "CREATE INDEX IF NOT EXISTS events_by_cluster ON events (cluster, time_ms)",
        "CREATE TABLE IF NOT EXISTS actions (cluster TEXT NOT NULL, time_ms INTEGER NOT NULL, user TEXT, "
        "action TEXT, target TEXT, result TEXT, detail TEXT)",
        "CREATE INDEX IF NOT EXISTS actions_by_cluster ON actions (cluster, time_ms)",
    };
    for (const char *sql : schema) {
        if (!q.exec(QString::fromLatin1(sql))) {
            const QString why = q.lastError().text();
            db.close();
            setProblem(QStringLiteral("the journal %1 cannot be written (%2)%3").arg(m_path, why, keep));
            return false;
        }
    }
    if (const QString why = addMissingColumns(q); !why.isEmpty()) {
        db.close();
        setProblem(QStringLiteral("the journal %1 cannot be written (%2)%3").arg(m_path, why, keep));
        return false;
    }
    m_open = true;
    return true;
}

QString JournalStore::addMissingColumns(QSqlQuery &q)
{
    // Journals written before events said when the earlier sample of an unseen election was
    // taken, and how many elections it missed, lack these columns; their rows read as 0.
    QStringList have;
    if (!q.exec(QStringLiteral("PRAGMA table_info(events)")))
        return q.lastError().text();
    while (q.next())
        have << q.value(1).toString();
    for (const char *column : {"since_ms", "unseen"}) {
        if (have.contains(QLatin1String(column)))
            continue;
        if (!q.exec(QStringLiteral("ALTER TABLE events ADD COLUMN %1 INTEGER").arg(QLatin1String(column))))
            return q.lastError().text();
    }
    return {};
}

bool JournalStore::flush()
{
    if (m_pending->events.isEmpty() && m_pending->actions.isEmpty())
        return true;
    if (!ensureOpen())
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    bool ok
        = q.prepare(QStringLiteral("INSERT INTO events (cluster, time_ms, type, member, from_id, to_id, term, "
                                   "detail, requested, since_ms, unseen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const auto &[cluster, e] : std::as_const(m_pending->events)) {
        if (!ok)
            break;
        q.addBindValue(cluster);
        q.addBindValue(e.timeMs);
        q.addBindValue(ClusterEvent::typeName(e.type));
        q.addBindValue(idText(e.member));
        q.addBindValue(idText(e.from));
        q.addBindValue(idText(e.to));
        q.addBindValue(qint64(e.term));
        q.addBindValue(e.detail);
        q.addBindValue(e.requested ? 1 : 0);
        q.addBindValue(e.sinceMs);
        q.addBindValue(e.unseenElections);
        ok = q.exec();
    }
    ok = ok && q.prepare(QStringLiteral("INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (const auto &[cluster, a] : std::as_const(m_pending->actions)) {
        if (!ok)
            break;
        q.addBindValue(cluster);
        q.addBindValue(a.timeMs);
        q.addBindValue(a.user);
        q.addBindValue(a.action);
        q.addBindValue(a.target);
        q.addBindValue(a.result);
        q.addBindValue(a.detail);
        ok = q.exec();
    }
    if (!ok || !db.commit()) {
        const QString why = q.lastError().isValid() ? q.lastError().text() : db.lastError().text();
        db.rollback();
        db.close();
        m_open = false;
        setProblem(QStringLiteral("the journal %1 cannot be written (%2); events are kept in memory until it works "
                                  "again")
                       .arg(m_path, why));
        return false;
    }
    m_pending->events.clear();
    m_pending->actions.clear();
    setProblem(QString());
    return true;
}

void JournalStore::appendEvents(const QString &clusterId, const QList<ClusterEvent> &events)
{
    for (const ClusterEvent &e : events)
        m_pending->events.append({clusterId, e});
    flush();
}

void JournalStore::appendAction(const QString &clusterId, const OperatorAction &action)
{
    m_pending->actions.append({clusterId, action});
    flush();
}

void JournalStore::load(const QString &clusterId)
{
    QList<ClusterEvent> events;
    QList<OperatorAction> actions;
    read(clusterId, events, actions);
    emit loaded(clusterId, events, actions);
}

void JournalStore::read(const QString &clusterId, QList<ClusterEvent> &events, QList<OperatorAction> &actions)
{
    flush();
    if (ensureOpen()) {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.prepare(QStringLiteral("SELECT time_ms, type, member, from_id, to_id, term, detail, requested, since_ms, "
                                 "unseen FROM events WHERE cluster = ? ORDER BY time_ms, rowid"));
        q.addBindValue(clusterId);
        if (q.exec()) {
            while (q.next()) {
                const auto type = ClusterEvent::typeFromName(q.value(1).toString());
                if (!type)
                    continue;
                ClusterEvent e;
                e.timeMs = q.value(0).toLongLong();
                e.type = *type;
                e.member = MemberId::fromHex(q.value(2).toString()).value_or(0);
                e.from = MemberId::fromHex(q.value(3).toString()).value_or(0);
                e.to = MemberId::fromHex(q.value(4).toString()).value_or(0);
                e.term = q.value(5).toULongLong();
                e.detail = q.value(6).toString();
                e.requested = q.value(7).toInt() != 0;
                e.sinceMs = q.value(8).toLongLong(); // NULL in rows older than the column: 0
                e.unseenElections = q.value(9).toInt();
                events.append(e);
            }
        }
        q.prepare(QStringLiteral("SELECT time_ms, user, action, target, result, detail FROM actions WHERE cluster = ? "
                                 "ORDER BY time_ms, rowid"));
        q.addBindValue(clusterId);
        if (q.exec()) {
            while (q.next())
                actions.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                    q.value(3).toString(), q.value(4).toString(), q.value(5).toString()});
        }
    }
    // What could not be written yet still belongs to the history.
    for (const auto &[cluster, e] : std::as_const(m_pending->events)) {
        if (cluster == clusterId)
            events.append(e);
    }
    for (const auto &[cluster, a] : std::as_const(m_pending->actions)) {
        if (cluster == clusterId)
            actions.append(a);
    }
}

void JournalStore::exportTo(const QString &clusterId, const QString &path, const QString &format)
{
    QList<ClusterEvent> events;
    QList<OperatorAction> actions;
    read(clusterId, events, actions);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        emit exported(false, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    const bool csv = format == QLatin1String("csv");
    if (csv)
        file.write("time,kind,type,member,from,to,term,user,target,result,detail\n");
    // One time-ordered stream of events and actions.
    struct Row {
        qint64 time;
        QJsonObject json;
    };
    QList<Row> rows;
    for (const ClusterEvent &e : std::as_const(events)) {
        QJsonObject o = e.toJson();
        o.insert(QStringLiteral("kind"), QStringLiteral("event"));
        rows.append({e.timeMs, o});
    }
    for (const OperatorAction &a : std::as_const(actions))
        rows.append({a.timeMs, a.toJson()});
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.time < b.time; });
    for (const Row &r : std::as_const(rows)) {
        if (!csv) {
            file.write(QJsonDocument(r.json).toJson(QJsonDocument::Compact) + '\n');
            continue;
        }
        const QJsonObject &o = r.json;
        const bool action = o.value(QStringLiteral("kind")).toString() == QLatin1String("action");
        QStringList fields {o.value(QStringLiteral("time")).toString(), o.value(QStringLiteral("kind")).toString(),
            action ? o.value(QStringLiteral("action")).toString() : o.value(QStringLiteral("type")).toString(),
            o.value(QStringLiteral("member")).toString(), o.value(QStringLiteral("from")).toString(),
            o.value(QStringLiteral("to")).toString(),
            action ? QString() : QString::number(o.value(QStringLiteral("term")).toInteger()),
            o.value(QStringLiteral("user")).toString(), o.value(QStringLiteral("target")).toString(),
            o.value(QStringLiteral("result")).toString(), o.value(QStringLiteral("detail")).toString()};
        for (QString &f : fields)
            f = csvField(f);
        file.write(fields.join(QLatin1Char(',')).toUtf8() + '\n');
    }
    if (!file.commit()) {
        emit exported(false, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    emit exported(true, QStringLiteral("exported %1 record(s) to %2").arg(rows.size()).arg(path));
}

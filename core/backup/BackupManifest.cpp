#include "backup/BackupManifest.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace {

const QString kTimeFormat = QStringLiteral("yyyyMMdd'T'HHmmss'Z'");

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out << s.toString();
    return out;
}

} // namespace

QString BackupVerification::stateName(State state)
{
    switch (state) {
    case State::None:
        return QStringLiteral("unverified");
    case State::HashChecked:
        return QStringLiteral("hash checked");
    case State::Verified:
        return QStringLiteral("verified");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QJsonObject BackupVerification::toJson() const
{
    QJsonObject o {{QStringLiteral("state"), stateName(state)}};
    if (state == State::None)
        return o;
    o.insert(QStringLiteral("time"), time.toUTC().toString(Qt::ISODate));
    o.insert(QStringLiteral("sentence"), sentence);
    if (state == State::Verified) {
        o.insert(QStringLiteral("revision"), revision);
        if (keys)
            o.insert(QStringLiteral("keys"), *keys);
        if (hashKV)
            o.insert(QStringLiteral("hashKV"), qint64(*hashKV));
    }
    return o;
}

BackupVerification BackupVerification::fromJson(const QJsonObject &o)
{
    BackupVerification v;
    const QString state = o.value(QStringLiteral("state")).toString();
    for (State s : {State::HashChecked, State::Verified, State::Failed})
        if (state == stateName(s))
            v.state = s;
    v.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODate);
    v.sentence = o.value(QStringLiteral("sentence")).toString();
    v.revision = o.value(QStringLiteral("revision")).toInteger();
    if (o.contains(QStringLiteral("keys")))
        v.keys = o.value(QStringLiteral("keys")).toInteger();
    if (o.contains(QStringLiteral("hashKV")))
        v.hashKV = quint32(o.value(QStringLiteral("hashKV")).toInteger());
    return v;
}

QString BackupManifest::fileName() const
{
    return QStringLiteral("%1-%2-rev%3.db").arg(clusterId, time.toUTC().toString(kTimeFormat)).arg(revision);
}

bool BackupManifest::isBackupName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{16}-\\d{8}T\\d{6}Z-rev\\d+\\.db$"));
    return pattern.match(name).hasMatch();
}

QString BackupManifest::manifestPathFor(const QString &backupPath)
{
    QString path = backupPath;
    if (path.endsWith(QLatin1String(".db")))
        path.chop(3);
    return path + QStringLiteral(".json");
}

QJsonObject BackupManifest::toJson() const
{
    QJsonArray list;
    for (const Member &m : members)
        list << QJsonObject {{QStringLiteral("id"), m.id}, {QStringLiteral("name"), m.name},
            {QStringLiteral("peerURLs"), strings(m.peerUrls)}, {QStringLiteral("clientURLs"), strings(m.clientUrls)}};
    QJsonObject o {
        {QStringLiteral("file"), fileName()},
        {QStringLiteral("clusterId"), clusterId},
        {QStringLiteral("members"), list},
        {QStringLiteral("revision"), revision},
        {QStringLiteral("totalKey"), totalKey},
        {QStringLiteral("hash"), qint64(hash)},
        {QStringLiteral("etcdVersion"), etcdVersion},
        {QStringLiteral("size"), size},
        {QStringLiteral("sha256"), sha256},
        {QStringLiteral("source"),
            QJsonObject {{QStringLiteral("id"), sourceId}, {QStringLiteral("name"), sourceName}}},
        {QStringLiteral("time"), time.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("verification"), verification.toJson()},
    };
    if (hashKV) {
        o.insert(QStringLiteral("hashKV"), qint64(*hashKV));
        o.insert(QStringLiteral("hashKVCompactRevision"), hashKVCompactRevision);
    }
    return o;
}

Result<BackupManifest> BackupManifest::fromJson(const QJsonObject &o)
{
    BackupManifest m;
    m.clusterId = o.value(QStringLiteral("clusterId")).toString();
    m.revision = o.value(QStringLiteral("revision")).toInteger(-1);
    m.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODate);
    m.sha256 = o.value(QStringLiteral("sha256")).toString();
    if (m.clusterId.isEmpty() || m.revision < 0 || !m.time.isValid() || m.sha256.size() != 64)
        return Error::invalid(QStringLiteral("not a QuorumDeck backup manifest (clusterId, revision, time and "
                                             "sha256 are required)"));
    for (const QJsonValue &v : o.value(QStringLiteral("members")).toArray()) {
        const QJsonObject mo = v.toObject();
        m.members << Member {mo.value(QStringLiteral("id")).toString(), mo.value(QStringLiteral("name")).toString(),
            strings(mo.value(QStringLiteral("peerURLs"))), strings(mo.value(QStringLiteral("clientURLs")))};
    }
    m.totalKey = o.value(QStringLiteral("totalKey")).toInteger();
    m.hash = quint32(o.value(QStringLiteral("hash")).toInteger());
    m.etcdVersion = o.value(QStringLiteral("etcdVersion")).toString();
    m.size = o.value(QStringLiteral("size")).toInteger();
    const QJsonObject source = o.value(QStringLiteral("source")).toObject();
    m.sourceId = source.value(QStringLiteral("id")).toString();
    m.sourceName = source.value(QStringLiteral("name")).toString();
    if (o.contains(QStringLiteral("hashKV")))
        m.hashKV = quint32(o.value(QStringLiteral("hashKV")).toInteger());
    m.hashKVCompactRevision = o.value(QStringLiteral("hashKVCompactRevision")).toInteger();
    m.verification = BackupVerification::fromJson(o.value(QStringLiteral("verification")).toObject());
    return m;
}

Result<BackupManifest> BackupManifest::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (!doc.isObject())
        return Error::invalid(QStringLiteral("%1 is not JSON: %2").arg(path, error.errorString()));
    Result<BackupManifest> m = fromJson(doc.object());
    if (!m)
        return m.error().context(QStringLiteral("reading %1").arg(QFileInfo(path).fileName()));
    return m;
}

Result<void> BackupManifest::save(const QString &path) const
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

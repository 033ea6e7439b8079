#include "profile/ClusterManifest.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

QJsonObject LocalMember::toJson() const
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("clientURL"), clientUrl},
        {QStringLiteral("peerURL"), peerUrl}, {QStringLiteral("listenPeerURL"), listenPeerUrl},
        {QStringLiteral("pid"), pid}, {QStringLiteral("dataDir"), dataDir}, {QStringLiteral("logFile"), logFile}};
}

LocalMember LocalMember::fromJson(const QJsonObject &o)
{
    LocalMember m;
    m.name = o.value(QStringLiteral("name")).toString();
    m.clientUrl = o.value(QStringLiteral("clientURL")).toString();
    m.peerUrl = o.value(QStringLiteral("peerURL")).toString();
    m.listenPeerUrl = o.value(QStringLiteral("listenPeerURL")).toString(m.peerUrl);
    m.pid = o.value(QStringLiteral("pid")).toInteger();
    m.dataDir = o.value(QStringLiteral("dataDir")).toString();
    m.logFile = o.value(QStringLiteral("logFile")).toString();
    return m;
}

QJsonObject LocalLoadBalancer::toJson() const
{
    return {{QStringLiteral("frontend"), frontend}, {QStringLiteral("statsURL"), statsUrl},
        {QStringLiteral("socket"), socketPath}, {QStringLiteral("config"), configFile}, {QStringLiteral("pid"), pid},
        {QStringLiteral("unavailable"), unavailable}};
}

LocalLoadBalancer LocalLoadBalancer::fromJson(const QJsonObject &o)
{
    LocalLoadBalancer lb;
    lb.frontend = o.value(QStringLiteral("frontend")).toString();
    lb.statsUrl = o.value(QStringLiteral("statsURL")).toString();
    lb.socketPath = o.value(QStringLiteral("socket")).toString();
    lb.configFile = o.value(QStringLiteral("config")).toString();
    lb.pid = o.value(QStringLiteral("pid")).toInteger();
    lb.unavailable = o.value(QStringLiteral("unavailable")).toString();
    return lb;
}

QJsonObject LocalTls::toJson() const
{
    return {{QStringLiteral("ca"), caFile}, {QStringLiteral("cert"), certFile}, {QStringLiteral("key"), keyFile},
        {QStringLiteral("serverCert"), serverCertFile}, {QStringLiteral("serverKey"), serverKeyFile},
        {QStringLiteral("peerCert"), peerCertFile}, {QStringLiteral("peerKey"), peerKeyFile},
        {QStringLiteral("checkBundle"), checkBundleFile}};
}

LocalTls LocalTls::fromJson(const QJsonObject &o)
{
    LocalTls t;
    t.caFile = o.value(QStringLiteral("ca")).toString();
    t.certFile = o.value(QStringLiteral("cert")).toString();
    t.keyFile = o.value(QStringLiteral("key")).toString();
    t.serverCertFile = o.value(QStringLiteral("serverCert")).toString();
    t.serverKeyFile = o.value(QStringLiteral("serverKey")).toString();
    t.peerCertFile = o.value(QStringLiteral("peerCert")).toString();
    t.peerKeyFile = o.value(QStringLiteral("peerKey")).toString();
    t.checkBundleFile = o.value(QStringLiteral("checkBundle")).toString();
    return t;
}

QJsonObject LocalNetwork::toJson() const
{
    return {{QStringLiteral("socket"), socketPath}, {QStringLiteral("host"), host}, {QStringLiteral("pid"), pid},
        {QStringLiteral("log"), logFile}};
}

LocalNetwork LocalNetwork::fromJson(const QJsonObject &o)
{
    LocalNetwork n;
    n.socketPath = o.value(QStringLiteral("socket")).toString();
    n.host = o.value(QStringLiteral("host")).toString();
    n.pid = o.value(QStringLiteral("pid")).toInteger();
    n.logFile = o.value(QStringLiteral("log")).toString();
    return n;
}

ConnectionSettings ClusterManifest::connectionSettings() const
{
    ConnectionSettings s;
    s.endpoints = endpoints();
    if (tls.enabled()) {
        s.tls.caFile = tls.caFile;
        s.tls.certFile = tls.certFile;
        s.tls.keyFile = tls.keyFile;
    }
    // With TLS the client certificate (CN root) is the identity: no password needed.
    if (!tls.enabled())
        s.user = authUser;
    return s;
}

QStringList ClusterManifest::endpoints() const
{
    QStringList out;
    for (const LocalMember &m : members)
        out << m.clientUrl;
    return out;
}

const LocalMember *ClusterManifest::member(const QString &name) const
{
    for (const LocalMember &m : members) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

LocalMember *ClusterManifest::member(const QString &name)
{
    // Iterating the list as non-const detaches it first. A pointer found through the const
    // overload could point into a buffer still shared with a copy of this manifest (a view
    // holds one); the next non-const use of the list would then detach and leave the pointer,
    // and whatever is written through it, with the copy.
    for (LocalMember &m : members) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

QString ClusterManifest::manifestPath(const QString &dir)
{
    return QDir(dir).filePath(QStringLiteral("cluster.json"));
}

QJsonObject ClusterManifest::toJson() const
{
    QJsonArray list;
    for (const LocalMember &m : members)
        list.append(m.toJson());
    return {{QStringLiteral("dir"), dir}, {QStringLiteral("etcd"), etcdPath}, {QStringLiteral("token"), token},
        {QStringLiteral("quotaBytes"), quotaBytes}, {QStringLiteral("authTokenTTL"), authTokenTtlSeconds},
        {QStringLiteral("endpoints"), QJsonArray::fromStringList(endpoints())}, {QStringLiteral("members"), list},
        {QStringLiteral("lb"), lb.toJson()}, {QStringLiteral("tls"), tls.toJson()},
        {QStringLiteral("authUser"), authUser}, {QStringLiteral("network"), network.toJson()}};
}

Result<void> ClusterManifest::save() const
{
    QSaveFile file(path());
    if (!file.open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path(), file.errorString()));
    file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path(), file.errorString()));
    return {};
}

Result<ClusterManifest> ClusterManifest::read(const QString &dir)
{
    QFile file(manifestPath(dir));
    if (!file.open(QIODevice::ReadOnly))
        return Error::notFound(
            QStringLiteral("no demo cluster in %1 (no cluster.json); start one with quorumdeck demo up --dir %1")
                .arg(dir));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return Error::invalid(QStringLiteral("%1 is damaged: %2").arg(file.fileName(), parseError.errorString()));
    const QJsonObject o = doc.object();
    ClusterManifest m;
    m.dir = dir;
    m.etcdPath = o.value(QStringLiteral("etcd")).toString();
    m.token = o.value(QStringLiteral("token")).toString();
    m.quotaBytes = o.value(QStringLiteral("quotaBytes")).toInteger();
    m.authTokenTtlSeconds = o.value(QStringLiteral("authTokenTTL")).toInt();
    for (const QJsonValue &v : o.value(QStringLiteral("members")).toArray())
        m.members.append(LocalMember::fromJson(v.toObject()));
    m.lb = LocalLoadBalancer::fromJson(o.value(QStringLiteral("lb")).toObject());
    m.tls = LocalTls::fromJson(o.value(QStringLiteral("tls")).toObject());
    m.authUser = o.value(QStringLiteral("authUser")).toString();
    m.network = LocalNetwork::fromJson(o.value(QStringLiteral("network")).toObject());
    return m;
}

QString ClusterManifest::defaultDirectory()
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return QDir(base).filePath(QStringLiteral("quorumdeck/demo"));
}

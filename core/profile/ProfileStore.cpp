#include "profile/ProfileStore.h"

#include <QSettings>

namespace {

const QString kGroup = QStringLiteral("profiles");

QString probeName(LbDefinition::ProbeKind kind)
{
    switch (kind) {
    case LbDefinition::ProbeKind::Https:
        return QStringLiteral("https");
    case LbDefinition::ProbeKind::Tcp:
        return QStringLiteral("tcp");
    case LbDefinition::ProbeKind::Http:
        break;
    }
    return QStringLiteral("http");
}

LbDefinition::ProbeKind probeFromName(const QString &name)
{
    if (name == QLatin1String("https"))
        return LbDefinition::ProbeKind::Https;
    if (name == QLatin1String("tcp"))
        return LbDefinition::ProbeKind::Tcp;
    return LbDefinition::ProbeKind::Http;
}

} // namespace

QStringList ProfileStore::names()
{
    QSettings s;
    s.beginGroup(kGroup);
    QStringList names = s.childGroups();
    names.sort(Qt::CaseInsensitive);
    return names;
}

std::optional<ConnectionProfile> ProfileStore::load(const QString &name)
{
    QSettings s;
    s.beginGroup(kGroup);
    if (!s.childGroups().contains(name))
        return std::nullopt;
    s.beginGroup(name);
    ConnectionProfile p;
    p.name = name;
    p.endpoints = s.value(QStringLiteral("endpoints")).toStringList();
    p.tls.caFile = s.value(QStringLiteral("cacert")).toString();
    p.tls.certFile = s.value(QStringLiteral("cert")).toString();
    p.tls.keyFile = s.value(QStringLiteral("key")).toString();
    p.tls.serverName = s.value(QStringLiteral("serverName")).toString();
    p.tls.insecureSkipVerify = s.value(QStringLiteral("insecureSkipTlsVerify"), false).toBool();
    p.user = s.value(QStringLiteral("user")).toString();
    p.passwordInKeychain = s.value(QStringLiteral("passwordInKeychain"), false).toBool();
    p.lbKind = ConnectionProfile::lbKindFromName(s.value(QStringLiteral("lb/kind")).toString());
    p.lbStatsUrl = s.value(QStringLiteral("lb/statsUrl")).toString();
    p.lbSocket = s.value(QStringLiteral("lb/socket")).toString();
    p.lbBackendProxy = s.value(QStringLiteral("lb/backendProxy")).toString();
    p.lbFrontend = s.value(QStringLiteral("lb/frontend")).toString();
    p.lbBackends = s.value(QStringLiteral("lb/backends")).toStringList();
    p.lbProbe = probeFromName(s.value(QStringLiteral("lb/probe")).toString());
    p.lbProbePath = s.value(QStringLiteral("lb/probePath"), QStringLiteral("/health")).toString();
    p.metricTargets = s.value(QStringLiteral("metricTargets")).toStringList();
    p.kubeconfig = s.value(QStringLiteral("kubeconfig")).toString();
    p.apiServers = s.value(QStringLiteral("apiServers")).toStringList();
    p.apiLbStats = s.value(QStringLiteral("apiLb/stats")).toString();
    p.apiLbBackend = s.value(QStringLiteral("apiLb/backend")).toString();
    p.pkiDir = s.value(QStringLiteral("pkiDir")).toString();
    p.prometheusUrl = s.value(QStringLiteral("sources/prometheus")).toString();
    p.alertmanagerUrl = s.value(QStringLiteral("sources/alertmanager")).toString();
    p.clusterLabel = s.value(QStringLiteral("sources/cluster")).toString();
    p.apiBearerTokenFile = s.value(QStringLiteral("sources/bearerTokenFile")).toString();
    p.memberInstances = s.value(QStringLiteral("sources/memberInstances")).toStringList();
    p.backupEveryHours = qMax(0, s.value(QStringLiteral("backup/everyHours"), 0).toInt());
    p.backupKeep = qMax(1, s.value(QStringLiteral("backup/keep"), 14).toInt());
    return p;
}

Result<void> ProfileStore::save(const ConnectionProfile &p)
{
    if (const QString e = p.validate(); !e.isEmpty())
        return Error::invalid(e);
    QSettings s;
    s.beginGroup(kGroup);
    s.remove(p.name);
    s.beginGroup(p.name);
    s.setValue(QStringLiteral("endpoints"), p.endpoints);
    s.setValue(QStringLiteral("cacert"), p.tls.caFile);
    s.setValue(QStringLiteral("cert"), p.tls.certFile);
    s.setValue(QStringLiteral("key"), p.tls.keyFile);
    s.setValue(QStringLiteral("serverName"), p.tls.serverName);
    s.setValue(QStringLiteral("insecureSkipTlsVerify"), p.tls.insecureSkipVerify);
    s.setValue(QStringLiteral("user"), p.user);
    s.setValue(QStringLiteral("passwordInKeychain"), p.passwordInKeychain);
    s.setValue(QStringLiteral("lb/kind"), ConnectionProfile::lbKindName(p.lbKind));
    s.setValue(QStringLiteral("lb/statsUrl"), p.lbStatsUrl);
    s.setValue(QStringLiteral("lb/socket"), p.lbSocket);
    s.setValue(QStringLiteral("lb/backendProxy"), p.lbBackendProxy);
    s.setValue(QStringLiteral("lb/frontend"), p.lbFrontend);
    s.setValue(QStringLiteral("lb/backends"), p.lbBackends);
    s.setValue(QStringLiteral("lb/probe"), probeName(p.lbProbe));
    s.setValue(QStringLiteral("lb/probePath"), p.lbProbePath);
    s.setValue(QStringLiteral("metricTargets"), p.metricTargets);
    s.setValue(QStringLiteral("kubeconfig"), p.kubeconfig);
    s.setValue(QStringLiteral("apiServers"), p.apiServers);
    s.setValue(QStringLiteral("apiLb/stats"), p.apiLbStats);
    s.setValue(QStringLiteral("apiLb/backend"), p.apiLbBackend);
    s.setValue(QStringLiteral("pkiDir"), p.pkiDir);
    s.setValue(QStringLiteral("sources/prometheus"), p.prometheusUrl);
    s.setValue(QStringLiteral("sources/alertmanager"), p.alertmanagerUrl);
    s.setValue(QStringLiteral("sources/cluster"), p.clusterLabel);
    s.setValue(QStringLiteral("sources/bearerTokenFile"), p.apiBearerTokenFile);
    s.setValue(QStringLiteral("sources/memberInstances"), p.memberInstances);
    s.setValue(QStringLiteral("backup/everyHours"), p.backupEveryHours);
    s.setValue(QStringLiteral("backup/keep"), p.backupKeep);
    s.endGroup();
    s.endGroup();
    s.sync();
    if (s.status() != QSettings::NoError)
        return Error::io(QStringLiteral("the profile could not be written to %1").arg(s.fileName()));
    return {};
}

void ProfileStore::remove(const QString &name)
{
    QSettings s;
    s.beginGroup(kGroup);
    s.remove(name);
}

QString ProfileStore::lastUsed()
{
    return QSettings().value(QStringLiteral("lastProfile")).toString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    QSettings().setValue(QStringLiteral("lastProfile"), name);
}

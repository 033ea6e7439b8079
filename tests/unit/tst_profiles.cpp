#include "profile/ProfileStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

/// Connection profiles in QSettings: what goes in comes back, nothing secret is written,
/// and a profile that cannot work is refused with a sentence.
class ProfilesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void roundTripsEveryField();
    void refusesWhatCannotWork_data();
    void refusesWhatCannotWork();
    void genericBackendsAreParsed();
    void removesAndRemembersTheLastOne();

private:
    ConnectionProfile full() const;
    QTemporaryDir m_dir;
};

void ProfilesTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName("QuorumDeckTest");
    QCoreApplication::setApplicationName("profiles");
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
}

ConnectionProfile ProfilesTest::full() const
{
    ConnectionProfile p;
    p.name = "prod-eu";
    p.endpoints = {"https://10.0.0.1:2379", "https://10.0.0.2:2379"};
    p.tls.serverName = "etcd.internal";
    p.tls.insecureSkipVerify = false;
    p.user = "ops";
    p.passwordInKeychain = true;
    p.lbKind = LbDefinition::Kind::Haproxy;
    p.lbStatsUrl = "http://10.0.0.9:8404/stats;csv";
    p.lbBackendProxy = "kube_masters";
    p.lbFrontend = "10.0.0.9:2379";
    p.lbProbe = LbDefinition::ProbeKind::Https;
    p.lbProbePath = "/readyz";
    p.metricTargets = {"http://10.0.0.1:9100/metrics"};
    p.kubeconfig = "/home/ops/.kube/prod";
    p.apiServers = {"10.0.0.11:6443", "[fd00::12]:6443"};
    p.prometheusUrl = "https://prometheus.internal:9090/";
    p.alertmanagerUrl = "http://alertmanager.internal:9093";
    p.clusterLabel = "prod-eu";
    p.apiBearerTokenFile = "/home/ops/.config/prometheus-token";
    p.memberInstances = {"10.0.0.1:2381=etcd1", " 10.0.0.2:2381 = etcd2 "};
    return p;
}

void ProfilesTest::roundTripsEveryField()
{
    QCOMPARE(ProfileStore::save(full()).problem(), QString());
    const auto loaded = ProfileStore::load("prod-eu");
    QVERIFY(loaded.has_value());
    const ConnectionProfile p = *loaded;
    QCOMPARE(p.endpoints, full().endpoints);
    QCOMPARE(p.tls.serverName, QStringLiteral("etcd.internal"));
    QCOMPARE(p.user, QStringLiteral("ops"));
    QVERIFY(p.passwordInKeychain);
    QCOMPARE(p.lbKind, LbDefinition::Kind::Haproxy);
    QCOMPARE(p.lbStatsUrl, full().lbStatsUrl);
    QCOMPARE(p.lbProbe, LbDefinition::ProbeKind::Https);
    QCOMPARE(p.lbProbePath, QStringLiteral("/readyz"));
    QCOMPARE(p.metricTargets, full().metricTargets);
    QCOMPARE(p.kubeconfig, full().kubeconfig);
    QCOMPARE(p.apiServers, full().apiServers);
    QCOMPARE(p.prometheusUrl, full().prometheusUrl);
    QCOMPARE(p.alertmanagerUrl, full().alertmanagerUrl);
    QCOMPARE(p.clusterLabel, full().clusterLabel);
    QCOMPARE(p.apiBearerTokenFile, full().apiBearerTokenFile);
    QCOMPARE(p.memberInstances, full().memberInstances);
    const QHash<QString, QString> instances = p.memberInstanceMap();
    QCOMPARE(instances.size(), 2);
    QCOMPARE(instances.value("10.0.0.2:2381"), QStringLiteral("etcd2"));
    const LbDefinition lb = p.lbDefinition();
    QCOMPARE(lb.backendProxy, QStringLiteral("kube_masters"));
    QCOMPARE(lb.frontend, QStringLiteral("10.0.0.9:2379"));
    const ConnectionSettings s = p.connectionSettings();
    QCOMPARE(s.endpoints, full().endpoints);
    QVERIFY(s.password.isEmpty());
    QVERIFY(ProfileStore::names().contains("prod-eu"));
    QVERIFY(!ProfileStore::load("nope").has_value());
}

void ProfilesTest::refusesWhatCannotWork_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no name") << "name"
                             << "a profile needs a name";
    QTest::newRow("slash in name") << "slash"
                                   << "cannot contain";
    QTest::newRow("haproxy without a view") << "haproxy"
                                            << "stats URL or its admin socket";
    QTest::newRow("generic without backends") << "generic"
                                              << "needs its backends";
    QTest::newRow("no endpoints") << "endpoints"
                                  << "endpoint";
    QTest::newRow("prometheus not http") << "prometheus"
                                         << "Prometheus URL must be an http(s) URL";
    QTest::newRow("alertmanager not a URL") << "alertmanager"
                                            << "Alertmanager URL must be an http(s) URL";
    QTest::newRow("API server without a port") << "apiservers"
                                               << "\"10.0.0.13\" is not an API server's host:port";
    QTest::newRow("instance without a member") << "instances"
                                               << "\"10.0.0.3:2381=\" is not instance=member";
}

void ProfilesTest::refusesWhatCannotWork()
{
    QFETCH(QString, field);
    QFETCH(QString, expected);
    ConnectionProfile p = full();
    if (field == "name")
        p.name.clear();
    else if (field == "slash")
        p.name = "a/b";
    else if (field == "haproxy")
        p.lbStatsUrl.clear();
    else if (field == "generic")
        p.lbKind = LbDefinition::Kind::Generic;
    else if (field == "endpoints")
        p.endpoints.clear();
    else if (field == "prometheus")
        p.prometheusUrl = "ftp://prometheus:9090";
    else if (field == "alertmanager")
        p.alertmanagerUrl = "alertmanager:9093";
    else if (field == "apiservers")
        p.apiServers << "10.0.0.13";
    else if (field == "instances")
        p.memberInstances << "10.0.0.3:2381=";
    const QString error = ProfileStore::save(p).problem();
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(ProfileStore::save(p).error().kind(), Error::Kind::Invalid);
}

void ProfilesTest::genericBackendsAreParsed()
{
    ConnectionProfile p = full();
    p.lbKind = LbDefinition::Kind::Generic;
    p.lbBackends = {"m1=10.0.0.1:6443", " m2 = 10.0.0.2:6443 ", "10.0.0.3:6443"};
    const LbDefinition lb = p.lbDefinition();
    QCOMPARE(lb.backends.size(), 3);
    QCOMPARE(lb.backends.at(0).name, QStringLiteral("m1"));
    QCOMPARE(lb.backends.at(1).name, QStringLiteral("m2"));
    QCOMPARE(lb.backends.at(1).address, QStringLiteral("10.0.0.2:6443"));
    QCOMPARE(lb.backends.at(2).name, QStringLiteral("10.0.0.3:6443"));
    QCOMPARE(lb.backends.at(2).address, QStringLiteral("10.0.0.3:6443"));
}

void ProfilesTest::removesAndRemembersTheLastOne()
{
    QCOMPARE(ProfileStore::save(full()).problem(), QString());
    ProfileStore::setLastUsed("prod-eu");
    QCOMPARE(ProfileStore::lastUsed(), QStringLiteral("prod-eu"));
    ProfileStore::remove("prod-eu");
    QVERIFY(!ProfileStore::names().contains("prod-eu"));
    QVERIFY(!ProfileStore::load("prod-eu").has_value());
}

QTEST_GUILESS_MAIN(ProfilesTest)
#include "tst_profiles.moc"

// The Kubernetes control plane as its API objects describe it: leader-election Leases,
// the API servers behind the kubernetes Service, masters and their static pods, and the
// verbose health endpoints. The objects are in tests/data/kube, in the shapes of the
// Kubernetes API reference (coordination.k8s.io/v1 LeaseList, discovery.k8s.io/v1
// EndpointSliceList, core/v1 NodeList and PodList).

#include "kube/ApiServerEndpoints.h"
#include "kube/ControlPlaneNode.h"
#include "kube/HealthReport.h"
#include "kube/KubeLease.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

QList<QJsonObject> items(const QString &file)
{
    QFile f(QFINDTESTDATA("../data/kube/" + file));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(f.readAll()).object()[QStringLiteral("items")].toArray())
        out << v.toObject();
    return out;
}

} // namespace

class TestControlPlane : public QObject {
    Q_OBJECT

private slots:
    void leasesSayWhoLeadsAndWhetherTheyRenew()
    {
        QList<KubeLease> leases;
        for (const QJsonObject &o : items("leases-kube-system.json"))
            leases << KubeLease::fromJson(o);
        QCOMPARE(leases.size(), 3);
        const KubeLease &scheduler = leases[2];
        QCOMPARE(scheduler.name, QStringLiteral("kube-scheduler"));
        QCOMPARE(scheduler.holderNode(), QStringLiteral("master2"));
        QCOMPARE(scheduler.transitions, 7);
        QCOMPARE(scheduler.leaseDurationSeconds, 15);
        // MicroTime keeps its milliseconds.
        QCOMPARE(scheduler.renewTime, QDateTime(QDate(2026, 12, 6), QTime(9, 59, 58, 120), Qt::UTC));
        QCOMPARE(scheduler.acquireTime, QDateTime(QDate(2026, 12, 5), QTime(22, 3, 51, 771), Qt::UTC));

        // At 10:00:05 the scheduler renewed 7 s ago (of 15): held. The controller-manager
        // last renewed at 09:59:40, 25 s ago: stale.
        const QDateTime now(QDate(2026, 12, 6), QTime(10, 0, 5), Qt::UTC);
        QVERIFY(!scheduler.isStale(now));
        const KubeLease &controller = leases[1];
        QCOMPARE(controller.holderNode(), QStringLiteral("master1"));
        QVERIFY(controller.isStale(now));
        QVERIFY(!controller.isStale(QDateTime(QDate(2026, 12, 6), QTime(9, 59, 54), Qt::UTC)));
        QVERIFY(KubeLease {}.isStale(now)); // held by nobody

        const QJsonObject json = scheduler.toJson(now);
        QCOMPARE(json["holder"].toString(), scheduler.holder);
        QCOMPARE(json["renewTime"].toString(), QStringLiteral("2026-12-06T09:59:58.120Z"));
        QCOMPARE(json["leaseDurationSeconds"].toInt(), 15);
        QCOMPARE(json["transitions"].toInt(), 7);
        QCOMPARE(json["stale"].toBool(), false);
        QVERIFY(KubeLease {}.toJson(now)["holder"].isNull());
    }

    void everyAddressAndPortIsAnApiServer()
    {
        const QList<QJsonObject> slices = items("endpointslices-kubernetes.json");
        QCOMPARE(ApiServerEndpoints::addresses(slices),
            QStringList({"10.0.0.11:6443", "10.0.0.12:6443", "10.0.0.13:6443", "[fd00::11]:6443"}));
        QCOMPARE(ApiServerEndpoints::addresses(slices, true),
            QStringList({"10.0.0.11:6443", "10.0.0.12:6443", "[fd00::11]:6443"}));
        // Two API servers on one host, on two ports: two entries.
        QJsonObject two = slices[0];
        two["ports"] = QJsonArray {QJsonObject {{"port", 6443}}, QJsonObject {{"port", 16443}}};
        QCOMPARE(ApiServerEndpoints::addresses({two}).size(), 6);
    }

    void mastersCarryTheirStaticPods()
    {
        const QList<ControlPlaneNode> masters
            = ControlPlaneNode::fromLists(items("nodes.json"), items("pods-kube-system.json"));
        QCOMPARE(masters.size(), 3); // worker1 is no master; master3 has the older label
        QCOMPARE(masters[0].name, QStringLiteral("master1"));
        QVERIFY(masters[0].ready);
        QCOMPARE(masters[0].readySince, QDateTime(QDate(2026, 12, 1), QTime(16, 41, 55), Qt::UTC));
        QCOMPARE(masters[0].kubeletVersion, QStringLiteral("v1.29.4"));
        QCOMPARE(masters[0].pods.size(), 4); // coredns is not a control-plane pod
        QCOMPARE(masters[0].pods[0].component, QStringLiteral("etcd"));
        QCOMPARE(masters[0].pods[0].restarts, 1);
        QCOMPARE(masters[0].pods[0].lastTermination, QStringLiteral("Error"));
        QVERIFY(masters[0].isHealthy());

        const StaticPod &controller = masters[1].pods[2]; // by component: etcd, kube-apiserver, …
        QCOMPARE(controller.name, QStringLiteral("kube-controller-manager-master2"));
        QVERIFY(!controller.ready);
        QCOMPARE(controller.restarts, 12);
        QCOMPARE(controller.waiting, QStringLiteral("CrashLoopBackOff"));
        QVERIFY(!masters[1].isHealthy());

        QVERIFY(!masters[2].ready);
        QCOMPARE(masters[2].readyReason, QStringLiteral("NodeStatusUnknown"));
        QCOMPARE(masters[2].kubeletVersion, QStringLiteral("v1.28.9"));
        QCOMPARE(masters[2].pods[3].lastTermination, QStringLiteral("OOMKilled"));

        const QJsonObject json = masters[1].toJson();
        QCOMPARE(json["name"].toString(), QStringLiteral("master2"));
        QCOMPARE(json["kubeletVersion"].toString(), QStringLiteral("v1.29.4"));
        QCOMPARE(json["pods"].toArray().size(), 4);
        QCOMPARE(json["pods"].toArray()[2].toObject()["waiting"].toString(), QStringLiteral("CrashLoopBackOff"));
        QCOMPARE(json["pods"].toArray()[0].toObject()["phase"].toString(), QStringLiteral("Running"));

        // A static pod not yet running (its image still pulling) keeps its master unhealthy,
        // whatever its ready flag says, and its phase is reported as the API gives it.
        QList<QJsonObject> pods = items("pods-kube-system.json");
        for (QJsonObject &pod : pods) {
            if (pod["metadata"].toObject()["name"].toString() != QLatin1String("etcd-master1"))
                continue;
            QJsonObject status = pod["status"].toObject();
            status["phase"] = QStringLiteral("Pending");
            pod["status"] = status;
        }
        const QList<ControlPlaneNode> pending = ControlPlaneNode::fromLists(items("nodes.json"), pods);
        QCOMPARE(pending[0].pods[0].phase, QStringLiteral("Pending"));
        QVERIFY(!pending[0].isHealthy());
        QCOMPARE(pending[0].toJson()["pods"].toArray()[0].toObject()["phase"].toString(), QStringLiteral("Pending"));
    }

    void verboseHealthNamesTheFailingChecks()
    {
        QFile f(QFINDTESTDATA("../data/kube/readyz-etcd-failed.txt"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const HealthReport failed = HealthReport::parse(500, f.readAll());
        QVERIFY(!failed.ok);
        QCOMPARE(failed.failedChecks, QStringList {"etcd"});
        QCOMPARE(failed.checks.size(), 13);
        QVERIFY(failed.checks.contains("poststarthook/rbac/bootstrap-roles"));
        QCOMPARE(failed.describe("ready"), QStringLiteral("not ready: etcd failed"));

        const HealthReport passed = HealthReport::parse(200, "[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n");
        QVERIFY(passed.ok);
        QCOMPARE(passed.describe("live"), QStringLiteral("live"));
        // A 503 from a proxy in front, with no check lines: not ready, and said so.
        const HealthReport proxied = HealthReport::parse(503, "<html>Service Unavailable</html>");
        QVERIFY(!proxied.ok);
        QCOMPARE(proxied.describe("ready"), QStringLiteral("not ready (HTTP 503)"));
    }
};

QTEST_GUILESS_MAIN(TestControlPlane)
#include "tst_controlplane.moc"

// `quorumdeck certs --pki DIR`: a kubeadm-like PKI made with openssl, listed by expiry with
// the severity each certificate has, and each expiry as openssl itself reads it.

#include "support/CliRun.h"
#include "support/KubeadmPki.h"
#include "support/TestSkip.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestPki : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void listsEveryCertificateByExpiry();
    void kubeconfigsAddTheirClientCertificates();
    void exitSaysTheWorst();
    void anExpiredCertificateIsCritical();
    void badInputIsNamed();

private:
    QJsonArray listed(const QStringList &extra, int expectedExit);

    QTemporaryDir m_home;
    QString m_pki;
};

void TestPki::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QD_SKIP_WITHOUT("openssl", "the test makes its PKI with it (installer/install-deps.sh --tests)");
    m_pki = m_home.filePath("pki");
    KubeadmPki pki(m_pki);
    // kubeadm's names; the API server's kubelet client expires within a week, the front
    // proxy's client within a month.
    const bool made = pki.ca("ca", "kubernetes") && pki.ca("front-proxy-ca", "front-proxy-ca")
        && pki.ca("etcd/ca", "etcd-ca")
        && pki.issue("apiserver", "ca", "/CN=kube-apiserver", 365,
            "DNS:kubernetes,DNS:kubernetes.default.svc,DNS:master1,IP:10.96.0.1,IP:10.0.0.11")
        && pki.issue("apiserver-kubelet-client", "ca", "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client", 5)
        && pki.issue("apiserver-etcd-client", "etcd/ca", "/CN=kube-apiserver-etcd-client", 300)
        && pki.issue("front-proxy-client", "front-proxy-ca", "/CN=front-proxy-client", 20)
        && pki.issue(
            "etcd/server", "etcd/ca", "/CN=master1", 365, "DNS:master1,DNS:localhost,IP:10.0.0.11,IP:127.0.0.1")
        && pki.issue("etcd/peer", "etcd/ca", "/CN=master1", 364, "DNS:master1,IP:10.0.0.11")
        && pki.issue("etcd/healthcheck-client", "etcd/ca", "/CN=kube-etcd-healthcheck-client", 363)
        && pki.issue("admin", "ca", "/O=system:masters/CN=kubernetes-admin", 100);
    QVERIFY2(made, qPrintable(pki.error()));
    // Keys and the service-account pair are not certificates: not listed.
    QFile sa(pki.path("sa.pub"));
    QVERIFY(sa.open(QIODevice::WriteOnly));
    sa.write("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n");
    sa.close();

    // A kubeconfig as kubeadm writes admin.conf: the client certificate embedded.
    QFile admin(m_home.filePath("admin.conf"));
    QVERIFY(admin.open(QIODevice::WriteOnly));
    admin.write("apiVersion: v1\nkind: Config\nclusters:\n- name: kubernetes\n  cluster:\n"
                "    server: https://10.0.0.10:6443\n    certificate-authority-data: "
        + pki.read("ca.crt").toBase64() + "\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: "
        + pki.read("admin.crt").toBase64() + "\n    client-key-data: " + pki.read("admin.key").toBase64()
        + "\ncontexts:\n- name: kubernetes-admin@kubernetes\n  context:\n    cluster: kubernetes\n"
          "    user: kubernetes-admin\ncurrent-context: kubernetes-admin@kubernetes\n");
    admin.close();
    QFile::remove(pki.path("admin.crt")); // it lives in the kubeconfig only, as with kubeadm
}

QJsonArray TestPki::listed(const QStringList &extra, int expectedExit)
{
    const CliRun r = runQuorumdeck(QStringList {"certs", "--pki", m_pki, "-w", "json"} + extra);
    if (r.exitCode != expectedExit)
        qWarning("exit %d: %s", r.exitCode, r.err.constData());
    return r.exitCode == expectedExit ? QJsonDocument::fromJson(r.out).object()["certificates"].toArray()
                                      : QJsonArray();
}

void TestPki::listsEveryCertificateByExpiry()
{
    const QJsonArray certificates = listed({}, 2);
    QStringList files;
    for (const QJsonValue &c : certificates)
        files << c["file"].toString();
    QCOMPARE(files.size(), 10);
    QCOMPARE(files.mid(0, 7),
        QStringList({"apiserver-kubelet-client.crt", "front-proxy-client.crt", "apiserver-etcd-client.crt",
            "etcd/healthcheck-client.crt", "etcd/peer.crt", "apiserver.crt", "etcd/server.crt"}));
    // The CAs last; made within a second of each other, they may tie, so in any order.
    QStringList cas = files.mid(7);
    cas.sort();
    QCOMPARE(cas, QStringList({"ca.crt", "etcd/ca.crt", "front-proxy-ca.crt"}));

    KubeadmPki pki(m_pki);
    QDateTime previous;
    for (const QJsonValue &c : certificates) {
        const QString file = c["file"].toString();
        const QDateTime notAfter = QDateTime::fromString(c["notAfter"].toString(), Qt::ISODate);
        QVERIFY(notAfter.isValid());
        QVERIFY2(!previous.isValid() || previous <= notAfter, qPrintable(file));
        previous = notAfter;
        // openssl prints "Dec  6 22:58:01 2027 GMT".
        const QDateTime theirs
            = QLocale::c().toDateTime(pki.opensslEndDate(file).simplified().remove(QStringLiteral(" GMT")),
                QStringLiteral("MMM d HH:mm:ss yyyy"));
        QVERIFY2(theirs.isValid(), qPrintable(pki.opensslEndDate(file)));
        QCOMPARE(notAfter, QDateTime(theirs.date(), theirs.time(), Qt::UTC));
        const QString expected = file == "apiserver-kubelet-client.crt" ? "critical"
            : file == "front-proxy-client.crt"                          ? "warning"
                                                                        : "ok";
        QCOMPARE(c["severity"].toString(), expected);
        QVERIFY(!c.toObject().contains("user"));
    }
    QCOMPARE(certificates[0]["subject"].toString(),
        QStringLiteral("CN=kube-apiserver-kubelet-client, O=kubeadm:cluster-admins"));
    const QJsonObject apiserver = certificates[5].toObject();
    QCOMPARE(apiserver["issuer"].toString(), QStringLiteral("CN=kubernetes"));
    QVERIFY(apiserver["subjectAltNames"].toArray().contains(QStringLiteral("IP:10.96.0.1")));
    QVERIFY(apiserver["subjectAltNames"].toArray().contains(QStringLiteral("DNS:kubernetes.default.svc")));

    // The table: soonest first, and a line that counts them.
    const CliRun text = runQuorumdeck({"certs", "--pki", m_pki});
    QCOMPARE(text.exitCode, 2);
    const QList<QByteArray> lines = text.out.split('\n');
    QVERIFY2(lines.size() > 12 && lines[0].startsWith("EXPIRES") && lines[1].contains("apiserver-kubelet-client.crt")
            && lines[1].contains("critical"),
        text.out.constData());
    QVERIFY2(text.out.contains("10 certificate(s): 1 critical (within 7 days or expired), 1 warning (within 30 days)"),
        text.out.constData());
}

void TestPki::kubeconfigsAddTheirClientCertificates()
{
    const QString admin = m_home.filePath("admin.conf");
    const QJsonArray certificates = listed({"--kubeconfig", admin}, 2);
    QCOMPARE(certificates.size(), 11);
    QJsonObject user;
    for (const QJsonValue &c : certificates) {
        if (c["file"].toString() == admin)
            user = c.toObject();
    }
    QCOMPARE(user["user"].toString(), QStringLiteral("kubernetes-admin"));
    QCOMPARE(user["subject"].toString(), QStringLiteral("CN=kubernetes-admin, O=system:masters"));
    QCOMPARE(user["severity"].toString(), QStringLiteral("ok"));
    QCOMPARE(user["issuer"].toString(), QStringLiteral("CN=kubernetes"));
}

void TestPki::exitSaysTheWorst()
{
    // Without the critical one, a warning alone exits 0.
    QTemporaryDir copy;
    KubeadmPki pki(copy.path());
    QVERIFY2(pki.ca("ca", "kubernetes") && pki.issue("front-proxy-client", "ca", "/CN=front-proxy-client", 20),
        qPrintable(pki.error()));
    const CliRun r = runQuorumdeck({"certs", "--pki", copy.path(), "-w", "json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out).object()["certificates"].toArray().size(), 2);
}

void TestPki::anExpiredCertificateIsCritical()
{
    // Issued for -1 days: its notAfter lies a day before now, as a forgotten renewal's does.
    QTemporaryDir copy;
    KubeadmPki pki(copy.path());
    QVERIFY2(
        pki.ca("ca", "kubernetes") && pki.issue("apiserver", "ca", "/CN=kube-apiserver", -1), qPrintable(pki.error()));
    const CliRun r = runQuorumdeck({"certs", "--pki", copy.path(), "-w", "json"});
    QCOMPARE(r.exitCode, 2);
    QJsonObject apiserver;
    for (const QJsonValue &c : QJsonDocument::fromJson(r.out).object()["certificates"].toArray()) {
        if (c["file"].toString() == QLatin1String("apiserver.crt"))
            apiserver = c.toObject();
    }
    QCOMPARE(apiserver["severity"].toString(), QStringLiteral("critical"));
    const QDateTime notAfter = QDateTime::fromString(apiserver["notAfter"].toString(), Qt::ISODate);
    QVERIFY2(
        notAfter.isValid() && notAfter < QDateTime::currentDateTimeUtc(), qPrintable(apiserver["notAfter"].toString()));
    const CliRun text = runQuorumdeck({"certs", "--pki", copy.path()});
    QCOMPARE(text.exitCode, 2);
    bool rowSaysExpired = false;
    for (const QByteArray &line : text.out.split('\n'))
        rowSaysExpired = rowSaysExpired || (line.contains("apiserver.crt") && line.contains("expired"));
    QVERIFY2(rowSaysExpired, text.out.constData());
}

void TestPki::badInputIsNamed()
{
    QTemporaryDir dir;
    const CliRun empty = runQuorumdeck({"certs", "--pki", dir.path()});
    QCOMPARE(empty.exitCode, 1);
    QVERIFY2(empty.err.contains("holds no certificate (*.crt)"), empty.err.constData());

    const CliRun missing = runQuorumdeck({"certs", "--pki", dir.filePath("nope")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("no such directory"), missing.err.constData());

    // A file that is no certificate is named; the others are still listed.
    KubeadmPki pki(dir.path());
    QVERIFY2(pki.ca("ca", "kubernetes"), qPrintable(pki.error()));
    QFile broken(dir.filePath("broken.crt"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not a certificate\n");
    broken.close();
    const CliRun r = runQuorumdeck({"certs", "--pki", dir.path(), "-w", "json"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("broken.crt: holds no certificate in PEM or DER"), r.err.constData());
    QCOMPARE(QJsonDocument::fromJson(r.out).object()["certificates"].toArray().size(), 1);

    const CliRun orphan = runQuorumdeck({"certs", "--kubeconfig", m_home.filePath("admin.conf")});
    QCOMPARE(orphan.exitCode, 1);
    QVERIFY2(orphan.err.contains("--kubeconfig applies to certs --pki DIR"), orphan.err.constData());
}

QTEST_GUILESS_MAIN(TestPki)
#include "tst_pki.moc"

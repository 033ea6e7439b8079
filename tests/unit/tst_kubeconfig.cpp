#include "kube/KubeConfig.h"
#include "support/ResultText.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

/// The kubeconfig reader: contexts, credentials inline and in files, merging, and a clear
/// sentence for each way a kubeconfig can be unusable.
class KubeConfigTest : public QObject {
    Q_OBJECT

private slots:
    void resolvesTheCurrentContext();
    void resolvesFilesRelativeToTheKubeconfig();
    void mergesFilesFirstDefinitionWins();
    void readsJsonKubeconfigs();
    void refusesCredentialPlugins();
    void namesWhatIsMissing();
    void reportsInvalidYamlWithItsLine();
    void defaultPathsFollowKubeconfigVariable();

private:
    QString write(const QString &name, const QByteArray &text);
    QTemporaryDir m_dir;
};

namespace {

const QByteArray kTwoContexts = R"(apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkZBS0UKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    tls-server-name: kubernetes.default
- name: lab
  cluster:
    server: https://lab.example:6443
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: abc.def
- name: cert-user
  user:
    client-certificate-data: Y2VydA==
    client-key-data: a2V5
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: admin
    namespace: kube-system
- name: lab
  context:
    cluster: lab
    user: cert-user
)";

} // namespace

QString KubeConfigTest::write(const QString &name, const QByteArray &text)
{
    const QString path = m_dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return path;
}

void KubeConfigTest::resolvesTheCurrentContext()
{
    KubeConfig config;
    QString error;
    error = config.load({write("config", kTwoContexts)}).problem();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(config.currentContext(), QStringLiteral("prod"));
    QCOMPARE(config.contexts(), QStringList({"prod", "lab"}));

    KubeCredentials c;
    error = take(config.resolve({}), &c);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(c.context, QStringLiteral("prod"));
    QCOMPARE(c.server, QStringLiteral("https://10.0.0.1:6443"));
    QCOMPARE(c.tlsServerName, QStringLiteral("kubernetes.default"));
    QVERIFY(c.caPem.startsWith("-----BEGIN CERTIFICATE-----"));
    QCOMPARE(c.token, QByteArray("abc.def"));
    QCOMPARE(c.user, QStringLiteral("admin"));
    QVERIFY(!c.insecureSkipVerify);

    error = take(config.resolve(QStringLiteral("lab")), &c);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(c.insecureSkipVerify);
    QVERIFY(c.token.isEmpty());
    QCOMPARE(c.clientCertPem, QByteArray("cert"));
    QCOMPARE(c.clientKeyPem, QByteArray("key"));
}

void KubeConfigTest::resolvesFilesRelativeToTheKubeconfig()
{
    write("kube/pki/ca.crt", "CA-PEM");
    write("kube/pki/client.crt", "CLIENT-PEM");
    write("kube/pki/client.key", "KEY-PEM");
    write("kube/token", "  s3cr3t-token\n");
    const QString path = write("kube/config", R"(
current-context: a
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt}
users:
- name: files
  user: {client-certificate: pki/client.crt, client-key: pki/client.key}
- name: tokenfile
  user: {tokenFile: token}
contexts:
- {name: a, context: {cluster: c, user: files}}
- {name: b, context: {cluster: c, user: tokenfile}}
)");
    KubeConfig config;
    QString error;
    error = config.load({path}).problem();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    KubeCredentials c;
    error = take(config.resolve({}), &c);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(c.caPem, QByteArray("CA-PEM"));
    QCOMPARE(c.clientCertPem, QByteArray("CLIENT-PEM"));
    QCOMPARE(c.clientKeyPem, QByteArray("KEY-PEM"));
    error = take(config.resolve(QStringLiteral("b")), &c);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(c.token, QByteArray("s3cr3t-token"));

    QFile::remove(m_dir.filePath("kube/pki/ca.crt"));
    error = take(config.resolve({}), &c);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("ca.crt")), qPrintable(error));
}

void KubeConfigTest::mergesFilesFirstDefinitionWins()
{
    const QString first = write("merge/one", R"(
clusters:
- {name: shared, cluster: {server: "https://first:6443"}}
users:
- {name: u, user: {token: first-token}}
contexts:
- {name: ctx, context: {cluster: shared, user: u}}
)");
    const QString second = write("merge/two", R"(
current-context: ctx
clusters:
- {name: shared, cluster: {server: "https://second:6443"}}
users:
- {name: u, user: {token: second-token}}
)");
    KubeConfig config;
    QString error;
    error = config.load({first, m_dir.filePath("merge/missing"), second}).problem();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // current-context came from the second file, the first file's definitions win.
    KubeCredentials c;
    error = take(config.resolve({}), &c);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(c.server, QStringLiteral("https://first:6443"));
    QCOMPARE(c.token, QByteArray("first-token"));
}

void KubeConfigTest::readsJsonKubeconfigs()
{
    const QString path
        = write("json", R"({"current-context":"j","clusters":[{"name":"c","cluster":{"server":"https://j:6443"}}],
"users":[{"name":"u","user":{"username":"admin","password":"pw"}}],"contexts":[{"name":"j","context":{"cluster":"c","user":"u"}}]})");
    KubeConfig config;
    QString error;
    error = config.load({path}).problem();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    KubeCredentials c;
    error = take(config.resolve({}), &c);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(c.server, QStringLiteral("https://j:6443"));
    QCOMPARE(c.username, QStringLiteral("admin"));
    QCOMPARE(c.password, QByteArray("pw"));
}

void KubeConfigTest::refusesCredentialPlugins()
{
    const QString path = write("exec", R"(
current-context: eks
clusters: [{name: c, cluster: {server: "https://eks:443"}}]
users:
- name: aws
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
contexts: [{name: eks, context: {cluster: c, user: aws}}]
)");
    KubeConfig config;
    QString error;
    error = config.load({path}).problem();
    QVERIFY(error.isEmpty());
    KubeCredentials c;
    error = take(config.resolve({}), &c);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("exec plugin")), qPrintable(error));
}

void KubeConfigTest::namesWhatIsMissing()
{
    KubeConfig config;
    QString error;
    error = config
                .parse(R"(
clusters: [{name: c, cluster: {server: "https://x:6443"}}, {name: empty, cluster: {insecure-skip-tls-verify: true}}]
contexts:
- {name: nocluster, context: {cluster: gone, user: u}}
- {name: nouser, context: {cluster: c, user: ghost}}
- {name: noserver, context: {cluster: empty}}
)",
                    m_dir.path())
                .problem();
    QVERIFY(error.isEmpty());
    KubeCredentials c;
    error = take(config.resolve({}), &c);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("no current-context")), qPrintable(error));
    error = take(config.resolve(QStringLiteral("nocluster")), &c);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("names cluster gone")), qPrintable(error));
    error = take(config.resolve(QStringLiteral("nouser")), &c);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("names user ghost")), qPrintable(error));
    error = take(config.resolve(QStringLiteral("noserver")), &c);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("no server address")), qPrintable(error));
    error = take(config.resolve(QStringLiteral("absent")), &c);
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("no context named absent")), qPrintable(error));

    KubeConfig none;
    error = none.load({m_dir.filePath("does-not-exist")}).problem();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("no kubeconfig found")), qPrintable(error));
    // Callers tell failures apart by kind, not by their words.
    QCOMPARE(KubeConfig().load({m_dir.filePath("does-not-exist")}).error().kind(), Error::Kind::NotFound);
    QCOMPARE(config.resolve(QStringLiteral("absent")).error().kind(), Error::Kind::NotFound);
}

void KubeConfigTest::reportsInvalidYamlWithItsLine()
{
    KubeConfig config;
    QString error;
    error = config.parse("clusters:\n- name: a\n  cluster: {server: [unclosed\n", {}).problem();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("not valid YAML at line")), qPrintable(error));
    error = config.parse("- just\n- a list\n", {}).problem();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QLatin1String("mapping")), qPrintable(error));
    // Wrongly shaped entries: a section that is not a list defines nothing; an entry that is
    // not a mapping is reported with its line. Never a crash.
    KubeConfig scalarSection;
    error.clear();
    error = scalarSection.parse("clusters: 5\ncurrent-context: x\n", {}).problem();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(scalarSection.currentContext(), QStringLiteral("x"));
    QVERIFY(scalarSection.contexts().isEmpty());
    KubeConfig mappingSection;
    error = mappingSection.parse("users: {a: b}\n", {}).problem();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.startsWith(QLatin1String("unexpected structure at line")), qPrintable(error));
    KubeConfig scalarEntries;
    error.clear();
    error = scalarEntries.parse("contexts: [1, [2]]\n", {}).problem();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.startsWith(QLatin1String("unexpected structure at line 1:")), qPrintable(error));
    QVERIFY(scalarEntries.contexts().isEmpty());
}

void KubeConfigTest::defaultPathsFollowKubeconfigVariable()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("HOME"), QStringLiteral("/home/op"));
    QCOMPARE(KubeConfig::defaultPaths(env), QStringList {"/home/op/.kube/config"});
    env.insert(QStringLiteral("KUBECONFIG"), QStringLiteral("/a/config::/b/config"));
    QCOMPARE(KubeConfig::defaultPaths(env), QStringList({"/a/config", "/b/config"}));
}

QTEST_GUILESS_MAIN(KubeConfigTest)
#include "tst_kubeconfig.moc"

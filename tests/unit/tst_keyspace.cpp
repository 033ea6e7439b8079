// What fills the database, summed (KeyspaceSummary), the range a prefix covers, how a
// value is shown, and the envelope of Kubernetes objects stored as protobuf.

#include "kube/KubeStorageEnvelope.h"
#include "storage/KeyspaceSummary.h"
#include "storage/KeyspaceWalker.h"
#include "storage/ValueFormat.h"

#include <QJsonArray>
#include <QTest>

class KeyspaceTest : public QObject {
    Q_OBJECT

private slots:
    void prefixIsTheFirstSegmentsButNeverTheName_data();
    void prefixIsTheFirstSegmentsButNeverTheName();
    void sumsAndLargestKeys();
    void memoryFollowsPrefixesNotKeys();
    void prefixEndCoversEveryKeyWithThePrefix();
    void valuesAreShownAsTheyReadBest();
    void kubernetesEnvelopeNamesTheKind();
};

void KeyspaceTest::prefixIsTheFirstSegmentsButNeverTheName_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("depth");
    QTest::addColumn<QByteArray>("prefix");
    QTest::newRow("namespaced object") << QByteArray("/registry/pods/default/web-1") << 3
                                       << QByteArray("/registry/pods/default");
    QTest::newRow("cluster-scoped object")
        << QByteArray("/registry/namespaces/default") << 3 << QByteArray("/registry/namespaces");
    QTest::newRow("depth one") << QByteArray("/registry/pods/default/web-1") << 1 << QByteArray("/registry");
    QTest::newRow("deeper than the key") << QByteArray("/a/b") << 8 << QByteArray("/a");
    QTest::newRow("right under the root") << QByteArray("/k1") << 3 << QByteArray("/");
    QTest::newRow("no slash at all") << QByteArray("plainkey") << 3 << QByteArray();
    QTest::newRow("not rooted") << QByteArray("app/config/x/y") << 2 << QByteArray("app/config");
    QTest::newRow("empty segment") << QByteArray("/a//b/c") << 3 << QByteArray("/a//b");
}

void KeyspaceTest::prefixIsTheFirstSegmentsButNeverTheName()
{
    QFETCH(QByteArray, key);
    QFETCH(int, depth);
    QFETCH(QByteArray, prefix);
    QCOMPARE(KeyspaceSummary::prefixOf(key, depth), prefix);
}

void KeyspaceTest::sumsAndLargestKeys()
{
    KeyspaceSummary s(3, 2);
    s.add("/registry/pods/default/a", 100); // 124 bytes
    s.add("/registry/pods/default/b", 300); // 324
    s.add("/registry/pods/kube-system/c", 10); // 38
    s.add("/k", 5); // 7
    QCOMPARE(s.keys(), 4);
    QCOMPARE(s.bytes(), 124 + 324 + 38 + 7);
    const QList<KeyspaceSummary::Prefix> p = s.prefixes();
    QCOMPARE(p.size(), 3);
    QCOMPARE(p.at(0).prefix, QByteArray("/registry/pods/default"));
    QCOMPARE(p.at(0).keys, 2);
    QCOMPARE(p.at(0).bytes, 448);
    QCOMPARE(p.at(2).prefix, QByteArray("/"));
    const QList<KeyspaceSummary::Key> top = s.largest();
    QCOMPARE(top.size(), 2);
    QCOMPARE(top.at(0).key, QByteArray("/registry/pods/default/b"));
    QCOMPARE(top.at(1).key, QByteArray("/registry/pods/default/a"));
    const QJsonObject json = s.toJson();
    QCOMPARE(json["prefixes"].toArray().at(0)["prefix"].toString(), QStringLiteral("/registry/pods/default"));
    QCOMPARE(json["largest"].toArray().at(0)["bytes"].toInteger(), 324);
    // A key that is not UTF-8 is written with escapes, never as replacement characters.
    QCOMPARE(KeyspaceSummary::printable(QByteArray("/bin/\xff\x01", 7)), QStringLiteral("/bin/\\xff\\x01"));
}

void KeyspaceTest::memoryFollowsPrefixesNotKeys()
{
    // A million keys in four groups keep four groups and the top ten.
    KeyspaceSummary s(2, 10);
    for (int i = 0; i < 1000000; ++i)
        s.add("/g/" + QByteArray::number(i % 4) + "/key-" + QByteArray::number(i), i % 1000);
    QCOMPARE(s.keys(), 1000000);
    QCOMPARE(s.prefixes().size(), 4);
    QCOMPARE(s.largest().size(), 10);
    QCOMPARE(s.largest().first().bytes, QByteArray("/g/3/key-999999").size() + 999);
}

void KeyspaceTest::prefixEndCoversEveryKeyWithThePrefix()
{
    QCOMPARE(KeyspaceWalker::prefixEnd("/registry/"), QByteArray("/registry0"));
    QCOMPARE(KeyspaceWalker::prefixEnd(QByteArray("a\xff", 2)), QByteArray("b"));
    QCOMPARE(KeyspaceWalker::prefixEnd(QByteArray("\xff\xff", 2)), QByteArray(1, '\0'));
    QCOMPARE(KeyspaceWalker::prefixEnd(QByteArray()), QByteArray(1, '\0'));
}

void KeyspaceTest::valuesAreShownAsTheyReadBest()
{
    QCOMPARE(ValueFormat::guess(R"({"a":1})"), ValueFormat::Kind::Json);
    QCOMPARE(ValueFormat::guess("plain text\nline two"), ValueFormat::Kind::Text);
    QCOMPARE(ValueFormat::guess(QByteArray("\x00\x01\x02", 3)), ValueFormat::Kind::Hex);
    QCOMPARE(ValueFormat::guess("42"), ValueFormat::Kind::Text); // a JSON scalar reads fine as text
    QCOMPARE(ValueFormat::render(R"({"a":1})", ValueFormat::Kind::Json), QStringLiteral("{\n    \"a\": 1\n}\n"));
    QVERIFY(ValueFormat::render("not json", ValueFormat::Kind::Json).startsWith(QLatin1String("(not JSON")));
    QVERIFY(ValueFormat::render(QByteArray("\xff", 1), ValueFormat::Kind::Text).startsWith(QLatin1String("(not text")));
    const QString hex = ValueFormat::hexDump("0123456789abcdefXY");
    QCOMPARE(hex.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), 2);
    QVERIFY2(
        hex.startsWith(QLatin1String("00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef")),
        qPrintable(hex));
    QVERIFY(ValueFormat::hexDump(QByteArray(100, 'x'), 32).contains(QLatin1String("68 more bytes not shown")));
}

void KeyspaceTest::kubernetesEnvelopeNamesTheKind()
{
    // Written by hand from runtime.Unknown's field numbers: typeMeta = 1 {apiVersion = 1,
    // kind = 2}, raw = 2, contentEncoding = 3, contentType = 4.
    QByteArray typeMeta;
    typeMeta += '\x0a';
    typeMeta += char(7);
    typeMeta += "apps/v1";
    typeMeta += '\x12';
    typeMeta += char(10);
    typeMeta += "Deployment";
    QByteArray unknown;
    unknown += '\x0a';
    unknown += char(typeMeta.size());
    unknown += typeMeta;
    unknown += '\x12';
    unknown += char(5);
    unknown += QByteArray("\x0a\x03\x61\x62\x63", 5);
    const QByteArray stored = QByteArray("k8s\0", 4) + unknown;
    QVERIFY(KubeStorageEnvelope::looksLikeOne(stored));
    const auto e = KubeStorageEnvelope::decode(stored);
    QVERIFY(e.has_value());
    QCOMPARE(e->apiVersion, QStringLiteral("apps/v1"));
    QCOMPARE(e->kind, QStringLiteral("Deployment"));
    QCOMPARE(e->rawBytes, 5);
    // JSON-stored objects and damaged envelopes are not taken for one.
    QVERIFY(!KubeStorageEnvelope::decode(R"({"kind":"Pod"})").has_value());
    QVERIFY(!KubeStorageEnvelope::decode(QByteArray("k8s\0\x0a\x7f", 6)).has_value());
}

QTEST_GUILESS_MAIN(KeyspaceTest)
#include "tst_keyspace.moc"

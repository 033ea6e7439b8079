#include "common/Result.h"

#include <QTest>

/// Result<T> and Error: a value or an error with a sentence, a kind and the causes beneath.
class TestResult : public QObject {
    Q_OBJECT

    static Result<int> parsePort(const QString &text)
    {
        bool ok = false;
        const int port = text.toInt(&ok);
        if (!ok || port < 1 || port > 65535)
            return Error::invalid(QStringLiteral("%1 is not a port").arg(text));
        return port;
    }

private slots:
    void holdsAValueOrAnError()
    {
        const Result<int> good = parsePort(QStringLiteral("2379"));
        QVERIFY(good.ok());
        QVERIFY(bool(good));
        QCOMPARE(good.value(), 2379);
        QCOMPARE(*good, 2379);
        const Result<int> bad = parsePort(QStringLiteral("x"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind(), Error::Kind::Invalid);
        QCOMPARE(bad.error().sentence(), QStringLiteral("x is not a port"));
        QCOMPARE(bad.valueOr(2380), 2380);
        QCOMPARE(good.valueOr(2380), 2379);
    }

    void mapsValuesAndPassesErrorsOn()
    {
        const auto doubled = parsePort(QStringLiteral("100")).map([](int p) { return QString::number(p * 2); });
        QCOMPARE(doubled.value(), QStringLiteral("200"));
        const auto failed = parsePort(QStringLiteral("0")).map([](int p) { return p * 2; });
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().sentence(), QStringLiteral("0 is not a port"));
    }

    void voidResults()
    {
        const Result<void> fine;
        QVERIFY(fine.ok());
        QVERIFY(Result<void>::success().ok());
        const Result<void> failed = Error::timeout(QStringLiteral("no answer within 2 s"));
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().kind(), Error::Kind::Timeout);
    }

    void carriesItsCauses()
    {
        const Error port = Error::unavailable(QStringLiteral("port 2380 is taken"));
        const Error start = port.context(QStringLiteral("member m2 did not start"));
        const Error demo = start.context(QStringLiteral("the demo cluster did not come up"));
        QCOMPARE(demo.kind(), Error::Kind::Unavailable); // the kind of the root failure
        QCOMPARE(demo.chain(),
            QStringList({"the demo cluster did not come up", "member m2 did not start", "port 2380 is taken"}));
        QCOMPARE(demo.describe(),
            QStringLiteral("the demo cluster did not come up: member m2 did not start: port 2380 is taken"));
        QVERIFY(demo.cause() && demo.cause()->cause());
        QVERIFY(!demo.cause()->cause()->cause());
        // causedBy puts a cause beneath the deepest one; the original is not changed.
        const Error deeper = demo.causedBy(Error::io(QStringLiteral("bind: address in use")));
        QCOMPARE(deeper.chain().size(), 4);
        QCOMPARE(deeper.chain().last(), QStringLiteral("bind: address in use"));
        QCOMPARE(demo.chain().size(), 3);
    }

    void kindsHaveNames()
    {
        QCOMPARE(Error::kindName(Error::Kind::NotFound), QStringLiteral("not found"));
        QCOMPARE(Error::kindName(Error::Kind::Refused), QStringLiteral("refused"));
        QCOMPARE(Error().kind(), Error::Kind::Internal);
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"

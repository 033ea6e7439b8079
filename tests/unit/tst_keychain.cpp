#include "keychain/KeychainPasswords.h"

#include <QtTest>

/// Passwords kept in the system keychain (the Secret Service): stored, read back, removed,
/// and a clear sentence for one that is not there. ctest runs this inside a private D-Bus
/// session with a throw-away keyring (tests/support/with-keyring.sh).
class KeychainTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void storesReadsAndRemoves();

private:
    QString store(const QString &profile, const QString &password);
    std::pair<QString, QString> read(const QString &profile);
    KeychainPasswords m_keychain;
};

void KeychainTest::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QFAIL("no D-Bus session: run this test through tests/support/with-keyring.sh");
}

QString KeychainTest::store(const QString &profile, const QString &password)
{
    std::optional<QString> error;
    m_keychain.store(profile, "root", password, [&](const Result<void> &r) { error = r.problem(); });
    if (!QTest::qWaitFor([&] { return error.has_value(); }, 10000))
        return QStringLiteral("timed out");
    return *error;
}

std::pair<QString, QString> KeychainTest::read(const QString &profile)
{
    std::optional<std::pair<QString, QString>> result;
    m_keychain.read(
        profile, "root", [&](const Result<QString> &r) { result = std::make_pair(r.valueOr({}), r.problem()); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
        return {{}, QStringLiteral("timed out")};
    return *result;
}

void KeychainTest::storesReadsAndRemoves()
{
    const QString error = store("kc-test", "s3cret-in-keyring");
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const auto [password, readError] = read("kc-test");
    QVERIFY2(readError.isEmpty(), qPrintable(readError));
    QCOMPARE(password, QStringLiteral("s3cret-in-keyring"));

    std::optional<QString> removed;
    m_keychain.remove("kc-test", "root", [&](const Result<void> &r) { removed = r.problem(); });
    QVERIFY(QTest::qWaitFor([&] { return removed.has_value(); }, 10000));
    QVERIFY2(removed->isEmpty(), qPrintable(*removed));
    const auto [gone, goneError] = read("kc-test");
    QVERIFY(gone.isEmpty());
    QCOMPARE(goneError, QStringLiteral("no password is stored in the keychain for this profile"));
    std::optional<Error::Kind> kind;
    m_keychain.read(
        "kc-test", "root", [&](const Result<QString> &r) { kind = r.ok() ? Error::Kind::Internal : r.error().kind(); });
    QVERIFY(QTest::qWaitFor([&] { return kind.has_value(); }, 10000));
    QCOMPARE(*kind, Error::Kind::NotFound);
}

QTEST_GUILESS_MAIN(KeychainTest)
#include "tst_keychain.moc"

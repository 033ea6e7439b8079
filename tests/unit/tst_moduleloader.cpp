#include "cli/ModuleLoader.h"

#include <QTest>

/// The binary loads its modules only through their table, checked first: a module from
/// another build or of another interface is refused with a sentence, never called.
class TestModuleLoader : public QObject {
    Q_OBJECT

private slots:
    void loadsAModuleOfThisBuild()
    {
        QString error;
        const QuorumdeckModule *module = ModuleLoader::loadFile(QStringLiteral(MODULE_SAME_BUILD), &error);
        QVERIFY2(module, qPrintable(error));
        QCOMPARE(module->abi, QUORUMDECK_MODULE_ABI);
        QCOMPARE(QByteArray(module->build), QByteArray(ModuleLoader::buildId()));
        QCOMPARE(module->run(0, nullptr), 42);
    }

    void refusesAnotherInterface()
    {
        QString error;
        QVERIFY(!ModuleLoader::loadFile(QStringLiteral(MODULE_OTHER_ABI), &error));
        QVERIFY2(error.contains(QStringLiteral("speaks module interface 999")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("reinstall")), qPrintable(error));
    }

    void refusesAnotherBuild()
    {
        QString error;
        QVERIFY(!ModuleLoader::loadFile(QStringLiteral(MODULE_OTHER_BUILD), &error));
        QVERIFY2(error.contains(QStringLiteral("is from build 0.0.0+elsewhere")), qPrintable(error));
        QVERIFY2(error.contains(QString::fromUtf8(ModuleLoader::buildId())), qPrintable(error));
    }

    void refusesALibraryWithoutTable()
    {
        QString error;
        QVERIFY(!ModuleLoader::loadFile(QStringLiteral(MODULE_NO_TABLE), &error));
        QVERIFY2(error.contains(QStringLiteral("is not a module of this program")), qPrintable(error));
    }

    void saysWhatCannotBeLoaded()
    {
        QString error;
        QVERIFY(!ModuleLoader::loadFile(QStringLiteral("/nonexistent/quorumdeck-tools.so"), &error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot load /nonexistent/quorumdeck-tools.so")), qPrintable(error));
    }

    void theToolsModuleIsOfThisBuild()
    {
        QString error;
        const QuorumdeckModule *module = ModuleLoader::loadFile(QStringLiteral(TOOLS_MODULE), &error);
        QVERIFY2(module, qPrintable(error));
        QVERIFY(module->explainTls);
    }
};

QTEST_GUILESS_MAIN(TestModuleLoader)
#include "tst_moduleloader.moc"

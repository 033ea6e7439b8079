#include "cli/CommandTable.h"
#include "cli/CompletionScript.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

/// The command table and what derives from it: the usage screen, each command's --help, which
/// options apply, and the bash and zsh completion, which are run in their shells.
class TestCommandTable : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    /// What a completion script offers for a command line whose last word is being typed.
    QStringList complete(const QString &shell, const QStringList &line)
    {
        const QString script = m_dir.filePath(shell == QLatin1String("bash") ? "quorumdeck" : "_quorumdeck");
        QStringList quoted;
        for (const QString &w : line)
            quoted << QStringLiteral("'%1'").arg(w);
        QString program;
        if (shell == QLatin1String("bash")) {
            program = QStringLiteral("source %1\nCOMP_WORDS=(%2)\nCOMP_CWORD=%3\n_quorumdeck\n"
                                     "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
                          .arg(script, quoted.join(QLatin1Char(' ')))
                          .arg(line.size() - 1);
        } else {
            // Outside the completion system: compadd and friends print what they are given.
            program = QStringLiteral("compadd() { [[ $1 == -- ]] && shift; print -l -- \"$@\"; }\n"
                                     "_files() { print -l -- *(N); }\n_message() { :; }\n"
                                     "words=(%1)\nCURRENT=%2\nsource %3\n")
                          .arg(quoted.join(QLatin1Char(' ')))
                          .arg(line.size())
                          .arg(script);
        }
        QProcess p;
        p.setWorkingDirectory(m_dir.filePath("files"));
        p.start(shell, {QStringLiteral("-c"), program});
        if (!p.waitForFinished(10000))
            return {QStringLiteral("(timed out)")};
        const QString err = QString::fromUtf8(p.readAllStandardError());
        if (!err.isEmpty())
            return {QStringLiteral("(stderr) ") + err};
        QStringList out = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        out.sort();
        return out;
    }

    static QString run(const QStringList &arguments)
    {
        QProcess p;
        p.start(QStringLiteral(QUORUMDECK_BINARY), arguments);
        p.waitForFinished(10000);
        return QString::fromUtf8(p.readAllStandardOutput());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).mkdir(QStringLiteral("files"));
        QFile ca(m_dir.filePath("files/ca.pem"));
        QVERIFY(ca.open(QIODevice::WriteOnly));
        QFile bash(m_dir.filePath("quorumdeck"));
        QVERIFY(bash.open(QIODevice::WriteOnly));
        bash.write(CompletionScript::bash().toUtf8());
        QFile zsh(m_dir.filePath("_quorumdeck"));
        QVERIFY(zsh.open(QIODevice::WriteOnly));
        zsh.write(CompletionScript::zsh().toUtf8());
    }

    void everyCommandAndOptionIsInTheUsage()
    {
        const QString usage = CommandTable::usage();
        for (const CommandTable::Command &c : CommandTable::commands())
            QVERIFY2(usage.contains(QStringLiteral("\n  %1").arg(QLatin1String(c.name))), c.name);
        for (const CommandTable::Option &o : CommandTable::options())
            QVERIFY2(usage.contains(QStringLiteral("--%1").arg(QLatin1String(o.name))), o.name);
    }

    void everyListedOptionExists()
    {
        // A misspelt name in a command's list would silently make an option inapplicable.
        for (const CommandTable::Command &c : CommandTable::commands()) {
            for (const QString &word : QString::fromLatin1(c.options).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                QVERIFY2(word == QLatin1String("@connection") || CommandTable::findOption(word),
                    qPrintable(QStringLiteral("%1 lists %2").arg(QLatin1String(c.name), word)));
            }
            QVERIFY2(c.home == CommandTable::Home::Tools || c.make, c.name);
        }
    }

    void whichOptionsApply()
    {
        const CommandTable::Command *status = CommandTable::find(QStringLiteral("status"));
        const CommandTable::Command *member = CommandTable::find(QStringLiteral("member"));
        const CommandTable::Command *demo = CommandTable::find(QStringLiteral("demo"));
        QVERIFY(status && member && demo);
        QVERIFY(CommandTable::applies(*status, QStringLiteral("endpoints")));
        QVERIFY(CommandTable::applies(*status, QStringLiteral("w")));
        QVERIFY(CommandTable::applies(*demo, QStringLiteral("dir")));
        QVERIFY(!CommandTable::applies(*status, QStringLiteral("learner")));
        QVERIFY(CommandTable::applies(*member, QStringLiteral("learner")));
        QVERIFY(!CommandTable::applies(*demo, QStringLiteral("endpoints")));
        QVERIFY(!CommandTable::find(QStringLiteral("stauts")));
        QCOMPARE(CommandTable::verbsOf(*demo, QStringLiteral("net")).value(0), QStringLiteral("isolate"));
    }

    void eachCommandHasItsOwnHelp()
    {
        const QString help = CommandTable::help(*CommandTable::find(QStringLiteral("member")));
        QVERIFY(help.contains(QStringLiteral("member add NAME --peer-urls URLS")));
        QVERIFY(help.contains(QStringLiteral("--peer-urls <urls>")));
        QVERIFY(help.contains(QStringLiteral("--endpoints <list>")));
        QVERIFY(!help.contains(QStringLiteral("--members")));
        QVERIFY(!help.contains(QStringLiteral("demo up")));
        // The binary answers the same, wherever the command stands among the options.
        QCOMPARE(run({QStringLiteral("member"), QStringLiteral("--help")}), help);
        QCOMPARE(run({QStringLiteral("--dir"), QStringLiteral("/nonexistent"), QStringLiteral("member"),
                     QStringLiteral("-h")}),
            help);
        QCOMPARE(run({QStringLiteral("--help")}), CommandTable::usage());
    }

    void completesInBothShells_data()
    {
        QTest::addColumn<QStringList>("line");
        QTest::addColumn<QStringList>("expected"); ///< must be offered
        QTest::addColumn<QStringList>("absent"); ///< must not be
        QTest::newRow("command") << QStringList {"quorumdeck", "mem"} << QStringList {"member"} << QStringList {};
        QTest::newRow("sub-command") << QStringList {"quorumdeck", "member", ""}
                                     << QStringList {"add", "list", "promote", "remove"} << QStringList {"status"};
        QTest::newRow("sub-command's flags")
            << QStringList {"quorumdeck", "member", "add", "n1", "--"} << QStringList {"--learner", "--peer-urls"}
            << QStringList {"--force", "--members"};
        QTest::newRow("verbs after an option's value")
            << QStringList {"quorumdeck", "--dir", "/tmp/demo", "demo", "net", ""}
            << QStringList {"isolate", "heal", "delay", "drop", "serve"} << QStringList {"up"};
        QTest::newRow("demo up flags") << QStringList {"quorumdeck", "demo", "up", "--"}
                                       << QStringList {"--members", "--tls", "--quota"}
                                       << QStringList {"--ms", "--endpoints"};
        QTest::newRow("output format") << QStringList {"quorumdeck", "status", "-w", ""}
                                       << QStringList {"json", "table"} << QStringList {};
        QTest::newRow("file") << QStringList {"quorumdeck", "status", "--cacert", ""} << QStringList {"ca.pem"}
                              << QStringList {};
    }

    void completesInBothShells()
    {
        QFETCH(QStringList, line);
        QFETCH(QStringList, expected);
        QFETCH(QStringList, absent);
        for (const QString &shell : {QStringLiteral("bash"), QStringLiteral("zsh")}) {
            if (QStandardPaths::findExecutable(shell).isEmpty())
                QSKIP(qPrintable(shell + QStringLiteral(" is not installed (installer/install-deps.sh installs it)")));
            const QStringList offered = complete(shell, line);
            for (const QString &word : expected)
                QVERIFY2(offered.contains(word), qPrintable(shell + ": " + offered.join(QLatin1Char(' '))));
            for (const QString &word : absent)
                QVERIFY2(!offered.contains(word), qPrintable(shell + ": " + offered.join(QLatin1Char(' '))));
        }
    }
};

QTEST_GUILESS_MAIN(TestCommandTable)
#include "tst_commandtable.moc"

#include "scrape/PromText.h"
#include "support/TestSkip.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace PromText;

/// The parser accepts and refuses sample values as Prometheus does, checked against
/// Prometheus' own tool: `promtool check metrics` reads a payload with the same text parser
/// the server scrapes with, and exits 1 on a line it cannot parse (3 only for lint findings).
class TestPromTextPromtool : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void valuesAsPromtoolReadsThem_data();
    void valuesAsPromtoolReadsThem();

private:
    /// True when promtool parses the payload (lint findings aside).
    static bool promtoolParses(const QByteArray &payload, QByteArray *said);
    QString m_promtool;
};

void TestPromTextPromtool::initTestCase()
{
    m_promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (m_promtool.isEmpty())
        QD_SKIP_WITHOUT("promtool", "Prometheus' reference parser (installer/install-deps.sh --tests installs it)");
}

bool TestPromTextPromtool::promtoolParses(const QByteArray &payload, QByteArray *said)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStandardPaths::findExecutable(QStringLiteral("promtool")), {"check", "metrics"});
    p.write(payload);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return false;
    *said = p.readAll();
    // 0: fine; 3: parsed, with lint findings (no HELP text); 1: the payload did not parse.
    return p.exitStatus() == QProcess::NormalExit && (p.exitCode() == 0 || p.exitCode() == 3);
}

void TestPromTextPromtool::valuesAsPromtoolReadsThem_data()
{
    QTest::addColumn<QByteArray>("value");
    // Values an exporter may well write, and spellings at the edges of Go's ParseFloat.
    for (const char *v : {"0", "1", "-1", "+1", "1.5", ".5", "5.", "-0", "1e3", "1E+3", "1e-3", ".5e-1", "1.e5",
             "123456789012345678901234567890", "1.7976931348623157e308", "1e-400", "4.9e-324", "Inf", "+Inf", "-Inf",
             "inf", "+inf", "-INF", "Infinity", "-infinity", "NaN", "nan", "NAN", "+NaN", "-nan", "1e400", "-1e400",
             "0x1p-2", "-0X1.8P3", "0x10", "1_000", "1e", "e3", "1.2.3", "--1", "+-1", "1,5", "0b101", "0o17", "nan(1)",
             "infinit", "Infinityy", "1 e3", "٣"})
        QTest::newRow(v) << QByteArray(v);
}

void TestPromTextPromtool::valuesAsPromtoolReadsThem()
{
    QFETCH(QByteArray, value);
    const QByteArray payload = "# HELP m A gauge.\n# TYPE m gauge\nm " + value + "\n";
    QByteArray said;
    const bool reference = promtoolParses(payload, &said);

    ParseResult ours;
    parse(std::string_view(payload.constData(), size_t(payload.size())), ours);
    const bool accepted = ours.errors.empty() && ours.samples.size() == 1;
    QVERIFY2(accepted == reference,
        qPrintable(QStringLiteral("value \"%1\": promtool %2 it (%3), the console %4 it")
                       .arg(QString::fromUtf8(value), reference ? "reads" : "refuses",
                           QString::fromUtf8(said.trimmed()), accepted ? "reads" : "refuses")));
    if (!accepted)
        return;
    // Both read it: the same double (the reference is Go's reading, which for these spellings
    // is what parseValue's own check below pins).
    const std::optional<double> v = parseValue(std::string_view(value.constData(), size_t(value.size())));
    QVERIFY(v.has_value());
    if (std::isnan(*v))
        QVERIFY(std::isnan(ours.samples.front().value));
    else
        QCOMPARE(ours.samples.front().value, *v);
}

QTEST_GUILESS_MAIN(TestPromTextPromtool)
#include "tst_promtext_promtool.moc"

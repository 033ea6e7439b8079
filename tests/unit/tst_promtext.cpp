#include "scrape/PromText.h"

#include <QFile>
#include <QTest>
#include <cmath>
#include <cstring>
#include <limits>

using namespace PromText;

/// The text exposition format 0.0.4, case by case, and a real etcd payload.
class TestPromText : public QObject {
    Q_OBJECT

private slots:
    void helpTypeAndSamples();
    void everyEscape();
    void acceptedValues_data();
    void acceptedValues();
    void rejectedValues_data();
    void rejectedValues();
    void timestampsAndMissingFinalNewline();
    void trailingCommaAndBlanks();
    void histogramAndSummaryFamilies();
    void bucketsOutOfOrderAreKept();
    void duplicateTypeLine();
    void sampleBeforeItsType();
    void errorsNameLineAndColumnAndParsingGoesOn_data();
    void errorsNameLineAndColumnAndParsingGoesOn();
    void realEtcdPayload();
    void resultIsReusable();
    void fastAndGeneralPathsAgree();
    void repeatedNamesAndLabels_data();
    void repeatedNamesAndLabels();
    void familyIndexGrowsAndClears();
    void valuesRoundTrip();
};

namespace {

ParseResult parsed(std::string_view text)
{
    ParseResult r;
    parse(text, r);
    return r;
}

std::string labelsText(const ParseResult &r, const Sample &s)
{
    std::string out;
    for (uint32_t i = 0; i < s.labelCount; ++i) {
        const Label &l = r.labelsOf(s)[i];
        out += std::string(l.name) + "=" + l.value() + ";";
    }
    return out;
}

/// Every line of `canonical` with a blank put in front, which sends it through the general
/// path (canonical lines take the one-pass fast paths).
std::string indented(const std::string &canonical)
{
    std::string out;
    for (size_t pos = 0; pos < canonical.size();) {
        const size_t nl = std::min(canonical.find('\n', pos), canonical.size());
        out += ' ' + canonical.substr(pos, nl - pos);
        if (nl < canonical.size())
            out += '\n';
        pos = nl + 1;
    }
    return out;
}

/// Compares two parses of the same payload: samples, labels, values and families.
void comparePaths(const ParseResult &fast, const ParseResult &general)
{
    QCOMPARE(fast.errors.size(), general.errors.size());
    for (size_t i = 0; i < fast.errors.size(); ++i) {
        QCOMPARE(fast.errors[i].line, general.errors[i].line);
        QCOMPARE(fast.errors[i].message, general.errors[i].message);
    }
    QCOMPARE(fast.samples.size(), general.samples.size());
    for (size_t i = 0; i < fast.samples.size(); ++i) {
        const Sample &a = fast.samples[i];
        const Sample &b = general.samples[i];
        QCOMPARE(a.name, b.name);
        QCOMPARE(labelsText(fast, a), labelsText(general, b));
        QVERIFY(std::memcmp(&a.value, &b.value, sizeof a.value) == 0);
        QCOMPARE(a.family, b.family);
        QCOMPARE(a.hasTimestamp, b.hasTimestamp);
    }
    QCOMPARE(fast.families.size(), general.families.size());
    for (size_t i = 0; i < fast.families.size(); ++i) {
        const Family &a = fast.families[i];
        const Family &b = general.families[i];
        QCOMPARE(a.name, b.name);
        QCOMPARE(a.type, b.type);
        QCOMPARE(a.typed, b.typed);
        QCOMPARE(a.sampled, b.sampled);
        QCOMPARE(a.helpEscaped, b.helpEscaped);
        QCOMPARE(a.help(), b.help());
    }
}

} // namespace

void TestPromText::helpTypeAndSamples()
{
    const auto r = parsed("# HELP http_requests_total The total number of HTTP requests.\n"
                          "# TYPE http_requests_total counter\n"
                          "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
                          "http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n"
                          "# A plain comment\n"
                          "\n"
                          "metric_without_timestamp_and_labels 12.47\n");
    QVERIFY(r.errors.empty());
    QCOMPARE(r.families.size(), size_t(2));
    QCOMPARE(r.families[0].name, std::string_view("http_requests_total"));
    QCOMPARE(r.families[0].type, MetricType::Counter);
    QCOMPARE(r.families[0].help(), std::string("The total number of HTTP requests."));
    QCOMPARE(r.families[1].type, MetricType::Untyped);
    QVERIFY(!r.families[1].typed);
    QCOMPARE(r.samples.size(), size_t(3));
    QCOMPARE(labelsText(r, r.samples[1]), std::string("method=post;code=400;"));
    QCOMPARE(r.samples[1].value, 3.0);
    QCOMPARE(r.samples[1].timestampMs, int64_t(1395066363000));
    QCOMPARE(r.samples[2].value, 12.47);
    QCOMPARE(r.samples[2].family, 1u);
}

void TestPromText::everyEscape()
{
    const auto r = parsed("# HELP m A help with a backslash \\\\ and a newline \\n and a \"quote\".\n"
                          "m{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1\n");
    QVERIFY(r.errors.empty());
    QCOMPARE(r.families[0].help(), std::string("A help with a backslash \\ and a newline \n and a \"quote\"."));
    QCOMPARE(r.labelsOf(r.samples[0])[0].value(), std::string("C:\\DIR\\FILE.TXT"));
    QCOMPARE(r.labelsOf(r.samples[0])[1].value(), std::string("Cannot find file:\n\"FILE.TXT\""));
    QVERIFY(r.labelsOf(r.samples[0])[1].escaped);
    // Unknown escapes in a label value are an error.
    QCOMPARE(parsed("m{a=\"\\t\"} 1\n").errors.size(), size_t(1));
}

void TestPromText::acceptedValues_data()
{
    // What Prometheus takes: Go's strconv.ParseFloat, which refuses any 'p', 'P' or '_' in
    // front of it. Expected values are the compiler's own reading of the same literals.
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("value");
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto row = [](const char *text, double value) { QTest::newRow(text) << QString::fromLatin1(text) << value; };
    row("42", 42.0);
    row("+7", 7.0);
    row("-0", -0.0);
    row("007", 7.0);
    row("1234567890123456789", 1234567890123456789.0); // too long for the whole-number path
    row("-1.5e-3", -1.5e-3);
    row("+1.5", 1.5);
    row(".5", 0.5);
    row("-.5", -0.5);
    row("5.", 5.0);
    row("1e3", 1e3);
    row("1E+3", 1e3);
    row(".5e-1", 0.05);
    row("1.e5", 1e5);
    row("0.1", 0.1);
    row("1.7976931348623157e308", std::numeric_limits<double>::max());
    row("4.9e-324", std::numeric_limits<double>::denorm_min());
    row("1e-400", 0.0); // underflow rounds to zero without an error in Go
    row("-1e-400", -0.0);
    row("2.4e-324", 0.0);
    row("Inf", inf);
    row("+Inf", inf);
    row("-Inf", -inf);
    row("inf", inf);
    row("-iNF", -inf);
    row("Infinity", inf);
    row("+infinity", inf);
    row("-INFINITY", -inf);
    row("NaN", nan);
    row("nan", nan);
    row("NAN", nan);
}

void TestPromText::acceptedValues()
{
    QFETCH(QString, text);
    QFETCH(double, value);
    auto same = [](double got, double want) {
        return std::isnan(want) ? std::isnan(got) : std::memcmp(&got, &want, sizeof got) == 0;
    };
    const std::string canonical = "m " + text.toStdString() + "\n";
    const std::string slow = indented(canonical);
    for (const std::string *payload : {&canonical, &slow}) {
        const auto r = parsed(*payload);
        QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors[0].message.c_str());
        QCOMPARE(r.samples.size(), size_t(1));
        QVERIFY2(same(r.samples[0].value, value), formatValue(r.samples[0].value).c_str());
    }
    const auto direct = parseValue(text.toStdString());
    QVERIFY(direct);
    QVERIFY(same(*direct, value));
}

void TestPromText::rejectedValues_data()
{
    // Spellings that Go's ParseFloat refuses, or that Prometheus refuses before asking it;
    // each names why when there is more to say than "not a number".
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    auto row = [](const char *text, const char *reason) {
        QTest::newRow(text) << QString::fromLatin1(text) << QString::fromLatin1(reason);
    };
    const char *hex = "hexadecimal floats are not accepted";
    row("0x1p-2", hex); // Go reads it, but Prometheus refuses the 'p'
    row("-0X1.8P3", hex);
    row("0x.8p1", hex);
    row("0x1.Fp+0", hex);
    row("0x10", hex); // Go wants the 'p' exponent on a hexadecimal float
    row("0x_1p0", hex);
    row("0x", hex);
    row("1_000", "'_' digit separators are not accepted"); // Go reads it, Prometheus does not
    row("-nan", "NaN takes no sign");
    row("+NaN", "NaN takes no sign");
    row("1e400", "out of the range of a double"); // Go: +Inf with ErrRange, a failed line
    row("-1e400", "out of the range of a double");
    row("1.7976931348623159e308", "out of the range of a double");
    for (const char *junk : {"nan(1)", "nanx", "infin", "Infinit", "infinityy", "1e", "1e+", "1ee3", "e3", ".", "-",
             "+", "++1", "+-1", "-+inf", "1.2.3", "1p3", "1,5", ".e1", "+.", "12x", "0b1"})
        row(junk, "");
}

void TestPromText::rejectedValues()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    const std::string value = text.toStdString();
    std::string expected = "invalid sample value \"" + value + "\"";
    if (!reason.isEmpty())
        expected += ": " + reason.toStdString();
    const std::string canonical = "m " + value + "\nok 1\n";
    const std::string slow = indented(canonical);
    for (const std::string *payload : {&canonical, &slow}) {
        const auto r = parsed(*payload);
        QCOMPARE(r.errors.size(), size_t(1));
        QCOMPARE(r.errors[0].line, 1);
        QCOMPARE(r.errors[0].column, payload == &canonical ? 3 : 4);
        QCOMPARE(r.errors[0].message, expected);
        QCOMPARE(r.samples.size(), size_t(1));
        QCOMPARE(r.samples[0].name, std::string_view("ok"));
    }
    QVERIFY(!parseValue(value));
}

void TestPromText::timestampsAndMissingFinalNewline()
{
    const auto r = parsed("a 1 0\nb 2 1700000000000");
    QVERIFY(r.errors.empty());
    QCOMPARE(r.samples.size(), size_t(2));
    QVERIFY(r.samples[0].hasTimestamp);
    QCOMPARE(r.samples[0].timestampMs, int64_t(0));
    QVERIFY(r.samples[1].hasTimestamp);
    QCOMPARE(r.samples[1].timestampMs, int64_t(1700000000000));
}

void TestPromText::trailingCommaAndBlanks()
{
    const auto r = parsed("m{a=\"1\",b=\"2\",} 3\n\tm { a = \"x\" }\t4  \nm{} 5\n");
    QVERIFY2(r.errors.empty(), r.errors.empty() ? "" : r.errors[0].message.c_str());
    QCOMPARE(r.samples.size(), size_t(3));
    QCOMPARE(labelsText(r, r.samples[0]), std::string("a=1;b=2;"));
    QCOMPARE(labelsText(r, r.samples[1]), std::string("a=x;"));
    QCOMPARE(r.samples[2].labelCount, 0u);
}

void TestPromText::histogramAndSummaryFamilies()
{
    const auto r = parsed("# TYPE h histogram\n"
                          "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 0.5\nh_count 3\n"
                          "# TYPE s summary\n"
                          "s{quantile=\"0.5\"} 0.2\ns_sum 1\ns_count 4\n"
                          "h_other 9\n");
    QVERIFY(r.errors.empty());
    QCOMPARE(r.families.size(), size_t(3));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(r.samples[i].family, 0u);
    for (int i = 4; i < 7; ++i)
        QCOMPARE(r.samples[i].family, 1u);
    QCOMPARE(r.families[r.samples[7].family].name, std::string_view("h_other"));
    QCOMPARE(r.families[r.samples[7].family].type, MetricType::Untyped);
}

void TestPromText::bucketsOutOfOrderAreKept()
{
    // The parser keeps what it is given; quantile queries sort buckets by le themselves.
    const auto r
        = parsed("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_bucket{le=\"0.5\"} 2\nh_bucket{le=\"0.1\"} 1\n");
    QVERIFY(r.errors.empty());
    QCOMPARE(r.samples.size(), size_t(3));
    QCOMPARE(r.labelsOf(r.samples[0])[0].value(), std::string("+Inf"));
}

void TestPromText::duplicateTypeLine()
{
    const auto r = parsed("# TYPE m counter\n# TYPE m gauge\nm 1\n");
    QCOMPARE(r.errors.size(), size_t(1));
    QCOMPARE(r.errors[0].line, 2);
    QVERIFY(r.errors[0].message.find("second TYPE") != std::string::npos);
    QCOMPARE(r.families[0].type, MetricType::Counter);
    QCOMPARE(r.samples.size(), size_t(1));
}

void TestPromText::sampleBeforeItsType()
{
    const auto r = parsed("m 1\n# TYPE m gauge\nm 2\n");
    QCOMPARE(r.errors.size(), size_t(1));
    QCOMPARE(r.errors[0].line, 2);
    QVERIFY(r.errors[0].message.find("after its samples") != std::string::npos);
    QCOMPARE(r.samples.size(), size_t(2));
    QCOMPARE(r.families.size(), size_t(1));
}

void TestPromText::errorsNameLineAndColumnAndParsingGoesOn_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("bad value") << "m{a=\"b\"} 12x" << 10;
    QTest::newRow("no value") << "m" << 2;
    QTest::newRow("bad name") << "1m 1" << 1;
    QTest::newRow("unterminated labels") << "m{a=\"b\" 1" << 9;
    QTest::newRow("unterminated value") << "m{a=\"b} 1" << 5;
    QTest::newRow("missing equals") << "m{a \"b\"} 1" << 5;
    QTest::newRow("bad timestamp") << "m 1 soon" << 5;
    QTest::newRow("bad type") << "# TYPE m gaugey" << 10;
    QTest::newRow("junk after timestamp") << "m 1 2 3" << 6;
    // Prometheus' lexer reads a timestamp as digits only.
    QTest::newRow("negative timestamp") << "m 1 -5" << 5;
    QTest::newRow("signed timestamp") << "m 1 +5" << 5;
    QTest::newRow("timestamp out of range") << "m 1 9223372036854775808" << 5;
    QTest::newRow("hexadecimal value") << "m 0x1p-2" << 3;
}

void TestPromText::errorsNameLineAndColumnAndParsingGoesOn()
{
    QFETCH(QString, line);
    QFETCH(int, column);
    const std::string text = "ok_before 1\n" + line.toStdString() + "\nok_after 2\n";
    const auto r = parsed(text);
    QCOMPARE(r.errors.size(), size_t(1));
    QCOMPARE(r.errors[0].line, 2);
    QCOMPARE(r.errors[0].column, column);
    QVERIFY(!r.errors[0].message.empty());
    QCOMPARE(r.samples.size(), size_t(2));
    QCOMPARE(r.samples.back().name, std::string_view("ok_after"));
    QCOMPARE(r.labels.size(), size_t(0)); // labels of a rejected line are not kept
}

void TestPromText::realEtcdPayload()
{
    QFile f(QFINDTESTDATA("../data/etcd-3.4.23-metrics.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray payload = f.readAll();
    ParseResult r;
    parse(std::string_view(payload.constData(), size_t(payload.size())), r);
    QVERIFY(r.errors.empty());
    int sampleLines = 0;
    int typeLines = 0;
    for (const QByteArray &line : payload.split('\n')) {
        if (line.startsWith("# TYPE"))
            ++typeLines;
        else if (!line.isEmpty() && !line.startsWith('#'))
            ++sampleLines;
    }
    QCOMPARE(int(r.samples.size()), sampleLines);
    int typed = 0;
    for (const Family &fam : r.families)
        typed += fam.typed;
    QCOMPARE(typed, typeLines);
    bool hasLeader = false;
    for (const Sample &s : r.samples) {
        if (s.name == "etcd_server_has_leader") {
            hasLeader = s.value == 1.0;
            QCOMPARE(r.families[s.family].type, MetricType::Gauge);
        }
    }
    QVERIFY(hasLeader);
}

void TestPromText::resultIsReusable()
{
    ParseResult r;
    parse("a{x=\"1\"} 1\nb 2\n", r);
    parse("c 3\n", r);
    QCOMPARE(r.samples.size(), size_t(1));
    QCOMPARE(r.families.size(), size_t(1));
    QCOMPARE(r.labels.size(), size_t(0));
    QCOMPARE(r.samples[0].family, 0u);
}

void TestPromText::valuesRoundTrip()
{
    for (double v : {0.0, -0.0, 1.5, 1e-300, 123456789.123, std::numeric_limits<double>::max()}) {
        const auto back = parseValue(formatValue(v));
        QVERIFY(back);
        QCOMPARE(std::memcmp(&*back, &v, sizeof v), 0);
    }
    QCOMPARE(formatValue(std::nan("")), std::string("NaN"));
    QCOMPARE(formatValue(-std::numeric_limits<double>::infinity()), std::string("-Inf"));
    QVERIFY(!parseValue("+-1"));
    QVERIFY(!parseValue(""));
    QVERIFY(!parseValue("0x10"));
}

void TestPromText::fastAndGeneralPathsAgree()
{
    // Canonical lines take a one-pass fast path; a blank at the start of a line sends it
    // through the general path. Both must read every line of a real payload the same.
    QFile f(QFINDTESTDATA("../data/etcd-3.4.23-metrics.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const std::string canonical = f.readAll().toStdString();
    // The results are views into their payloads: both texts must outlive them.
    const std::string slow = indented(canonical);
    const ParseResult fast = parsed(canonical);
    const ParseResult general = parsed(slow);
    QCOMPARE(fast.errors.size(), size_t(0));
    QCOMPARE(fast.samples.size(), size_t(1252));
    comparePaths(fast, general);
}

void TestPromText::repeatedNamesAndLabels_data()
{
    // A line that repeats the previous sample's name reuses its family and checks its label
    // names against the previous sample's; these payloads try to mislead that.
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("secondLabels");
    QTest::newRow("other label name") << "m{a=\"1\"} 1\nm{b=\"2\"} 2\n"
                                      << "b=2;";
    QTest::newRow("longer label name") << "m{le=\"1\"} 1\nm{lex=\"2\"} 2\n"
                                       << "lex=2;";
    QTest::newRow("shorter label name") << "m{lex=\"1\"} 1\nm{le=\"2\"} 2\n"
                                        << "le=2;";
    QTest::newRow("more labels") << "m{a=\"1\"} 1\nm{a=\"2\",b=\"3\"} 2\n"
                                 << "a=2;b=3;";
    QTest::newRow("fewer labels") << "m{a=\"1\",b=\"3\"} 1\nm{a=\"2\"} 2\n"
                                  << "a=2;";
    QTest::newRow("blanks before") << "m{le = \"1\"} 1\nm{le=\"2\"} 2\n"
                                   << "le=2;";
    QTest::newRow("blanks after") << "m{le=\"1\"} 1\nm{le =\"2\"} 2\n"
                                  << "le=2;";
    QTest::newRow("long label name")
        << "m{a_label_name_longer_than_sixteen=\"1\"} 1\nm{a_label_name_longer_than_sixteen=\"2\"} 2\n"
        << "a_label_name_longer_than_sixteen=2;";
    QTest::newRow("name prefix") << "abc{a=\"1\"} 1\nabcd{a=\"2\"} 2\n"
                                 << "a=2;";
    QTest::newRow("name then colon") << "abc 1\nabc:x{a=\"2\"} 2\n"
                                     << "a=2;";
    QTest::newRow("escaped value") << "m{a=\"1\"} 1\nm{a=\"x\\\"y\"} 2\n"
                                   << "a=x\"y;";
    QTest::newRow("no final newline") << "m{a=\"1\"} 1\nm{a=\"2\"} 2"
                                      << "a=2;";
    QTest::newRow("family changes between") << "x_count 1\n# TYPE x summary\nx_count 2\n"
                                            << "";
    QTest::newRow("help with escapes") << "# HELP m a\\\\b\\nc\n# TYPE m gauge\nm 1\nm{a=\"2\"} 2\n"
                                       << "a=2;";
    QTest::newRow("help twice") << "# HELP m one\n# HELP m two\nm 1\nm 2\n"
                                << "";
    QTest::newRow("type after samples") << "m{a=\"1\"} 1\n# TYPE m counter\nm{a=\"2\"} 2\n"
                                        << "a=2;";
}

void TestPromText::repeatedNamesAndLabels()
{
    QFETCH(QString, payload);
    QFETCH(QString, secondLabels);
    const std::string text = payload.toStdString();
    const ParseResult fast = parsed(text);
    QCOMPARE(fast.samples.size(), size_t(2));
    QCOMPARE(labelsText(fast, fast.samples[1]), secondLabels.toStdString());
    const std::string slow = indented(text);
    comparePaths(fast, parsed(slow));
}

void TestPromText::familyIndexGrowsAndClears()
{
    // More families than the index's first table holds, parsed twice into one result.
    std::string text;
    for (int i = 0; i < 1000; ++i)
        text += "# TYPE f" + std::to_string(i) + " gauge\nf" + std::to_string(i) + " " + std::to_string(i) + "\n";
    ParseResult r;
    for (int round = 0; round < 2; ++round) {
        parse(text, r);
        QVERIFY(r.errors.empty());
        QCOMPARE(r.families.size(), size_t(1000));
        QCOMPARE(r.familyIndex().size(), size_t(1000));
        for (size_t i = 0; i < r.samples.size(); ++i) {
            QCOMPARE(r.samples[i].family, uint32_t(i));
            QCOMPARE(r.families[i].type, MetricType::Gauge);
        }
    }
    QCOMPARE(r.familyIndex().find("f999", FamilyIndex::hash("f999")), 999u);
    QCOMPARE(r.familyIndex().find("f1000", FamilyIndex::hash("f1000")), FamilyIndex::kNone);
    parse("g 1\n", r);
    QCOMPARE(r.familyIndex().find("f999", FamilyIndex::hash("f999")), FamilyIndex::kNone);
    QCOMPARE(r.families.size(), size_t(1));
}

QTEST_GUILESS_MAIN(TestPromText)
#include "tst_promtext.moc"

// The member palette: seven colours that stay apart for normal vision and for
// deuteranopia, none of which could be read as a state, given out in order.

#include "widgets/MemberPalette.h"
#include "widgets/StateColors.h"

#include <QSet>
#include <QTest>
#include <algorithm>
#include <array>
#include <cmath>

namespace {

struct Lab {
    double L, a, b;
};
using Rgb = std::array<double, 3>; ///< linear sRGB, 0..1

double toLinear(int channel)
{
    const double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

Rgb linear(const QColor &c)
{
    return {toLinear(c.red()), toLinear(c.green()), toLinear(c.blue())};
}

/// CIE L*a*b* (D65) of a linear sRGB colour.
Lab toLab(const Rgb &rgb)
{
    const auto [r, g, b] = rgb;
    const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    auto f = [](double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; };
    return {116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))};
}

/// Deuteranopia as Machado, Oliveira and Fernandes (2009) simulate it at severity 1.0, on
/// linear RGB.
Rgb deuteranope(const Rgb &c)
{
    static constexpr double m[3][3]
        = {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}};
    Rgb out;
    for (int i = 0; i < 3; ++i)
        out[i] = std::clamp(m[i][0] * c[0] + m[i][1] * c[1] + m[i][2] * c[2], 0.0, 1.0);
    return out;
}

double degrees(double radians)
{
    const double d = radians * 180.0 / M_PI;
    return d < 0 ? d + 360.0 : d;
}

double radians(double degrees)
{
    return degrees * M_PI / 180.0;
}

/// The CIEDE2000 colour difference (Sharma, Wu and Dalal's formulation).
double ciede2000(const Lab &x, const Lab &y)
{
    const double c1 = std::hypot(x.a, x.b), c2 = std::hypot(y.a, y.b);
    const double cMean7 = std::pow((c1 + c2) / 2.0, 7.0);
    const double g = 0.5 * (1.0 - std::sqrt(cMean7 / (cMean7 + std::pow(25.0, 7.0))));
    const double a1 = (1.0 + g) * x.a, a2 = (1.0 + g) * y.a;
    const double c1p = std::hypot(a1, x.b), c2p = std::hypot(a2, y.b);
    const double h1p = c1p == 0 ? 0 : degrees(std::atan2(x.b, a1));
    const double h2p = c2p == 0 ? 0 : degrees(std::atan2(y.b, a2));
    const double dL = y.L - x.L, dC = c2p - c1p;
    double dh = 0;
    if (c1p * c2p != 0) {
        dh = h2p - h1p;
        if (dh > 180)
            dh -= 360;
        else if (dh < -180)
            dh += 360;
    }
    const double dH = 2.0 * std::sqrt(c1p * c2p) * std::sin(radians(dh / 2.0));
    const double lMean = (x.L + y.L) / 2.0, cMean = (c1p + c2p) / 2.0;
    double hMean = h1p + h2p;
    if (c1p * c2p != 0) {
        if (std::abs(h1p - h2p) <= 180)
            hMean = (h1p + h2p) / 2.0;
        else
            hMean = h1p + h2p < 360 ? (h1p + h2p + 360) / 2.0 : (h1p + h2p - 360) / 2.0;
    }
    const double t = 1.0 - 0.17 * std::cos(radians(hMean - 30)) + 0.24 * std::cos(radians(2 * hMean))
        + 0.32 * std::cos(radians(3 * hMean + 6)) - 0.20 * std::cos(radians(4 * hMean - 63));
    const double dTheta = 30.0 * std::exp(-std::pow((hMean - 275.0) / 25.0, 2.0));
    const double cMeanP7 = std::pow(cMean, 7.0);
    const double rc = 2.0 * std::sqrt(cMeanP7 / (cMeanP7 + std::pow(25.0, 7.0)));
    const double sl = 1.0 + 0.015 * std::pow(lMean - 50, 2.0) / std::sqrt(20.0 + std::pow(lMean - 50, 2.0));
    const double sc = 1.0 + 0.045 * cMean;
    const double sh = 1.0 + 0.015 * cMean * t;
    const double rt = -std::sin(radians(2 * dTheta)) * rc;
    return std::sqrt(std::pow(dL / sl, 2) + std::pow(dC / sc, 2) + std::pow(dH / sh, 2) + rt * (dC / sc) * (dH / sh));
}

double normalDistance(const QColor &x, const QColor &y)
{
    return ciede2000(toLab(linear(x)), toLab(linear(y)));
}

double deuteranopeDistance(const QColor &x, const QColor &y)
{
    return ciede2000(toLab(deuteranope(linear(x))), toLab(deuteranope(linear(y))));
}

} // namespace

class TestMemberPalette : public QObject {
    Q_OBJECT

private slots:
    void ciede2000AgreesWithPublishedPairs_data()
    {
        // Pairs from Sharma, Wu and Dalal's test data for CIEDE2000 implementations.
        QTest::addColumn<double>("L1");
        QTest::addColumn<double>("a1");
        QTest::addColumn<double>("b1");
        QTest::addColumn<double>("L2");
        QTest::addColumn<double>("a2");
        QTest::addColumn<double>("b2");
        QTest::addColumn<double>("expected");
        QTest::newRow("pair 1") << 50.0 << 2.6772 << -79.7751 << 50.0 << 0.0 << -82.7485 << 2.0425;
        QTest::newRow("pair 7") << 50.0 << 0.0 << 0.0 << 50.0 << -1.0 << 2.0 << 2.3669;
        QTest::newRow("pair 17") << 50.0 << 2.5 << 0.0 << 73.0 << 25.0 << -18.0 << 27.1492;
        QTest::newRow("pair 25") << 60.2574 << -34.0099 << 36.2677 << 60.4626 << -34.1751 << 39.4387 << 1.2644;
    }

    void ciede2000AgreesWithPublishedPairs()
    {
        QFETCH(double, L1);
        QFETCH(double, a1);
        QFETCH(double, b1);
        QFETCH(double, L2);
        QFETCH(double, a2);
        QFETCH(double, b2);
        QFETCH(double, expected);
        QVERIFY(std::abs(ciede2000({L1, a1, b1}, {L2, a2, b2}) - expected) < 1e-4);
        QVERIFY(std::abs(ciede2000({L2, a2, b2}, {L1, a1, b1}) - expected) < 1e-4);
    }

    void deuteranopiaMakesRedAndGreenAlike()
    {
        // The simulation is the one that matters: red and green, far apart for normal
        // vision, come close for a deuteranope.
        const QColor red(0xc0, 0x39, 0x2b), green(0x2e, 0x9d, 0x4f);
        QVERIFY(normalDistance(red, green) > 50);
        QVERIFY2(deuteranopeDistance(red, green) < normalDistance(red, green) / 2,
            qPrintable(QString::number(deuteranopeDistance(red, green))));
    }

    void sevenMembersStayApart()
    {
        const QList<QColor> colours = MemberPalette::colours();
        QCOMPARE(colours.size(), 7);
        for (int i = 0; i < colours.size(); ++i) {
            for (int j = i + 1; j < colours.size(); ++j) {
                const double normal = normalDistance(colours[i], colours[j]);
                const double deutan = deuteranopeDistance(colours[i], colours[j]);
                const QString pair = colours[i].name() + QLatin1Char('/') + colours[j].name();
                QVERIFY2(normal >= 20, qPrintable(pair + QStringLiteral(": ΔE00 %1").arg(normal)));
                QVERIFY2(deutan >= 20,
                    qPrintable(pair + QStringLiteral(" as a deuteranope sees them: ΔE00 %1").arg(deutan)));
            }
        }
    }

    void noMemberLooksLikeAState()
    {
        const QList<QColor> states
            = {StateColors::good(), StateColors::bad(), StateColors::warning(), StateColors::idle()};
        for (const QColor &member : MemberPalette::colours()) {
            // Not red, green, amber or grey by hue and chroma (CIE LCh)...
            const Lab lab = toLab(linear(member));
            const double chroma = std::hypot(lab.a, lab.b);
            const double hue = degrees(std::atan2(lab.b, lab.a));
            QVERIFY2(chroma >= 30, qPrintable(member.name() + QStringLiteral(" is nearly grey")));
            QVERIFY2(hue >= 45 && hue < 345, qPrintable(member.name() + QStringLiteral(" is a red")));
            QVERIFY2(hue < 100 || hue >= 175, qPrintable(member.name() + QStringLiteral(" is a green")));
            QVERIFY2(
                !(hue >= 45 && hue < 85 && chroma > 40), qPrintable(member.name() + QStringLiteral(" is an amber")));
            // ...and far from each colour that means a state.
            for (const QColor &state : states) {
                QVERIFY2(normalDistance(member, state) >= 20,
                    qPrintable(member.name() + QStringLiteral(" is close to the state colour ") + state.name()));
            }
        }
    }

    void slotsAreGivenInOrderAndKept()
    {
        MemberPalette palette;
        palette.assign({{30, QStringLiteral("etcd1")}, {10, QStringLiteral("etcd2")}, {20, QStringLiteral("etcd3")}});
        QCOMPARE(palette.slotOf(30), 0);
        QCOMPARE(palette.slotOf(10), 1);
        QCOMPARE(palette.slotOf(20), 2);
        QCOMPARE(palette.of(10), MemberPalette::colours().at(1));
        QCOMPARE(palette.ofName(QStringLiteral("etcd3")), MemberPalette::colours().at(2));
        QVERIFY(!palette.ofName(QStringLiteral("etcd9")).isValid());
        // A member added later takes the next slot; the others keep theirs in any order.
        palette.assign({{40, QStringLiteral("etcd0")}, {10, QStringLiteral("etcd2")}, {30, QStringLiteral("etcd1")}});
        QCOMPARE(palette.slotOf(40), 3);
        QCOMPARE(palette.slotOf(30), 0);
        // Seven members, seven colours.
        palette.assign({{50, {}}, {60, {}}, {70, {}}});
        QSet<QRgb> seen;
        for (uint64_t id : {10, 20, 30, 40, 50, 60, 70})
            seen.insert(palette.of(id).rgb());
        QCOMPARE(seen.size(), 7);
        // An eighth shares a hue, not a colour.
        QVERIFY(!seen.contains(palette.of(80).rgb()));
        palette.clear();
        QCOMPARE(palette.slotOf(70), 0);
    }
};

QTEST_GUILESS_MAIN(TestMemberPalette)
#include "tst_memberpalette.moc"

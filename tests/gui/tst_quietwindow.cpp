#include "overview/TopologyView.h"
#include "support/SnapshotBuilder.h"
#include "widgets/NotificationBar.h"
#include "widgets/OverlayStrips.h"
#include "widgets/SteadyLabel.h"
#include "window/PanelTabs.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPaintEvent>
#include <QTest>
#include <QVBoxLayout>

/// What the window does not do again when nothing calls for it: an idle console repaints,
/// lays out and measures only what changed (each case fails against plain Qt widgets).
class TestQuietWindow : public QObject {
    Q_OBJECT

private slots:
    void tabsAskTheirPagesForSizesOnlyWhenSomethingOfTheirsChanged();
    void topologyRepaintsOnlyWhenWhatItShowsChanged();
    void steadyLabelLaysOutNothingWhileItsTextFits();
    void stripsFloatOverTheTabsWithoutMovingThem();
};

namespace {

/// Counts the events of one type that reach the objects it watches.
class EventCounter : public QObject {
public:
    explicit EventCounter(QEvent::Type type)
        : m_type(type)
    {
    }
    int count = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == m_type)
            ++count;
        return false;
    }

private:
    QEvent::Type m_type;
};

/// Delivers what is posted (updates and layout requests) without waiting for timers.
void settle()
{
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

/// A page that counts how often its size is asked for.
class CountingPage : public QWidget {
public:
    mutable int asked = 0;
    QSize sizeHint() const override
    {
        ++asked;
        return {300, 120};
    }
    QSize minimumSizeHint() const override
    {
        ++asked;
        return {200, 90};
    }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override
    {
        ++asked;
        return 18000 / std::max(width, 1);
    }
};

} // namespace

void TestQuietWindow::tabsAskTheirPagesForSizesOnlyWhenSomethingOfTheirsChanged()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *status = new QLabel(QStringLiteral("ready"), &window);
    layout->addWidget(status);
    auto *tabs = new PanelTabs(&window);
    tabs->addTab(new QWidget, QStringLiteral("In view"));
    auto *hidden = new CountingPage;
    tabs->addTab(hidden, QStringLiteral("Hidden"));
    layout->addWidget(tabs, 1);
    window.resize(640, 400);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // The hidden page's minimum still bounds the tabs'.
    QVERIFY(tabs->minimumSizeHint().height() >= 90);
    QVERIFY(window.minimumSizeHint().height() >= 90);

    // A label above the tabs changes size again and again: each change lays the window out
    // again, and none of them is the hidden page's business.
    const int before = hidden->asked;
    for (int i = 1; i <= 20; ++i) {
        status->setText(QString(i * 4, QLatin1Char('x')) + QStringLiteral("\n").repeated(i % 3));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    }
    QCOMPARE(hidden->asked, before);

    // A larger font changes every page's size: the tabs ask again.
    QFont larger = tabs->font();
    larger.setPointSizeF(larger.pointSizeF() * 1.5);
    tabs->setFont(larger);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCOMPARE_GT(hidden->asked, before);
}

void TestQuietWindow::topologyRepaintsOnlyWhenWhatItShowsChanged()
{
    TopologyView view;
    view.resize(900, 500);
    EventCounter paints(QEvent::Paint);
    view.installEventFilter(&paints);
    const auto cluster = [](uint64_t index) {
        return SnapshotBuilder().member(1, "a", 1, 2, index).member(2, "b", 1, 2, index).member(3, "c", 1, 2, index);
    };
    view.setSnapshot(cluster(100).build());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    settle();
    QVERIFY(paints.count > 0);

    // Ticks that change nothing drawn: a new snapshot each time, the same picture.
    const int before = paints.count;
    for (int i = 0; i < 5; ++i) {
        view.setSnapshot(cluster(100).build());
        settle();
    }
    QCOMPARE(paints.count, before);

    // A raft index moves: the boxes say so.
    view.setSnapshot(cluster(107).build());
    settle();
    QCOMPARE_GT(paints.count, before);
    QVERIFY(view.memberText(QStringLiteral("b")).join(QLatin1Char(' ')).contains(QStringLiteral("index 107")));
}

void TestQuietWindow::steadyLabelLaysOutNothingWhileItsTextFits()
{
    QWidget bar;
    auto *layout = new QHBoxLayout(&bar);
    auto *label = new SteadyLabel(QStringLiteral("snapshot 0.0 s ago"), &bar);
    layout->addWidget(label);
    layout->addStretch(1);
    bar.resize(400, 40);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    settle();
    EventCounter layouts(QEvent::LayoutRequest);
    bar.installEventFilter(&layouts);

    // Texts of the same width or narrower: the label repaints, the bar lays out nothing.
    for (const char *text : {"snapshot 0.3 s ago", "snapshot 0.7 s ago", "snapshot 1 s ago"}) {
        label->setSteadyText(QString::fromLatin1(text));
        settle();
        QCOMPARE(label->text(), QString::fromLatin1(text));
    }
    QCOMPARE(layouts.count, 0);

    // A text that needs more room gets it.
    const QString longer = QStringLiteral("snapshot 1234.5 s ago");
    label->setSteadyText(longer);
    settle();
    QCOMPARE_GT(layouts.count, 0);
    QVERIFY(label->width() >= label->fontMetrics().horizontalAdvance(longer));
}

void TestQuietWindow::stripsFloatOverTheTabsWithoutMovingThem()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *tabs = new PanelTabs(&window);
    auto *page = new QWidget;
    tabs->addTab(page, QStringLiteral("In view"));
    layout->addWidget(tabs, 1);
    auto *banner = new QLabel(QStringLiteral("Quorum lost"));
    banner->setAutoFillBackground(true);
    banner->hide();
    auto *notice = new NotificationBar;
    OverlayStrips strips(tabs);
    strips.add(banner);
    strips.add(notice);
    window.resize(800, 500);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    settle();
    const QRect pageAt = page->geometry();
    const QRect tabsAt = tabs->geometry();
    EventCounter resizes(QEvent::Resize);
    page->installEventFilter(&resizes);
    tabs->installEventFilter(&resizes);
    // Every paint of the page from here on: only the strips' areas may be painted again.
    struct PaintSpy : QObject {
        int largest = 0;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint)
                largest = std::max(largest, static_cast<QPaintEvent *>(event)->rect().height());
            return false;
        }
    } paints;
    page->installEventFilter(&paints);
    QCOMPARE(strips.top(), tabs->height());

    // A notification: it floats at the bottom of the tabs, as wide as they are less the margins.
    notice->show(NotificationBar::Kind::Success, QStringLiteral("Leadership moved to etcd2."));
    settle();
    QVERIFY(notice->isVisible());
    const int m = OverlayStrips::kMargin;
    QCOMPARE(notice->parentWidget(), tabs->parentWidget());
    QCOMPARE(notice->geometry().bottom(), tabs->geometry().bottom() - m);
    QCOMPARE(notice->geometry().left(), tabs->x() + m);
    QCOMPARE(notice->width(), tabs->width() - 2 * m);
    QCOMPARE(strips.top(), notice->y() - tabs->y());

    // A longer text wraps: the strip grows upwards, its bottom stays.
    const int oneLine = notice->height();
    notice->show(NotificationBar::Kind::Failure, QStringLiteral("The member did not answer. ").repeated(20));
    settle();
    QCOMPARE_GT(notice->height(), oneLine);
    QCOMPARE(notice->geometry().bottom(), tabs->geometry().bottom() - m);

    // The banner comes: it sits lowest, the notification moves above it, nothing overlaps.
    banner->show();
    settle();
    QCOMPARE(banner->geometry().bottom(), tabs->geometry().bottom() - m);
    QCOMPARE(notice->geometry().bottom(), banner->y() - m - 1);

    // Both go: through all of it the tabs and their page never moved nor changed size, and
    // the page was never painted whole, only where strips came or went.
    notice->hide();
    banner->hide();
    settle();
    QCOMPARE(strips.top(), tabs->height());
    QCOMPARE(resizes.count, 0);
    QCOMPARE(page->geometry(), pageAt);
    QCOMPARE(tabs->geometry(), tabsAt);
    QVERIFY2(paints.largest < page->height() / 2,
        qPrintable(QStringLiteral("the page was painted %1 px high of %2").arg(paints.largest).arg(page->height())));

    // The window is resized: the strips follow the tabs' width.
    notice->show(NotificationBar::Kind::Info, QStringLiteral("Backing up…"));
    window.resize(1000, 600);
    settle();
    QCOMPARE(notice->width(), tabs->width() - 2 * m);
    QCOMPARE(notice->geometry().bottom(), tabs->geometry().bottom() - m);
}

QTEST_MAIN(TestQuietWindow)
#include "tst_quietwindow.moc"

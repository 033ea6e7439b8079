// The window as an operator meets it on two common screens: a picture of every tab at
// 1600×1000 and 1280×800 with the demo running, and in every table no cell that names a
// member, a time or a state is elided; a long free-text cell shows its full text on hover.

#include "MainWindowFixture.h"
#include "metrics/DashboardPanel.h"
#include "metrics/MetricsDashboard.h"
#include "widgets/TableColumns.h"
#include "widgets/TimeSeriesChart.h"

#include <QHeaderView>
#include <QTableView>
#include <QTreeView>

class TestMainWindowCraft : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QD_STEP(f.setUp(0, true)); }
    void init() { QD_STEP(f.ready()); }
    void cleanupTestCase() { f.tearDown(); }

    void everyTabAtTwoScreenSizes_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1600x1000") << QSize(1600, 1000);
        QTest::newRow("1280x800") << QSize(1280, 800);
    }

    void everyTabAtTwoScreenSizes()
    {
        QFETCH(QSize, size);
        QD_STEP(f.ensureElection());
        f.window()->resize(size);
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            const QString tab = tabs->tabText(i).remove(QLatin1Char('&'));
            QWidget *page = tabs->widget(i);
            // Tabs whose tables the demo always fills: wait until they hold rows.
            if (mustHoldRows(tab)) {
                QTRY_VERIFY2_WITH_TIMEOUT(
                    rowsShown(page) > 0, qPrintable(tab + QStringLiteral(" shows no rows")), 20000);
            }
            if (page == f.window()->dashboard())
                QD_STEP(checkDbSizeAxis());
            QCoreApplication::processEvents();
            QD_STEP(checkTables(page, QStringLiteral("%1 at %2×%3").arg(tab).arg(size.width()).arg(size.height())));
            QD_STEP(f.savePicture(QStringLiteral("%1x%2-%3")
                                      .arg(size.width())
                                      .arg(size.height())
                                      .arg(tab.toLower().replace(QLatin1Char(' '), QLatin1Char('-')))));
        }
    }

private:
    /// The DB size chart scales to the databases (tens of KiB), not to the 2 GiB quota,
    /// which it names at the top edge.
    void checkDbSizeAxis()
    {
        TimeSeriesChart *chart = f.window()->dashboard()->panel("db-size")->chart();
        auto sizes = [chart] {
            int n = 0;
            for (const ChartLine &line : chart->lines())
                n += !line.limit && line.points.size() >= 2;
            return n;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(sizes() >= 3, "the DB size chart shows no sizes", 20000);
        double quota = 0;
        for (const ChartLine &line : chart->lines()) {
            if (line.limit && !line.points.isEmpty())
                quota = std::max(quota, line.points.constLast().y());
        }
        QVERIFY2(quota > 0, "the DB size chart has no quota line");
        QVERIFY2(chart->valueRange().second < quota / 100,
            qPrintable(
                QStringLiteral("the axis ends at %1 under a quota of %2").arg(chart->valueRange().second).arg(quota)));
        QVERIFY(!chart->limitsBeyond().isEmpty());
    }

    static bool mustHoldRows(const QString &tab)
    {
        static const QStringList filled = {QStringLiteral("Overview"), QStringLiteral("Members"),
            QStringLiteral("Elections"), QStringLiteral("Load balancer"), QStringLiteral("Storage"),
            QStringLiteral("Network"), QStringLiteral("Logs")};
        return filled.contains(tab);
    }

    static QList<QAbstractItemView *> tablesOf(QWidget *page)
    {
        QList<QAbstractItemView *> views = page->findChildren<QAbstractItemView *>();
        if (auto *itself = qobject_cast<QAbstractItemView *>(page))
            views.prepend(itself);
        QList<QAbstractItemView *> shown;
        for (QAbstractItemView *view : std::as_const(views)) {
            if (view->isVisible() && view->model()
                && (qobject_cast<QTableView *>(view) || qobject_cast<QTreeView *>(view)))
                shown << view;
        }
        return shown;
    }

    static int rowsShown(QWidget *page)
    {
        int rows = 0;
        for (QAbstractItemView *view : tablesOf(page))
            rows += view->model()->rowCount();
        return rows;
    }

    static QHeaderView *headerOf(QAbstractItemView *view)
    {
        if (auto *table = qobject_cast<QTableView *>(view))
            return table->horizontalHeader();
        return static_cast<QTreeView *>(view)->header();
    }

    /// Every cell in sight: a column that sizes to its content (time, id, name, role, state)
    /// never elides; the one column that takes the rest may, when its full text is one hover
    /// away.
    static void checkTables(QWidget *page, const QString &where)
    {
        for (QAbstractItemView *view : tablesOf(page)) {
            QHeaderView *header = headerOf(view);
            const QAbstractItemModel *model = view->model();
            int lastVisible = -1;
            for (int v = header->count() - 1; v >= 0 && lastVisible < 0; --v) {
                if (!header->isSectionHidden(header->logicalIndex(v)))
                    lastVisible = header->logicalIndex(v);
            }
            for (int c = 0; c < model->columnCount(); ++c) {
                if (header->isSectionHidden(c))
                    continue;
                const bool takesTheRest = header->sectionResizeMode(c) == QHeaderView::Stretch
                    || (header->stretchLastSection() && c == lastVisible);
                const QString column = model->headerData(c, Qt::Horizontal).toString();
                for (int r = 0; r < model->rowCount(); ++r) {
                    const QModelIndex index = model->index(r, c);
                    const QString text = index.data(Qt::DisplayRole).toString();
                    if (text.isEmpty() || !view->viewport()->rect().intersects(view->visualRect(index)))
                        continue;
                    if (!TableColumns::isElided(view, index))
                        continue;
                    const QString cell
                        = QStringLiteral("%1: %2 (%3), row %4: \"%5\" is cut to %6 px")
                              .arg(where,
                                  view->objectName().isEmpty() ? view->metaObject()->className() : view->objectName(),
                                  column)
                              .arg(r)
                              .arg(text)
                              .arg(view->visualRect(index).width());
                    QVERIFY2(takesTheRest, qPrintable(cell));
                    const bool tipped = index.data(Qt::ToolTipRole).isValid() || TableColumns::tipsElidedText(view);
                    QVERIFY2(tipped, qPrintable(cell + QStringLiteral(", with no tooltip")));
                }
            }
        }
    }

    MainWindowFixture f;
};

QTEST_MAIN(TestMainWindowCraft)
#include "tst_mainwindow_craft.moc"

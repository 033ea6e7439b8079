// The window as an operator meets it on two common screens: a picture of every tab at
// 1600×1000 and 1280×800 with the demo running, and in every table no cell that names a
// member, a time or a state is elided; a long free-text cell shows its full text on hover.

#include "MainWindowFixture.h"
#include "WindowInspection.h"
#include "common/MemberId.h"
#include "dialogs/HelpDialog.h"
#include "dialogs/ShortcutsDialog.h"
#include "metrics/DashboardPanel.h"
#include "metrics/MetricsDashboard.h"
#include "overview/TopologyView.h"
#include "widgets/ColorScheme.h"
#include "widgets/NotificationBar.h"
#include "widgets/TableColumns.h"
#include "widgets/TimeSeriesChart.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAccessible>
#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTabBar>
#include <QTableView>
#include <QTableWidget>
#include <QTreeView>
#include <algorithm>

using namespace WindowInspection;

class TestMainWindowCraft : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QD_STEP(f.setUp(0, true)); }
    void init() { QD_STEP(f.ready()); }
    void cleanupTestCase() { f.tearDown(); }

    void everyTabAtTwoScreenSizes_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("fontScale");
        QTest::newRow("1600x1000") << QSize(1600, 1000) << 1.0;
        QTest::newRow("1280x800") << QSize(1280, 800) << 1.0;
        // A desktop whose font is half as large again (a common accessibility setting):
        // what identifies a member or a time must still show whole.
        QTest::newRow("1600x1000 font 150%") << QSize(1600, 1000) << 1.5;
    }

    void everyTabAtTwoScreenSizes()
    {
        QFETCH(QSize, size);
        QFETCH(double, fontScale);
        QD_STEP(f.ensureElection());
        const QFont desktopFont = QApplication::font();
        const auto restoreFont = qScopeGuard([desktopFont] { QApplication::setFont(desktopFont); });
        if (fontScale != 1.0) {
            QFont larger = desktopFont;
            larger.setPointSizeF(desktopFont.pointSizeF() * fontScale);
            QApplication::setFont(larger);
            QCoreApplication::processEvents();
        }
        const QString sizeName = fontScale == 1.0
            ? QStringLiteral("%1x%2").arg(size.width()).arg(size.height())
            : QStringLiteral("%1x%2-font%3").arg(size.width()).arg(size.height()).arg(qRound(fontScale * 100));
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
            QD_STEP(checkTables(page, QStringLiteral("%1 at %2").arg(tab, sizeName)));
            QD_STEP(f.savePicture(
                QStringLiteral("%1-%2").arg(sizeName, tab.toLower().replace(QLatin1Char(' '), QLatin1Char('-')))));
        }
    }

    void keyboardAloneTransfersLeadership()
    {
        // From the menu bar to a new leader without the mouse: Alt+C opens Cluster, T picks
        // "Transfer leadership…", Tab reaches the confirming button (Cancel is the default,
        // so a stray Enter does nothing) and Space presses it.
        const QString before = f.leaderName();
        QVERIFY(!before.isEmpty());
        f.window()->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(f.window()));
        QTest::keyClick(f.window(), Qt::Key_C, Qt::AltModifier);
        auto *cluster = f.window()->findChild<QMenu *>(QStringLiteral("clusterMenu"));
        QVERIFY(cluster);
        QTRY_VERIFY2_WITH_TIMEOUT(cluster->isVisible(), "Alt+C did not open the Cluster menu", 5000);
        QTest::keyClick(cluster, Qt::Key_T);
        QMessageBox *box = nullptr;
        QTRY_VERIFY2_WITH_TIMEOUT((box = f.window()->findChild<QMessageBox *>()) && box->isVisible(),
            "T in the Cluster menu asked nothing", 5000);
        QAbstractButton *confirm = box->button(QMessageBox::Yes);
        QVERIFY(confirm);
        QCOMPARE(confirm->text(), QStringLiteral("Transfer leadership"));
        QVERIFY(QTest::qWaitForWindowActive(box));
        QTRY_COMPARE_WITH_TIMEOUT(
            QApplication::focusWidget(), static_cast<QWidget *>(box->button(QMessageBox::Cancel)), 5000);
        for (int i = 0; i < 4 && QApplication::focusWidget() != confirm; ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(confirm));
        QTest::keyClick(confirm, Qt::Key_Space);
        QTRY_VERIFY2_WITH_TIMEOUT(!f.leaderName().isEmpty() && f.leaderName() != before,
            qPrintable(QStringLiteral("the leader is still %1").arg(before)), 15000);
    }

    void menusOfferWhatAnOperatorExpects()
    {
        auto titles = [this](const char *menu) {
            QStringList t;
            for (QAction *a : f.window()->findChild<QMenu *>(QLatin1String(menu))->actions()) {
                if (!a->isSeparator())
                    t << a->text().remove(QLatin1Char('&'));
            }
            return t;
        };
        QCOMPARE(
            titles("fileMenu"), QStringList({"Connect…", "Recent clusters", "Open demo", "Export journal…", "Quit"}));
        QCOMPARE(titles("clusterMenu"),
            QStringList({"Transfer leadership…", "Add member…", "Remove member…", "Promote learner…", "Defragment…",
                "Back up now…", "Refresh", "Certificates…", "Copy rows"}));
        const QStringList view = titles("viewMenu");
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QCOMPARE(view.size(), tabs->count() + 1);
        QCOMPARE(view.last(), QStringLiteral("Full screen"));
        QCOMPARE(titles("helpMenu"), QStringList({"Keyboard shortcuts", "Guide", "About QuorumDeck"}));
        // View → Elections shows that tab, and its shortcut is Ctrl+4.
        QAction *elections = f.window()->action(QStringLiteral("view3"));
        QVERIFY(elections);
        QCOMPARE(elections->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_4));
        elections->trigger();
        QCOMPARE(tabs->currentIndex(), 3);
        // The guide holds the README's sections, and opens at each.
        const QStringList sections = titles("guideMenu");
        QVERIFY(sections.contains(QStringLiteral("The window")));
        QVERIFY(sections.contains(QStringLiteral("The command line")));
        HelpDialog help;
        for (const QString &section : sections) {
            QVERIFY2(help.showSection(section), qPrintable(section));
            QCOMPARE(help.currentSection(), section);
        }
        // About names the etcd the members run, as the members table shows it.
        f.window()->action(QStringLiteral("about"))->trigger();
        auto *about = f.window()->findChild<QDialog *>(QStringLiteral("aboutDialog"));
        QVERIFY(about);
        const QString version = f.window()->membersModel()->index(0, MembersModel::Version).data().toString();
        QVERIFY(!version.isEmpty());
        bool named = false;
        for (QLabel *label : about->findChildren<QLabel *>())
            named = named || label->text().contains(QStringLiteral("etcd ") + version);
        QVERIFY2(named, "About does not name the etcd server's version");
        about->close();
        // Every frequent action has a shortcut, and the shortcuts list shows them all.
        for (const char *name : {"transferLeader", "addMember", "removeMember", "refresh", "connect", "backUpNow"})
            QVERIFY2(!f.window()->action(QLatin1String(name))->shortcut().isEmpty(), name);
        f.window()->action(QStringLiteral("shortcuts"))->trigger();
        auto *shortcuts = f.window()->findChild<ShortcutsDialog *>();
        QVERIFY(shortcuts);
        QVERIFY(shortcuts->table()->rowCount() >= 20);
        shortcuts->close();
    }

    void overviewBoxesSayWhatDecidesTheNextMove()
    {
        TopologyView *topology = f.window()->topology();
        const MembersModel *members = f.window()->membersModel();
        for (int row = 0; row < members->rowCount(); ++row) {
            const QString name = members->index(row, MembersModel::Name).data().toString();
            const QString version = members->index(row, MembersModel::Version).data().toString();
            auto text = [&] { return topology->memberText(name).join(QLatin1Char('\n')); };
            // The quota comes with the storage read, a moment after the first snapshot.
            QTRY_VERIFY2_WITH_TIMEOUT(text().contains(QStringLiteral(" of ")), qPrintable(text()), 15000);
            QVERIFY2(text().contains(QStringLiteral("etcd ") + version), qPrintable(text()));
            QVERIFY2(text().contains(QStringLiteral("healthy")), qPrintable(text()));
            QVERIFY2(text().contains(QRegularExpression(QStringLiteral("index \\d+"))), qPrintable(text()));
            QVERIFY2(text().contains(QStringLiteral("DB ")), qPrintable(text()));
            const bool leader = name == f.leaderName();
            QCOMPARE(text().contains(QStringLiteral("lag ")), !leader);
            // A click on the box selects the member's row, and the box shows the selection.
            const QRectF box = topology->memberBox(name);
            QVERIFY(!box.isEmpty());
            QTest::mouseClick(topology, Qt::LeftButton, {}, box.center().toPoint());
            const QModelIndexList selected = f.window()->membersView()->selectionModel()->selectedRows();
            QCOMPARE(selected.size(), 1);
            QCOMPARE(selected.first().data(MembersModel::MemberNameRole).toString(), name);
            QCOMPARE(topology->selectedMember(),
                MemberId::fromHex(selected.first().data(MembersModel::MemberIdRole).toString()).value_or(0));
        }
    }

    void statusBarSaysTheStateInWords()
    {
        QD_STEP(f.ensureElection());
        auto *sentence = f.window()->findChild<QLabel *>(QStringLiteral("statusSentence"));
        QVERIFY(sentence);
        // Every member healthy, the leader named with how long it has led (it was elected
        // while the console watched), the data consistent, and the backups in words.
        const QRegularExpression expected(QStringLiteral("^3/3 healthy · leader %1 for \\d+ (s|min) · consistent · (no "
                                                         "backup yet|last backup \\d+ (s|min|h|d) ago)$")
                                              .arg(QRegularExpression::escape(f.leaderName())));
        QTRY_VERIFY2_WITH_TIMEOUT(expected.match(sentence->text()).hasMatch(), qPrintable(sentence->text()), 20000);
    }

    void noTwoKeysCollide()
    {
        // Two shortcuts on the same key cancel each other out (Qt calls them ambiguous and
        // fires neither): on every tab, each key the window answers to does one thing.
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QStringList collisions;
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QCoreApplication::processEvents();
            QMultiHash<QKeySequence, QString> keys;
            auto mnemonic = [](const QString &text) {
                const qsizetype at = text.indexOf(QRegularExpression(QStringLiteral("&[^&]")));
                return at < 0 ? QKeySequence()
                              : QKeySequence(Qt::ALT | QKeySequence(text.at(at + 1).toUpper())[0].key());
            };
            for (QMenu *menu : f.window()->menuBar()->findChildren<QMenu *>(QString(), Qt::FindDirectChildrenOnly))
                keys.insert(mnemonic(menu->title()), QStringLiteral("menu ") + menu->title());
            for (int t = 0; t < tabs->count(); ++t)
                keys.insert(mnemonic(tabs->tabText(t)), QStringLiteral("tab ") + tabs->tabText(t));
            for (QAction *a : f.window()->findChildren<QAction *>()) {
                const QWidget *owner = qobject_cast<QWidget *>(a->parent());
                const bool live = a->shortcutContext() == Qt::WindowShortcut
                    || a->shortcutContext() == Qt::ApplicationShortcut || (owner && owner->isVisible());
                for (const QKeySequence &k : a->shortcuts()) {
                    if (live && !k.isEmpty())
                        keys.insert(k, QStringLiteral("action ") + a->text());
                }
            }
            for (QAbstractButton *b : f.window()->findChildren<QAbstractButton *>()) {
                if (!b->isVisible() || qobject_cast<QTabBar *>(b->parentWidget()))
                    continue;
                if (!b->shortcut().isEmpty())
                    keys.insert(b->shortcut(), QStringLiteral("button ") + b->text());
            }
            for (QLabel *l : f.window()->findChildren<QLabel *>()) {
                if (l->isVisible() && l->buddy())
                    keys.insert(mnemonic(l->text()), QStringLiteral("label ") + l->text());
            }
            keys.remove(QKeySequence());
            for (const QKeySequence &k : keys.uniqueKeys()) {
                const QStringList users = keys.values(k);
                if (users.size() > 1)
                    collisions << QStringLiteral("on %1, %2 does %3")
                                      .arg(tabs->tabText(i), k.toString(), users.join(QStringLiteral(" and ")));
            }
        }
        QVERIFY2(collisions.isEmpty(), qPrintable(collisions.join(QLatin1Char('\n'))));
    }

    void everyControlHasAnAccessibleName()
    {
        // What a screen reader says for each control the keyboard can reach, on every tab:
        // its text, its label (buddy) or an accessible name of its own; never nothing.
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QStringList nameless;
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QCoreApplication::processEvents();
            for (QWidget *w : f.window()->findChildren<QWidget *>()) {
                if (!w->isVisible() || !(w->focusPolicy() & Qt::TabFocus) || qobject_cast<QMenu *>(w)
                    || w->inherits("QAbstractScrollArea") == false && w->inherits("QScrollBar"))
                    continue;
                QAccessibleInterface *ai = QAccessible::queryAccessibleInterface(w);
                if (!ai || !ai->text(QAccessible::Name).trimmed().isEmpty())
                    continue;
                // A view is named by what it shows when it has no name of its own: not enough.
                const QString what = QStringLiteral("%1 on %2 (%3)")
                                         .arg(QString::fromLatin1(w->metaObject()->className()), tabs->tabText(i),
                                             w->objectName().isEmpty() ? w->toolTip().left(40) : w->objectName());
                if (!nameless.contains(what))
                    nameless << what;
            }
        }
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(QLatin1Char('\n'))));
    }

    void sharpAtTheScreensScale()
    {
        // Run once at 1x and once on a screen at 2x (tst_mainwindow_craft_2x). At 2x
        // every tab is drawn with twice the pixels, not a 1x picture blown up: a view that
        // painted through a pixmap of its own at 1x would show blocks of 2x2 equal pixels.
        // The measure tells the two apart: a line of text drawn at 2x, and the same line
        // drawn at 1x and blown up.
        QLabel sample(QStringLiteral("etcd2 leads at term 7 · raft index 1532 · 12 ms"));
        sample.resize(sample.sizeHint());
        QImage sharp(sample.size() * 2, QImage::Format_RGB32);
        sharp.setDevicePixelRatio(2);
        sharp.fill(Qt::white);
        QImage once(sample.size(), QImage::Format_RGB32);
        once.fill(Qt::white);
        for (QImage *image : {&sharp, &once}) {
            QPainter painter(image);
            sample.render(&painter);
        }
        QVERIFY2(finerThanOnePixel(once.scaled(once.size() * 2)) < 0.02, "a 1x picture blown up passes for 2x");
        QVERIFY2(finerThanOnePixel(sharp) > 0.02, "text drawn at 2x passes for blown up");

        // The scale the run was started for (tests/gui/CMakeLists.txt), not the one it got.
        const qreal expected = qEnvironmentVariable("QUORUMDECK_TEST_SCALE", QStringLiteral("1")).toDouble();
        const qreal dpr = f.window()->devicePixelRatioF();
        QCOMPARE(dpr, expected);
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        f.window()->resize(1280, 800);
        QStringList blurred;
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QCoreApplication::processEvents();
            QWidget *page = tabs->widget(i);
            const QPixmap picture = page->grab();
            QCOMPARE(picture.devicePixelRatio(), dpr);
            QCOMPARE(picture.size(), page->size() * dpr);
            if (dpr < 2)
                continue;
            // Every view that paints itself, and the page as a whole.
            QList<QWidget *> views {page};
            for (QWidget *w : page->findChildren<QWidget *>())
                if (w->isVisible() && w->width() >= 60 && w->height() >= 40
                    && (qobject_cast<QAbstractScrollArea *>(w) || w->metaObject()->className()[0] != 'Q'))
                    views << w;
            for (QWidget *w : std::as_const(views)) {
                const double detail = finerThanOnePixel(w->grab().toImage());
                if (detail < 0.02)
                    blurred << QStringLiteral("%1 on %2: %3 % of its edges are finer than 1x")
                                   .arg(describe(w), tabs->tabText(i).remove(QLatin1Char('&')))
                                   .arg(100 * detail, 0, 'f', 1);
            }
        }
        QVERIFY2(blurred.isEmpty(), qPrintable(blurred.join(QLatin1Char('\n'))));
    }

    void tabWalksEveryControlAndBack()
    {
        // Keyboard alone: on every tab, Tab from the tab bar goes through every control the
        // page offers and comes back round to the tab bar, no table or text keeps the focus
        // to itself, and Shift+Tab walks the same round backwards.
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        f.window()->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(f.window()));
        QStringList problems;
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QCoreApplication::processEvents();
            const QString tab = tabs->tabText(i).remove(QLatin1Char('&'));
            const QList<QWidget *> forward = walk(tabs->tabBar(), Qt::Key_Tab, tab, &problems);
            for (QWidget *w : tabs->widget(i)->findChildren<QWidget *>()) {
                if (takesTabFocus(w) && !forward.contains(w))
                    problems << QStringLiteral("%1: Tab never reaches %2").arg(tab, describe(w));
            }
            QList<QWidget *> backward = walk(tabs->tabBar(), Qt::Key_Backtab, tab, &problems);
            std::reverse(backward.begin(), backward.end());
            if (backward != forward)
                problems << QStringLiteral("%1: Shift+Tab does not walk Tab's round backwards").arg(tab);
        }
        problems.removeDuplicates();
        for (const QString &p : std::as_const(problems))
            qInfo("%s", qPrintable(p)); // every one, not only what a failure's message holds
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void darkDesktopPictures()
    {
        // The dark palette the console gives itself on a dark desktop, on the busiest tabs.
        const QPalette light = QApplication::palette();
        QApplication::setPalette(ColorScheme::darkPalette());
        f.window()->resize(1280, 800);
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        for (int i : {0, 3, 4}) {
            tabs->setCurrentIndex(i);
            QCoreApplication::processEvents();
            const QImage shot = f.window()->grab().toImage();
            // The page's own background follows the palette (a corner of the tab's area).
            const QPoint corner
                = tabs->currentWidget()->mapTo(f.window(), QPoint(2, tabs->currentWidget()->height() - 3));
            QVERIFY2(shot.pixelColor(corner).lightness() < 90,
                qPrintable(tabs->tabText(i) + QStringLiteral(" stays light: ") + shot.pixelColor(corner).name()));
            QD_STEP(f.savePicture(QStringLiteral("dark-") + tabs->tabText(i).toLower()));
        }
        // A notification shown on the dark palette is dark too, its text light.
        NotificationBar *notice = f.window()->notifications();
        notice->show(NotificationBar::Kind::Success, QStringLiteral("shown on the dark palette"));
        QVERIFY2(notice->palette().color(QPalette::Window).lightness() < 90,
            qPrintable(notice->palette().color(QPalette::Window).name()));
        QVERIFY(notice->palette().color(QPalette::WindowText).lightness() > 160);
        QApplication::setPalette(light);
        QCoreApplication::processEvents(); // the change reaches the widgets as events
        notice->show(NotificationBar::Kind::Success, QStringLiteral("shown on the light palette"));
        QVERIFY2(notice->palette().color(QPalette::Window).lightness() > 200,
            qPrintable(notice->palette().color(QPalette::Window).name() + QLatin1Char(' ')
                + notice->parentWidget()->palette().color(QPalette::Window).name()));
    }

    void windowRemembersItsGeometryAndTab()
    {
        auto *tabs = f.window()->findChild<QTabWidget *>(QStringLiteral("tabs"));
        f.window()->resize(1280, 800);
        tabs->setCurrentIndex(3);
        QCoreApplication::processEvents();
        f.window()->saveSettings();
        MainWindow other(f.journal());
        QCOMPARE(other.size(), QSize(1280, 800));
        QCOMPARE(other.findChild<QTabWidget *>(QStringLiteral("tabs"))->currentIndex(), 3);
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

#pragma once

// Ways to look at the window as an operator's eyes and keyboard meet it: whether a picture
// was drawn at the screen's scale, and where Tab takes the focus.

#include <QApplication>
#include <QImage>
#include <QMenu>
#include <QStringList>
#include <QTest>
#include <QWidget>
#include <cstdlib>

namespace WindowInspection {

/// Of the 2x2 blocks of a 2x picture that hold an edge (pixels of the block differ from
/// the block beside it), the share whose own pixels differ too: 0 for a 1x picture drawn
/// twice as large, a few percent and more where text and lines are drawn at 2x.
inline double finerThanOnePixel(const QImage &picture)
{
    const QImage image = picture.convertToFormat(QImage::Format_RGB32);
    const auto differ = [](QRgb a, QRgb b) {
        return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b)) > 48;
    };
    qint64 edges = 0;
    qint64 finer = 0;
    for (int y = 0; y + 1 < image.height(); y += 2) {
        const auto *row = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        const auto *next = reinterpret_cast<const QRgb *>(image.constScanLine(y + 1));
        for (int x = 0; x + 3 < image.width(); x += 2) {
            if (!differ(row[x], row[x + 2]))
                continue;
            ++edges;
            if (differ(row[x], row[x + 1]) || differ(row[x], next[x]) || differ(row[x], next[x + 1]))
                ++finer;
        }
    }
    return edges == 0 ? 1.0 : double(finer) / double(edges);
}

/// A control the keyboard reaches by itself (not through the widget it lends its focus to).
inline bool takesTabFocus(QWidget *w)
{
    return w->isVisible() && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus) && !w->focusProxy()
        && !qobject_cast<QMenu *>(w);
}

inline QString describe(QWidget *w)
{
    if (!w)
        return QStringLiteral("nothing");
    QString name = w->accessibleName();
    if (name.isEmpty())
        name = w->objectName();
    return QStringLiteral("%1 \"%2\"").arg(QString::fromLatin1(w->metaObject()->className()), name);
}

/// The widgets key (Tab or Backtab) visits from start until it is back at start, in
/// order; a widget that keeps the focus, or a round that never comes back, is a problem.
inline QList<QWidget *> walk(QWidget *start, Qt::Key key, const QString &tab, QStringList *problems)
{
    start->setFocus(Qt::TabFocusReason);
    QList<QWidget *> visited;
    if (QApplication::focusWidget() != start) {
        *problems << QStringLiteral("%1: the tab bar does not take the focus").arg(tab);
        return visited;
    }
    for (int n = 0; n < 500; ++n) {
        QWidget *before = QApplication::focusWidget();
        QTest::keyClick(before, key);
        QWidget *w = QApplication::focusWidget();
        if (w == start)
            return visited;
        if (!w || w == before || visited.contains(w)) {
            *problems << QStringLiteral("%1: %2 keeps the focus (%3)")
                             .arg(tab, describe(w),
                                 key == Qt::Key_Tab ? QStringLiteral("Tab") : QStringLiteral("Shift+Tab"));
            return visited;
        }
        visited << w;
    }
    *problems << QStringLiteral("%1: 500 presses of Tab never came back to the tab bar").arg(tab);
    return visited;
}

} // namespace WindowInspection

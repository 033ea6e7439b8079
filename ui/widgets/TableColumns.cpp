#include "widgets/TableColumns.h"

#include <QAbstractItemView>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QHelpEvent>
#include <QTableView>
#include <QTimer>
#include <QToolTip>
#include <algorithm>

namespace TableColumns {

namespace {

constexpr int kRefitMs = 150;
/// Rows beyond those in view that sizing a column to its content looks at (Qt's default,
/// 1,000, costs a text layout per cell and column of a long log at every refit).
constexpr int kRowsConsidered = 100;

/// Answers tooltip events of a view's viewport with the full text of an elided cell.
class ElidedTextTips : public QObject {
public:
    explicit ElidedTextTips(QAbstractItemView *view)
        : QObject(view)
        , m_view(view)
    {
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::ToolTip || watched != m_view->viewport())
            return false;
        const auto *help = static_cast<QHelpEvent *>(event);
        const QModelIndex index = m_view->indexAt(help->pos());
        if (!index.isValid() || index.data(Qt::ToolTipRole).isValid() || !isElided(m_view, index))
            return false; // the view shows the model's tooltip, or none
        QToolTip::showText(
            help->globalPos(), index.data(Qt::DisplayRole).toString(), m_view->viewport(), m_view->visualRect(index));
        return true;
    }

private:
    QAbstractItemView *m_view;
};

/// Sizes a view's columns to their content again after its rows change, at most every
/// kRefitMs. A header sizes its columns to their content when it lays out, and a
/// table whose row numbers are hidden (every table of the window) does not lay out again
/// when rows arrive in view: the first events on Overview stayed cut to the width of the
/// column's title ("20…") until the window was resized or the tab shown anew.
class ColumnRefit : public QObject {
public:
    explicit ColumnRefit(QTableView *view)
        : QObject(view->horizontalHeader())
    {
        // At the next turn of the loop after a quiet spell, then at most every kRefitMs: a
        // log view gains rows many times a second, and each refit asks the delegate for the
        // size of every cell it considers.
        m_timer.setSingleShot(true);
        m_sinceRefit.start();
        QHeaderView *header = view->horizontalHeader();
        connect(&m_timer, &QTimer::timeout, header, [this, view, header] {
            // A table out of sight lays its columns out when it is shown.
            m_sinceRefit.restart();
            if (view->isVisible())
                QMetaObject::invokeMethod(header, "resizeSections", Qt::DirectConnection);
        });
        QAbstractItemModel *model = view->model();
        if (!model)
            return;
        // Not restarted by each change: a log that never pauses is refitted all the same.
        const auto refit = [this] {
            if (!m_timer.isActive())
                m_timer.start(int(std::max<qint64>(0, kRefitMs - m_sinceRefit.elapsed())));
        };
        connect(model, &QAbstractItemModel::rowsInserted, this, refit);
        connect(model, &QAbstractItemModel::rowsRemoved, this, refit);
        connect(model, &QAbstractItemModel::modelReset, this, refit);
        connect(model, &QAbstractItemModel::layoutChanged, this, refit);
        connect(model, &QAbstractItemModel::dataChanged, this, refit);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceRefit;
};

} // namespace

void fit(QTableView *view, int stretch)
{
    QHeaderView *header = view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(stretch, QHeaderView::Stretch);
    header->setResizeContentsPrecision(kRowsConsidered);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    // A table takes Tab for moving between its own cells by default, and wraps round: the
    // keyboard would never leave it. The arrows move within it; Tab moves on.
    view->setTabKeyNavigation(false);
    new ColumnRefit(view);
    tipElidedText(view);
}

void tipElidedText(QAbstractItemView *view)
{
    if (tipsElidedText(view))
        return;
    auto *tips = new ElidedTextTips(view);
    tips->setParent(view->viewport());
    view->viewport()->installEventFilter(tips);
}

bool tipsElidedText(const QAbstractItemView *view)
{
    return view->viewport()->findChild<ElidedTextTips *>(QString(), Qt::FindDirectChildrenOnly) != nullptr;
}

bool isElided(const QAbstractItemView *view, const QModelIndex &index)
{
    // The same measure the header's ResizeToContents takes: the delegate's size hint for
    // the cell (its font, decoration and margins), against the cell's rectangle.
    const QRect cell = view->visualRect(index);
    return cell.width() > 0 && view->sizeHintForIndex(index).width() > cell.width();
}

} // namespace TableColumns

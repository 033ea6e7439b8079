#include "widgets/TableColumns.h"

#include <QAbstractItemView>
#include <QHeaderView>
#include <QHelpEvent>
#include <QTableView>
#include <QToolTip>

namespace TableColumns {

namespace {

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

} // namespace

void fit(QTableView *view, int stretch)
{
    QHeaderView *header = view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(stretch, QHeaderView::Stretch);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
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

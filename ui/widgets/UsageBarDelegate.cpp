#include "widgets/UsageBarDelegate.h"

#include <QApplication>
#include <QPainter>

UsageBarDelegate::UsageBarDelegate(int fractionRole, double warnAt, double criticalAt, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_role(fractionRole)
    , m_warn(warnAt)
    , m_critical(criticalAt)
{
}

QColor UsageBarDelegate::colorFor(double fraction, double warnAt, double criticalAt)
{
    if (fraction >= criticalAt)
        return QColor(0xe5, 0x73, 0x73);
    if (fraction >= warnAt)
        return QColor(0xff, 0xcc, 0x80);
    return QColor(0xa5, 0xd6, 0xa7);
}

void UsageBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant value = index.data(m_role);
    if (!value.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const double fraction = value.toDouble();
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    // The selection and focus frame first, then the bar, then the text over it.
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    const QRect track = option.rect.adjusted(3, 3, -3, -3);
    painter->save();
    painter->setPen(Qt::NoPen);
    painter->setBrush(option.palette.color(QPalette::AlternateBase));
    painter->drawRect(track);
    QRect bar = track;
    bar.setWidth(int(track.width() * std::clamp(fraction, 0.0, 1.0)));
    painter->setBrush(m_neutral ? QColor(0xb0, 0xc4, 0xde) : colorFor(fraction, m_warn, m_critical));
    painter->drawRect(bar);
    painter->setPen(option.palette.color(QPalette::Text));
    painter->drawText(track.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    painter->restore();
}

QSize UsageBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(qMax(s.width() + 16, 180));
    return s;
}

#pragma once

#include <QStyledItemDelegate>

/// Draws a cell's FractionRole as a bar behind its text: green, amber from warnAt, red from
/// criticalAt. Cells without a fraction are drawn as plain text.
class UsageBarDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    UsageBarDelegate(int fractionRole, double warnAt, double criticalAt, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor colorFor(double fraction, double warnAt, double criticalAt);
    /// A share rather than a level (of the database, of the keys): one neutral colour that
    /// says nothing about state.
    void setNeutral(bool neutral) { m_neutral = neutral; }

private:
    int m_role;
    double m_warn;
    double m_critical;
    bool m_neutral = false;
};

#pragma once

#include <QModelIndex>

class QAbstractItemView;
class QTableView;

/// How the window's tables use their width: the columns that identify a row (time, id,
/// name, role, state) take the width of their content and are never elided; one column of
/// free text takes what is left, and a cell it elides shows its full text as a tooltip.
namespace TableColumns {

/// Every column of `view` sizes to its content but `stretch`, which takes the rest; Tab
/// leaves the table (the arrows move within it). Call it once the view has its model: the
/// columns follow the model's rows as they change.
void fit(QTableView *view, int stretch);

/// Shows the full text of a cell that the view elides, as its tooltip, where the model
/// gives no tooltip of its own.
void tipElidedText(QAbstractItemView *view);
/// Whether tipElidedText() was called for `view`.
bool tipsElidedText(const QAbstractItemView *view);

/// Whether `view` draws the display text of `index` elided (its content is wider than
/// its cell).
bool isElided(const QAbstractItemView *view, const QModelIndex &index);

} // namespace TableColumns

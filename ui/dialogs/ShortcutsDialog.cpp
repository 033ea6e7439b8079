#include "dialogs/ShortcutsDialog.h"

#include "widgets/TableColumns.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

ShortcutsDialog::ShortcutsDialog(const QList<Entry> &entries, QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(0, 3, this))
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard shortcuts"));
    m_table->setHorizontalHeaderLabels({tr("Shortcut"), tr("Action"), tr("Menu")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAccessibleName(tr("Keyboard shortcuts"));
    for (const Entry &e : entries) {
        if (!e.action || e.action->shortcut().isEmpty())
            continue;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        QString text = e.action->text();
        text.remove(QLatin1Char('&'));
        m_table->setItem(row, 0, new QTableWidgetItem(e.action->shortcut().toString(QKeySequence::NativeText)));
        m_table->setItem(row, 1, new QTableWidgetItem(text));
        m_table->setItem(row, 2, new QTableWidgetItem(e.menu));
    }
    TableColumns::fit(m_table, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(560, 520);
}

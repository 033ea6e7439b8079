#include "keyspace/KeyspacePanel.h"

#include "common/Format.h"
#include "keyspace/PrefixTree.h"
#include "keyspace/ValueViewer.h"
#include "session/ConsoleSession.h"
#include "session/KeyspaceSession.h"
#include "widgets/TableColumns.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

KeyspacePanel::KeyspacePanel(QWidget *parent)
    : QWidget(parent)
    , m_prefix(new QLineEdit(this))
    , m_depth(new QSpinBox(this))
    , m_top(new QSpinBox(this))
    , m_walk(new QPushButton(tr("&Walk the keyspace"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_tree(new PrefixTree(this))
    , m_largest(new QTableWidget(0, 2, this))
    , m_viewer(new ValueViewer(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *controls = new QHBoxLayout;
    m_prefix->setPlaceholderText(tr("every key"));
    m_prefix->setToolTip(tr("Walk only the keys that start with this, e.g. /registry/pods"));
    m_prefix->setClearButtonEnabled(true);
    m_depth->setRange(1, 16);
    m_depth->setValue(3);
    m_depth->setToolTip(tr("Group keys by their first N '/'-separated segments"));
    m_top->setRange(1, 1000);
    m_top->setValue(20);
    m_top->setToolTip(tr("How many of the largest keys to list"));
    controls->addWidget(new QLabel(tr("Prefix:"), this));
    controls->addWidget(m_prefix, 2);
    controls->addWidget(new QLabel(tr("Depth:"), this));
    controls->addWidget(m_depth);
    controls->addWidget(new QLabel(tr("Largest:"), this));
    controls->addWidget(m_top);
    m_walk->setToolTip(tr("Read every key, a page at a time at one revision (F5)"));
    // F5 is the window's Refresh, which walks the keyspace when this tab is in view.
    controls->addWidget(m_walk);
    controls->addWidget(m_cancel);
    layout->addLayout(controls);
    auto *state = new QHBoxLayout;
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    state->addWidget(m_progress);
    m_status->setText(tr("Not walked yet: a walk reads every key once, 1,000 at a time."));
    m_status->setWordWrap(true);
    state->addWidget(m_status, 1);
    layout->addLayout(state);

    m_largest->setHorizontalHeaderLabels({tr("Largest keys"), tr("Bytes")});
    m_largest->setAccessibleName(tr("Largest keys"));
    m_tree->setAccessibleName(tr("Keys by prefix"));
    TableColumns::fit(m_largest, 0);
    m_largest->verticalHeader()->hide();
    m_largest->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_largest->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_largest->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_largest->setSelectionMode(QAbstractItemView::SingleSelection);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_largest);
    right->addWidget(m_viewer);
    right->setSizes({300, 300});
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_tree);
    split->addWidget(right);
    split->setSizes({600, 500});
    layout->addWidget(split, 1);

    connect(m_walk, &QPushButton::clicked, this, &KeyspacePanel::walk);
    connect(m_prefix, &QLineEdit::returnPressed, this, &KeyspacePanel::walk);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->keyspace()->cancel();
    });
    connect(m_largest, &QTableWidget::currentCellChanged, this, [this](int row) {
        const QTableWidgetItem *item = m_largest->item(row, 0);
        if (!item || !m_session)
            return;
        const QByteArray key = item->data(Qt::UserRole).toByteArray();
        m_viewer->showMessage(tr("Reading %1…").arg(item->text()));
        m_session->keyspace()->readValue(key);
    });
    setWalking(false);
}

void KeyspacePanel::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session->keyspace(), nullptr, this, nullptr);
    m_session = session;
    m_tree->clear();
    m_largest->setRowCount(0);
    m_viewer->showMessage(tr("Select a key to see its value."));
    setWalking(false);
    if (!session)
        return;
    KeyspaceSession *k = session->keyspace();
    connect(k, &KeyspaceSession::walkStarted, this, [this] { setWalking(true); });
    connect(k, &KeyspaceSession::progress, this, [this](qint64 walked, qint64 total) {
        m_progress->setRange(0, int(qMin<qint64>(total, INT_MAX)));
        m_progress->setValue(int(qMin<qint64>(walked, INT_MAX)));
        m_status->setText(tr("Walked %1 of %2 keys…").arg(walked).arg(total));
    });
    connect(k, &KeyspaceSession::summaryReady, this, &KeyspacePanel::showSummary);
    connect(k, &KeyspaceSession::walkFailed, this, [this](const QString &sentence) {
        setWalking(false);
        m_status->setText(tr("The walk stopped: %1.").arg(sentence));
    });
    connect(k, &KeyspaceSession::valueReady, this,
        [this](const QByteArray &key, const QByteArray &value, qint64 modRevision) {
            m_viewer->showValue(key, value, modRevision);
        });
    connect(k, &KeyspaceSession::valueFailed, this, [this](const QByteArray &key, const QString &sentence) {
        m_viewer->showMessage(tr("%1 could not be read: %2.").arg(KeyspaceSummary::printable(key), sentence));
    });
}

void KeyspacePanel::walk()
{
    if (!m_session)
        return;
    m_session->keyspace()->walk(m_prefix->text().toUtf8(), m_depth->value(), m_top->value());
}

QString KeyspacePanel::status() const
{
    return m_status->text();
}

void KeyspacePanel::setWalking(bool walking)
{
    m_walk->setEnabled(!walking && m_session);
    m_cancel->setEnabled(walking);
    m_progress->setVisible(walking);
    if (walking)
        m_status->setText(tr("Walking the keyspace…"));
}

void KeyspacePanel::showSummary(const KeyspaceSummary &summary)
{
    setWalking(false);
    m_status->setText(tr("%1 keys, %2 (keys and values) at revision %3.")
                          .arg(summary.keys())
                          .arg(Format::bytes(summary.bytes()))
                          .arg(summary.revision));
    m_tree->setSummary(summary);
    const QList<KeyspaceSummary::Key> largest = summary.largest();
    m_largest->setRowCount(int(largest.size()));
    for (int row = 0; row < largest.size(); ++row) {
        auto *key = new QTableWidgetItem(KeyspaceSummary::printable(largest.at(row).key));
        key->setData(Qt::UserRole, largest.at(row).key);
        key->setToolTip(key->text());
        auto *bytes = new QTableWidgetItem(Format::bytes(largest.at(row).bytes));
        bytes->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_largest->setItem(row, 0, key);
        m_largest->setItem(row, 1, bytes);
    }
}

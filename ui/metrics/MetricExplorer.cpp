#include "metrics/MetricExplorer.h"

#include "widgets/TimeSeriesChart.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace {

constexpr int kIdRole = Qt::UserRole + 1;

/// Keeps rows that contain every whitespace-separated term, in any order.
class TermsFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setTerms(const QString &text)
    {
        m_terms = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QString text = sourceModel()->index(row, 0, parent).data().toString();
        for (const QString &term : m_terms) {
            if (!text.contains(term, Qt::CaseInsensitive))
                return false;
        }
        return true;
    }

private:
    QStringList m_terms;
};

} // namespace

MetricExplorer::MetricExplorer(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_model(new QStandardItemModel(this))
    , m_filtered(new TermsFilter(this))
    , m_rate(new QCheckBox(tr("Per-second &rate"), this))
    , m_count(new QLabel(this))
    , m_chart(new TimeSeriesChart(this))
{
    setObjectName(QStringLiteral("metricExplorer"));
    m_search->setObjectName(QStringLiteral("explorerSearch"));
    m_search->setPlaceholderText(tr("Search series by name or label, e.g. fsync instance=127.0.0.1"));
    m_search->setClearButtonEnabled(true);
    m_filtered->setSourceModel(m_model);
    m_list->setModel(m_filtered);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true); // thousands of rows
    m_rate->setToolTip(tr("Plot the per-second rate of a counter instead of its raw value"));
    m_chart->setEmptyText(tr("Select a series to plot it."));

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_count);
    top->addWidget(m_rate);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(m_chart);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_search, &QLineEdit::textChanged, this, &MetricExplorer::setFilter);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        const int id = current.isValid() ? current.data(kIdRole).toInt() : -1;
        if (id == m_selectedId)
            return;
        m_selectedId = id;
        emit selectionChanged();
    });
    connect(m_rate, &QCheckBox::toggled, this, &MetricExplorer::selectionChanged);
}

void MetricExplorer::setSeries(const QList<QPair<int, QString>> &series)
{
    const int selected = m_selectedId;
    m_model->clear();
    for (const auto &[id, description] : series) {
        auto *item = new QStandardItem(description);
        item->setData(id, kIdRole);
        m_model->appendRow(item);
    }
    m_model->sort(0);
    for (int row = 0; row < m_filtered->rowCount(); ++row) {
        const QModelIndex index = m_filtered->index(row, 0);
        if (index.data(kIdRole).toInt() == selected) {
            m_list->setCurrentIndex(index);
            break;
        }
    }
    m_count->setText(tr("%n series", nullptr, int(series.size())));
}

int MetricExplorer::seriesCount() const
{
    return m_model->rowCount();
}

void MetricExplorer::setFilter(const QString &text)
{
    if (m_search->text() != text)
        m_search->setText(text);
    static_cast<TermsFilter *>(m_filtered)->setTerms(text);
}

int MetricExplorer::visibleCount() const
{
    return m_filtered->rowCount();
}

bool MetricExplorer::select(const QString &text)
{
    for (int row = 0; row < m_filtered->rowCount(); ++row) {
        const QModelIndex index = m_filtered->index(row, 0);
        if (index.data().toString().contains(text)) {
            m_list->setCurrentIndex(index);
            return true;
        }
    }
    return false;
}

QString MetricExplorer::selectedDescription() const
{
    return m_list->currentIndex().data().toString();
}

bool MetricExplorer::asRate() const
{
    return m_rate->isChecked();
}

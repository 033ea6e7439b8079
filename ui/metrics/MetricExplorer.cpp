#include "metrics/MetricExplorer.h"

#include "widgets/TimeSeriesChart.h"

#include <QCheckBox>
#include <QComboBox>
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
    , m_source(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_list(new QListView(this))
    , m_model(new QStandardItemModel(this))
    , m_remoteModel(new QStandardItemModel(this))
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
    m_count->setWordWrap(true); // a sentence when Prometheus cannot be read

    m_source->setObjectName(QStringLiteral("explorerSource"));
    m_source->addItem(tr("This console"));
    m_source->addItem(tr("Prometheus"));
    m_source->setToolTip(tr("Search the console's own series, or the metrics Prometheus holds for this cluster"));
    m_source->hide();

    // Two rows: the search keeps its width beside the source, however narrow the pane.
    auto *top = new QHBoxLayout;
    top->addWidget(m_source);
    top->addWidget(m_search, 1);
    auto *below = new QHBoxLayout;
    below->addWidget(m_count, 1);
    below->addWidget(m_rate);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(m_chart);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(below);
    layout->addWidget(split, 1);

    connect(m_search, &QLineEdit::textChanged, this, &MetricExplorer::setFilter);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        if (isRemote()) {
            const QString name = current.isValid() ? current.data().toString() : QString();
            if (name == m_selectedRemote)
                return;
            m_selectedRemote = name;
            emit selectionChanged();
            return;
        }
        const int id = current.isValid() ? current.data(kIdRole).toInt() : -1;
        if (id == m_selectedId)
            return;
        m_selectedId = id;
        emit selectionChanged();
    });
    connect(m_source, &QComboBox::currentIndexChanged, this, [this](int index) {
        const bool remote = index == 1;
        // The list's selection is the other source's: drop it, and keep each source's choice.
        const QSignalBlocker block(m_list->selectionModel());
        m_filtered->setSourceModel(remote ? m_remoteModel : m_model);
        m_search->setPlaceholderText(remote ? tr("Search Prometheus' metric names, e.g. etcd_disk wal")
                                            : tr("Search series by name or label, e.g. fsync instance=127.0.0.1"));
        showCount();
        emit sourceChanged();
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
    // The list shows Prometheus' names: the console's selection is kept for later.
    for (int row = 0; !isRemote() && row < m_filtered->rowCount(); ++row) {
        const QModelIndex index = m_filtered->index(row, 0);
        if (index.data(kIdRole).toInt() == selected) {
            m_list->setCurrentIndex(index);
            break;
        }
    }
    showCount();
}

void MetricExplorer::showCount()
{
    if (!isRemote())
        m_count->setText(tr("%n series", nullptr, m_model->rowCount()));
    else if (!m_remoteError.isEmpty())
        m_count->setText(tr("Prometheus: %1").arg(m_remoteError));
    else
        m_count->setText(m_remoteLoaded ? tr("%n metrics", nullptr, m_remoteModel->rowCount()) : tr("Reading…"));
}

void MetricExplorer::setRemoteAvailable(bool available)
{
    m_source->setVisible(available);
    if (!available)
        setRemote(false);
}

bool MetricExplorer::isRemote() const
{
    return m_source->currentIndex() == 1;
}

void MetricExplorer::setRemote(bool remote)
{
    m_source->setCurrentIndex(remote ? 1 : 0);
}

void MetricExplorer::setRemoteNames(const QStringList &names)
{
    const QString selected = m_selectedRemote;
    m_remoteModel->clear();
    for (const QString &name : names)
        m_remoteModel->appendRow(new QStandardItem(name));
    m_remoteLoaded = true;
    m_remoteError.clear();
    if (isRemote() && !selected.isEmpty())
        select(selected);
    showCount();
}

void MetricExplorer::setRemoteError(const QString &sentence)
{
    m_remoteError = sentence;
    showCount();
}

void MetricExplorer::clearRemote()
{
    m_remoteModel->clear();
    m_remoteLoaded = false;
    m_remoteError.clear();
    m_selectedRemote.clear();
    showCount();
}

QString MetricExplorer::selectedRemoteName() const
{
    return isRemote() ? m_selectedRemote : QString();
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

#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;
class TimeSeriesChart;

/// Every scraped series, searchable by name and label, and a chart of the one selected:
/// its raw values, or its per-second rate for a counter.
class MetricExplorer : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricExplorer)

public:
    explicit MetricExplorer(QWidget *parent = nullptr);

    /// Series ids and how Prometheus prints them (given when they change); the selection
    /// survives when it still exists.
    void setSeries(const QList<QPair<int, QString>> &series);
    int seriesCount() const;
    /// Every term of the search must occur in the series' name or labels.
    void setFilter(const QString &text);
    int visibleCount() const;
    /// Selects the first series shown whose description contains text.
    bool select(const QString &text);
    int selectedId() const { return m_selectedId; }
    QString selectedDescription() const;
    bool asRate() const;
    TimeSeriesChart *chart() const { return m_chart; }

signals:
    void selectionChanged();

private:
    QLineEdit *m_search;
    QListView *m_list;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_filtered;
    QCheckBox *m_rate;
    QLabel *m_count;
    TimeSeriesChart *m_chart;
    int m_selectedId = -1;
};

#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStandardItemModel;
class TimeSeriesChart;

/// Every scraped series, searchable by name and label, and a chart of the one selected:
/// its raw values, or its per-second rate for a counter. With a Prometheus in the profile,
/// its metrics for this cluster can be searched and plotted instead (one line a member).
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

    /// Offers Prometheus as a second source (hidden while false).
    void setRemoteAvailable(bool available);
    /// The list shows Prometheus' metric names rather than the console's series.
    bool isRemote() const;
    void setRemote(bool remote);
    /// Prometheus' metric names for this cluster, or why they could not be read.
    void setRemoteNames(const QStringList &names);
    void setRemoteError(const QString &sentence);
    /// Forgets Prometheus' names (another server, or none, from now on).
    void clearRemote();
    bool hasRemoteNames() const { return m_remoteLoaded; }
    /// The metric chosen from Prometheus ("" for none, or in the console's own list).
    QString selectedRemoteName() const;
    TimeSeriesChart *chart() const { return m_chart; }

signals:
    void selectionChanged();
    /// The operator switched between the console's series and Prometheus'.
    void sourceChanged();

private:
    void showCount();

    QComboBox *m_source;
    QLineEdit *m_search;
    QListView *m_list;
    QStandardItemModel *m_model;
    QStandardItemModel *m_remoteModel;
    QSortFilterProxyModel *m_filtered;
    QCheckBox *m_rate;
    QLabel *m_count;
    TimeSeriesChart *m_chart;
    int m_selectedId = -1;
    QString m_selectedRemote;
    bool m_remoteLoaded = false;
    QString m_remoteError;
};

#pragma once

#include "cluster/ClusterEvent.h"
#include "dashboard/EtcdDashboard.h"
#include "dashboard/PanelQuery.h"
#include "widgets/TimeSeriesChart.h"

#include <QFutureWatcher>
#include <QHash>
#include <QPointer>
#include <QWidget>
#include <memory>

class DashboardHistory;
class DashboardPanel;
class MetricExplorer;
class MetricsCollector;
class QComboBox;
class QLabel;
class QScrollBar;
class QTimer;
class QToolButton;
class SharedSeriesStore;
struct DashboardFrame;

/// The etcd dashboard: one panel per signal, every member a line, all on one time axis
/// with the leader elections drawn across every chart; a metric explorer beside it.
///
/// Queries run on a thread pool against the collector's store and come back as a frame,
/// so the GUI thread only draws. Live ranges slide with the clock; pausing freezes the
/// window and lets the scroll bar move it back through the retained history.
class ConsoleSession;

class MetricsDashboard : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsDashboard)

public:
    explicit MetricsDashboard(QWidget *parent = nullptr);
    ~MetricsDashboard() override;

    /// Charts session's metrics from now on, naming each scrape target after the member it
    /// is (members stay named after they leave: their lines remain in the history). When the
    /// session has a Prometheus, the part of a window the console's store does not hold is
    /// read from it, and longer ranges are offered.
    void setSession(ConsoleSession *session);
    /// The collector to read; null detaches.
    void setCollector(MetricsCollector *collector);
    /// Reads this store directly (what setCollector() does with the collector's).
    void setStore(std::shared_ptr<const SharedSeriesStore> store);
    /// Leader elections become markers on every chart.
    void setElections(const QList<ClusterEvent> &events, const QHash<uint64_t, QString> &names);
    /// Highlights the marker at this moment (the event selected in the elections list).
    void markTime(qint64 ms);

    /// Presets: the last spanMs up to now.
    void setSpan(qint64 spanMs);
    qint64 span() const { return m_spanMs; }
    /// A fixed window; pauses.
    void setCustomRange(qint64 fromMs, qint64 toMs);
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    qint64 windowFrom() const;
    qint64 windowTo() const;

    /// The alert rules' state, by rule name: a panel's frame is red while one of its rules
    /// fires, amber while one is pending, and says which and where.
    struct RuleState {
        EtcdDashboard::Alert level = EtcdDashboard::Alert::Normal;
        QString text; ///< e.g. "etcdHighFsyncDurations firing on etcd2"
    };
    void setRuleStates(const QHash<QString, RuleState> &byRule);

    QList<DashboardPanel *> panels() const { return m_panels; }
    DashboardPanel *panel(const QString &id) const;
    MetricExplorer *explorer() const { return m_explorer; }

    /// Evaluates now (or as soon as the evaluation in flight is done).
    void refresh();
    /// Where the frame on screen came from, as the status line says it.
    QString sourceText() const { return m_sourceText; }
    /// How many answers from Prometheus have been drawn (tests wait for one).
    int remoteFrames() const;

signals:
    /// A new frame is on screen.
    void refreshed();
    /// The operator double-clicked an election marker.
    void markerActivated(qint64 ms);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void applyRuleStates();
    void buildToolbar();
    void applyFrame(const DashboardFrame &frame);
    /// Follows the session's Prometheus (none, or another one).
    void useHistory();
    void readRemoteNames();
    void updatePresets();
    QString sourceLine(const DashboardFrame &frame) const;
    void setHoverTime(qint64 ms);
    void updateScrollBar();
    /// The earliest moment the scroll bar reaches: the store's first sample, or a week
    /// back with Prometheus.
    qint64 scrollOldestMs() const;
    void chooseCustomRange();
    QString legendFor(const std::string &instance, const std::string &legend, bool alone) const;
    QColor colorFor(const std::string &instance) const;

    std::shared_ptr<const SharedSeriesStore> m_store;
    QPointer<ConsoleSession> m_session;
    QList<DashboardPanel *> m_panels;
    QHash<QString, RuleState> m_ruleStates;
    MetricExplorer *m_explorer;
    QComboBox *m_range;
    QToolButton *m_pause;
    QScrollBar *m_scroll;
    QLabel *m_status;
    QTimer *m_timer;
    QFutureWatcher<DashboardFrame> *m_watcher;
    bool m_pending = false;
    int m_storeGeneration = 0; ///< counts setStore() calls
    int m_evaluatedStore = 0; ///< the store generation of the evaluation under way
    bool m_paused = false;
    qint64 m_spanMs = 5 * 60 * 1000;
    qint64 m_pausedEndMs = 0;
    qint64 m_oldestMs = 0;
    QVector<ChartMarker> m_markers;
    qint64 m_markedMs = 0;
    uint64_t m_seriesGeneration = UINT64_MAX; ///< of the series list the explorer shows
    DashboardHistory *m_history;
    QMetaObject::Connection m_historyConfigured;
    std::unique_ptr<DashboardFrame> m_lastFrame; ///< drawn again when Prometheus answers
    QString m_sourceText;
};

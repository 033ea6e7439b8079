#pragma once

#include "dashboard/PanelQuery.h"

#include <QObject>
#include <QPointer>
#include <vector>

class PrometheusHistory;

/// What Prometheus answers for the dashboard's window: every panel for the part before the
/// console's store begins, and the explorer's Prometheus metric for all of it. It asks
/// again only when the question changes (the range on the step grid, the members, the
/// metric), drops answers to questions that were replaced, and keeps the last answer on
/// screen until the next one is in.
class DashboardHistory : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardHistory)

public:
    explicit DashboardHistory(QObject *parent = nullptr);

    /// The server to ask (null: none); what it answered before is forgotten.
    void setSource(PrometheusHistory *source);
    PrometheusHistory *source() const;
    /// Whether the source can be asked now (its files are read).
    bool isReady() const;

    /// The window as the store draws it, the store's first sample (0: it holds none), the
    /// instances that are this cluster's members, and the explorer's metric ("" for none).
    void ask(const PanelQuery::Window &window, qint64 storeOldestMs, const QStringList &instances,
        const QString &explorerMetric, bool explorerRate);

    /// Whether the panels' last question went to Prometheus (the store did not hold it all).
    bool coversPanels() const { return !m_panels.key.isEmpty(); }
    /// A panel's lines: Prometheus' before the store's own begin, then the store's.
    std::vector<PanelQuery::Line> joined(size_t panel, const std::vector<PanelQuery::Line> &local) const;
    const std::vector<PanelQuery::Line> &explorerLines() const { return m_explorer.lines; }
    /// Why the last answer for the panels, or the explorer, failed ("" when it did not).
    QString panelsError() const { return m_panels.error; }
    QString explorerError() const { return m_explorer.error; }
    /// Answers received so far (tests wait for one).
    int answers() const { return m_answers; }

signals:
    void answered();

private:
    struct Question {
        QString key; ///< what was asked: range, step, who, what
        int generation = 0; ///< answers to an earlier question are dropped
        QString error;
    };
    struct PanelsAnswer : Question {
        qint64 untilMs = 0; ///< Prometheus' lines end here; the store's take over
        qint64 stepMs = 0; ///< of Prometheus' points
        std::vector<std::vector<PanelQuery::Line>> panels;
    };
    struct ExplorerAnswer : Question {
        std::vector<PanelQuery::Line> lines;
    };

    void askPanels(const PanelQuery::Window &window, qint64 storeOldestMs, const QStringList &instances);
    void askExplorer(const PanelQuery::Window &window, const QStringList &instances, const QString &metric, bool rate);

    QPointer<PrometheusHistory> m_source;
    PanelsAnswer m_panels;
    ExplorerAnswer m_explorer;
    int m_answers = 0;
};

#include "metrics/DashboardFrame.h"

#include "dashboard/EtcdDashboard.h"
#include "tsdb/SharedSeriesStore.h"

#include <QElapsedTimer>

DashboardFrame DashboardFrame::evaluate(const std::shared_ptr<const SharedSeriesStore> &store,
    const PanelQuery::Window &window, int explorerId, bool explorerRate, uint64_t knownGeneration)
{
    QElapsedTimer timer;
    timer.start();
    DashboardFrame frame;
    frame.fromMs = window.fromMs;
    frame.toMs = window.toMs;
    store->read([&](const SeriesStore &s) {
        for (const EtcdDashboard::Panel &panel : EtcdDashboard::panels()) {
            std::vector<PanelQuery::Line> lines;
            for (const PanelQuery::Expr &expr : panel.exprs) {
                for (PanelQuery::Line &line : PanelQuery::evaluate(s, expr, window))
                    lines.push_back(std::move(line));
            }
            frame.panels.push_back(std::move(lines));
        }
        if (explorerId >= 0) {
            PanelQuery::Expr expr;
            expr.kind = explorerRate ? PanelQuery::Expr::Kind::Rate : PanelQuery::Expr::Kind::Gauge;
            expr.ids = {explorerId};
            frame.explorer = PanelQuery::evaluate(s, expr, window);
        }
        frame.seriesGeneration = s.seriesGeneration();
        if (frame.seriesGeneration != knownGeneration) {
            for (int id : s.ids())
                frame.series.append({id, QString::fromStdString(s.describe(id))});
        }
        frame.seriesCount = s.seriesCount();
        frame.memoryBytes = s.memoryBytes();
        frame.oldestMs = s.firstTimestamp();
    });
    frame.evaluationMs = double(timer.nsecsElapsed()) / 1e6;
    return frame;
}

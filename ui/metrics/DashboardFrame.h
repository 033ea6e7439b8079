#pragma once

#include "dashboard/PanelQuery.h"

#include <QList>
#include <QPair>
#include <QString>
#include <memory>
#include <vector>

class SharedSeriesStore;

/// What one evaluation produces, handed from the thread pool to the GUI thread.
struct DashboardFrame {
    qint64 fromMs = 0;
    qint64 toMs = 0;
    std::vector<std::vector<PanelQuery::Line>> panels;
    std::vector<PanelQuery::Line> explorer;
    QList<QPair<int, QString>> series; ///< filled only when the series set changed
    uint64_t seriesGeneration = 0;
    size_t seriesCount = 0;
    size_t memoryBytes = 0;
    qint64 oldestMs = 0;
    double evaluationMs = 0;

    /// Every dashboard panel, and the explorer's series (explorerId < 0: none), over the
    /// window; the series list only when its generation is not knownGeneration. Runs on the
    /// thread pool.
    static DashboardFrame evaluate(const std::shared_ptr<const SharedSeriesStore> &store,
        const PanelQuery::Window &window, int explorerId, bool explorerRate, uint64_t knownGeneration);
};

#include "metrics/DashboardHistory.h"

#include "session/PrometheusHistory.h"

#include <algorithm>
#include <limits>

DashboardHistory::DashboardHistory(QObject *parent)
    : QObject(parent)
{
}

void DashboardHistory::setSource(PrometheusHistory *source)
{
    m_source = source;
    // Answers still coming from the last source are dropped by their generation.
    m_panels = {{.generation = m_panels.generation + 1}};
    m_explorer = {{.generation = m_explorer.generation + 1}};
}

PrometheusHistory *DashboardHistory::source() const
{
    return m_source;
}

bool DashboardHistory::isReady() const
{
    return m_source && m_source->isReady();
}

void DashboardHistory::ask(const PanelQuery::Window &window, qint64 storeOldestMs, const QStringList &instances,
    const QString &explorerMetric, bool explorerRate)
{
    if (!isReady())
        return;
    askPanels(window, storeOldestMs, instances);
    askExplorer(window, instances, explorerMetric, explorerRate);
}

void DashboardHistory::askPanels(const PanelQuery::Window &window, qint64 storeOldestMs, const QStringList &instances)
{
    const qint64 until = storeOldestMs > 0 ? std::min<qint64>(window.toMs, storeOldestMs) : window.toMs;
    if (window.fromMs >= until - window.gapMs()) {
        // The store holds the whole window.
        m_panels = {{.generation = m_panels.generation + 1}};
        return;
    }
    const PanelQuery::Window w = PrometheusHistory::remoteWindow(window, until);
    const QString key
        = QStringLiteral("%1 %2 %3 %4").arg(w.fromMs).arg(w.toMs).arg(w.stepMs()).arg(instances.join(QLatin1Char(',')));
    if (key == m_panels.key)
        return;
    const int generation = ++m_panels.generation;
    m_panels.key = key;
    const QPointer<DashboardHistory> self(this);
    const qint64 step = w.stepMs();
    m_source->readPanels(window, until, instances,
        [self, generation, until, step](const Result<std::vector<std::vector<PanelQuery::Line>>> &r) {
            if (!self || generation != self->m_panels.generation)
                return;
            self->m_panels.untilMs = until;
            self->m_panels.stepMs = step;
            self->m_panels.error = r ? QString() : r.error().describe();
            if (!r)
                self->m_panels.key.clear(); // asked again at the next refresh
            self->m_panels.panels = r ? r.value() : std::vector<std::vector<PanelQuery::Line>> {};
            ++self->m_answers;
            emit self->answered();
        });
}

void DashboardHistory::askExplorer(
    const PanelQuery::Window &window, const QStringList &instances, const QString &metric, bool rate)
{
    if (metric.isEmpty()) {
        m_explorer = {{.generation = m_explorer.generation + 1}};
        return;
    }
    const PanelQuery::Window w = PrometheusHistory::remoteWindow(window);
    const QString key = QStringLiteral("%1 %2 %3 %4 %5 %6")
                            .arg(metric)
                            .arg(rate)
                            .arg(w.fromMs)
                            .arg(w.toMs)
                            .arg(w.stepMs())
                            .arg(instances.join(QLatin1Char(',')));
    if (key == m_explorer.key)
        return;
    const int generation = ++m_explorer.generation;
    m_explorer.key = key;
    const QPointer<DashboardHistory> self(this);
    m_source->readMetric(
        metric, rate, window, instances, [self, generation](const Result<std::vector<PanelQuery::Line>> &r) {
            if (!self || generation != self->m_explorer.generation)
                return;
            self->m_explorer.lines = r ? r.value() : std::vector<PanelQuery::Line> {};
            self->m_explorer.error = r ? QString() : r.error().describe();
            if (!r)
                self->m_explorer.key.clear();
            ++self->m_answers;
            emit self->answered();
        });
}

std::vector<PanelQuery::Line> DashboardHistory::joined(size_t panel, const std::vector<PanelQuery::Line> &local) const
{
    if (!coversPanels() || panel >= m_panels.panels.size())
        return local;
    std::vector<PanelQuery::Line> out = local;
    for (const PanelQuery::Line &r : m_panels.panels[panel]) {
        auto same = std::find_if(out.begin(), out.end(),
            [&](const PanelQuery::Line &l) { return l.instance == r.instance && l.legend == r.legend; });
        // Up to where the store's own line begins, so the two never overlap.
        const qint64 cut = same != out.end() && !same->points.empty()
            ? std::min<qint64>(m_panels.untilMs, same->points.front().timestampMs)
            : m_panels.untilMs;
        std::vector<SeriesPoint> before;
        for (const SeriesPoint &p : r.points) {
            if (p.timestampMs < cut)
                before.push_back(p);
        }
        if (same == out.end()) {
            out.push_back({r.instance, r.legend, std::move(before)});
            continue;
        }
        // Where neither source has a value between the two, the line breaks.
        if (!before.empty() && !same->points.empty()
            && same->points.front().timestampMs - before.back().timestampMs > m_panels.stepMs + m_panels.stepMs / 2)
            before.push_back({before.back().timestampMs + m_panels.stepMs, std::numeric_limits<double>::quiet_NaN()});
        same->points.insert(same->points.begin(), before.begin(), before.end());
    }
    return out;
}

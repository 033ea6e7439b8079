// The metrics dashboard with 6 h of data at 1 s for three members (a recorded real stream,
// bench/record_stream.sh, replayed end to end until it covers 6 h): the queries of every
// panel over 6 h, the repaint of every panel, and one panel's live update (its 5-minute
// queries plus its repaint).
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUORUMDECK_BENCHMARKS=ON -DQUORUMDECK_TESTS=OFF
//   cmake --build build-bench
//   bench/record_stream.sh build-bench/app/quorumdeck build-bench/stream.txt 10
//   QT_QPA_PLATFORM=offscreen QUORUMDECK_STREAM=build-bench/stream.txt build-bench/bench/bench_dashboard

#include "RecordedStream.h"
#include "dashboard/EtcdDashboard.h"
#include "dashboard/PanelQuery.h"
#include "metrics/DashboardPanel.h"
#include "metrics/MetricsDashboard.h"
#include "scrape/ScrapeIngest.h"
#include "tsdb/SharedSeriesStore.h"
#include "widgets/TimeSeriesChart.h"

#include <QApplication>
#include <QEventLoop>
#include <QImage>
#include <QPainter>
#include <benchmark/benchmark.h>

namespace {

constexpr int64_t kSixHoursMs = 6 * 3600 * 1000;
int64_t g_end = 0;
std::shared_ptr<SharedSeriesStore> g_store;
MetricsDashboard *g_dashboard = nullptr;

/// The recorded stream again and again, each pass later by the stream's length.
void fill()
{
    const std::vector<RecordedScrape> scrapes = loadRecordedStream();
    int64_t first = scrapes.front().timestampMs;
    int64_t last = first;
    for (const RecordedScrape &s : scrapes) {
        first = std::min(first, s.timestampMs);
        last = std::max(last, s.timestampMs);
    }
    const int64_t length = last - first + 1000;
    g_store = std::make_shared<SharedSeriesStore>(SeriesStore::kDefaultRetentionMs);
    PromText::ParseResult parsed;
    int64_t offset = 0;
    g_store->write([&](SeriesStore &store) {
        while (offset < kSixHoursMs) {
            for (const RecordedScrape &s : scrapes) {
                PromText::parse(s.payload, parsed);
                ScrapeIngest::append(store, s.instance, s.timestampMs + offset, parsed);
            }
            offset += length;
        }
        std::fprintf(stderr, "store: %zu series, %zu samples, %.1f MiB\n", store.seriesCount(), store.sampleCount(),
            double(store.memoryBytes()) / 1048576.0);
        return 0;
    });
    g_end = last + offset - length;
}

/// Every panel's queries over 6 h at the dashboard's width (what one refresh computes).
void BM_EvaluateAllPanels6h(benchmark::State &state)
{
    const int columns = g_dashboard->panels().front()->chart()->plotRect().width();
    for (auto _ : state) {
        g_store->read([&](const SeriesStore &store) {
            for (const EtcdDashboard::Panel &panel : EtcdDashboard::panels()) {
                for (const PanelQuery::Expr &expr : panel.exprs)
                    benchmark::DoNotOptimize(
                        PanelQuery::evaluate(store, expr, {g_end - kSixHoursMs, g_end, columns, 1000}));
            }
            return 0;
        });
    }
    state.counters["columns"] = columns;
}

/// Painting every panel of the dashboard, 6 h of data on screen.
void BM_RepaintWholeDashboard6h(benchmark::State &state)
{
    QImage image(g_dashboard->panels().front()->size(), QImage::Format_ARGB32_Premultiplied);
    for (auto _ : state) {
        for (DashboardPanel *panel : g_dashboard->panels()) {
            QPainter painter(&image);
            panel->render(&painter);
        }
    }
    size_t points = 0;
    for (DashboardPanel *panel : g_dashboard->panels()) {
        for (const ChartLine &line : panel->chart()->lines())
            points += size_t(line.points.size());
    }
    state.counters["panels"] = double(g_dashboard->panels().size());
    state.counters["points_drawn"] = double(points);
}

/// One panel's live update: its queries over the last 5 minutes, then its repaint.
void BM_LivePanelUpdate(benchmark::State &state)
{
    const auto &specs = EtcdDashboard::panels();
    const size_t which = size_t(state.range(0));
    DashboardPanel *panel = g_dashboard->panels()[qsizetype(which)];
    QImage image(panel->size(), QImage::Format_ARGB32_Premultiplied);
    const int columns = panel->chart()->plotRect().width();
    for (auto _ : state) {
        std::vector<PanelQuery::Line> lines;
        g_store->read([&](const SeriesStore &store) {
            for (const PanelQuery::Expr &expr : specs[which].exprs) {
                for (auto &l : PanelQuery::evaluate(store, expr, {g_end - 300'000, g_end, columns, 1000}))
                    lines.push_back(std::move(l));
            }
            return 0;
        });
        QVector<ChartLine> chartLines;
        for (const PanelQuery::Line &l : lines) {
            ChartLine c;
            c.label = QString::fromStdString(l.instance);
            c.color = Qt::darkBlue;
            for (const SeriesPoint &p : l.points)
                c.points.append(QPointF(double(p.timestampMs), p.value));
            chartLines.append(std::move(c));
        }
        panel->chart()->setTimeRange(g_end - 300'000, g_end);
        panel->chart()->setLines(std::move(chartLines));
        QPainter painter(&image);
        panel->render(&painter);
    }
    state.SetLabel(specs[which].id);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    fill();
    MetricsDashboard dashboard;
    dashboard.resize(1600, 1000); // two panels a row, each about 780 px wide
    dashboard.show();
    dashboard.setStore(g_store);
    dashboard.setCustomRange(g_end - kSixHoursMs, g_end);
    QEventLoop loop;
    QObject::connect(&dashboard, &MetricsDashboard::refreshed, &loop, &QEventLoop::quit);
    loop.exec(); // until the first frame is on screen
    g_dashboard = &dashboard;

    benchmark::RegisterBenchmark("BM_EvaluateAllPanels6h", BM_EvaluateAllPanels6h)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_RepaintWholeDashboard6h", BM_RepaintWholeDashboard6h)
        ->Unit(benchmark::kMillisecond);
    auto *live = benchmark::RegisterBenchmark("BM_LivePanelUpdate", BM_LivePanelUpdate)->Unit(benchmark::kMillisecond);
    for (size_t i = 0; i < EtcdDashboard::panels().size(); ++i)
        live->Arg(int64_t(i));
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

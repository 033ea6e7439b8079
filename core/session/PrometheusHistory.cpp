#include "session/PrometheusHistory.h"

#include "dashboard/EtcdDashboard.h"
#include "dashboard/PanelPromQL.h"
#include "promapi/ApiEndpoint.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace {

std::string utf8(const QString &s)
{
    return s.toStdString();
}

/// What several queries in flight share until the last answers.
struct Gather {
    std::vector<std::vector<PanelQuery::Line>> parts;
    size_t waiting = 0;
    std::optional<Error> error;
};

} // namespace

PrometheusHistory::PrometheusHistory(const QString &url, const QString &bearerTokenFile, const TlsSettings &tls,
    const QString &clusterLabel, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_cluster(clusterLabel)
{
    // The token and TLS files are disk: read on the pool.
    auto *watcher = new QFutureWatcher<Result<ApiEndpoint>>(this);
    connect(watcher, &QFutureWatcher<Result<ApiEndpoint>>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Result<ApiEndpoint> endpoint = watcher->result();
        if (endpoint)
            m_api = new PrometheusApi(endpoint.value(), this);
        else
            m_error = endpoint.error().describe();
        emit configured();
    });
    watcher->setFuture(QtConcurrent::run([url, bearerTokenFile, tls] {
        return ApiEndpoint::configure(QStringLiteral("the profile's Prometheus"), url, bearerTokenFile, tls);
    }));
}

QString PrometheusHistory::selector(const QStringList &instances) const
{
    std::string out;
    if (!instances.isEmpty()) {
        std::vector<std::string> list;
        for (const QString &i : instances)
            list.push_back(utf8(i));
        out = PanelPromQL::instanceMatcher(list);
    }
    if (!m_cluster.isEmpty())
        out += (out.empty() ? "" : ", ") + std::string("cluster=\"") + PanelPromQL::quoted(utf8(m_cluster)) + '"';
    return QString::fromStdString(out);
}

PanelQuery::Window PrometheusHistory::remoteWindow(PanelQuery::Window window, qint64 untilMs)
{
    window.intervalMs = kIntervalMs;
    const int64_t step = window.stepMs();
    window.fromMs = window.fromMs / step * step;
    // Keep the step of the whole window while ending early: an even number of steps, one
    // column for each two, gives stepMs() back exactly.
    const int64_t end = (untilMs > 0 ? std::min<int64_t>(untilMs, window.toMs) : window.toMs) / step * step;
    int64_t steps = std::max<int64_t>((end - window.fromMs) / step, 2);
    if (steps % 2 != 0) {
        window.fromMs -= step;
        ++steps;
    }
    window.toMs = window.fromMs + steps * step;
    window.columns = int(steps / 2);
    return window;
}

std::vector<PanelQuery::Line> PrometheusHistory::lines(
    const QList<PromSeries> &series, const std::string &legend, qint64 stepMs)
{
    std::vector<PanelQuery::Line> out;
    for (const PromSeries &s : series) {
        PanelQuery::Line line;
        line.instance = utf8(s.metric.value(QStringLiteral("instance")));
        line.legend = legend;
        line.points.reserve(size_t(s.points.size()) + 4);
        qint64 previous = std::numeric_limits<qint64>::min();
        for (const auto &[ms, value] : s.points) {
            // The server leaves out the steps where the series had no value: a gap.
            if (previous != std::numeric_limits<qint64>::min() && ms - previous > stepMs + stepMs / 2)
                line.points.push_back({previous + stepMs, std::numeric_limits<double>::quiet_NaN()});
            line.points.push_back({ms, value});
            previous = ms;
        }
        out.push_back(std::move(line));
    }
    std::sort(out.begin(), out.end(), [](const PanelQuery::Line &a, const PanelQuery::Line &b) {
        return std::tie(a.instance, a.legend) < std::tie(b.instance, b.legend);
    });
    return out;
}

void PrometheusHistory::readExprs(const std::vector<PanelQuery::Expr> &exprs, const PanelQuery::Window &window,
    const QString &selector, LinesCallback done)
{
    if (!m_api) {
        done(Error::unavailable(
            m_error.isEmpty() ? QStringLiteral("Prometheus at %1 is not ready yet").arg(m_url) : m_error));
        return;
    }
    if (selector.isEmpty()) {
        done(Error::unavailable(QStringLiteral("no member is known yet to ask Prometheus about")));
        return;
    }
    if (exprs.empty()) {
        done(std::vector<PanelQuery::Line> {});
        return;
    }
    const PanelQuery::Window &w = window;
    const qint64 step = w.stepMs();
    auto gather = std::make_shared<Gather>();
    gather->parts.resize(exprs.size());
    gather->waiting = exprs.size();
    auto shared = std::make_shared<LinesCallback>(std::move(done));
    for (size_t i = 0; i < exprs.size(); ++i) {
        const QString promql = QString::fromStdString(PanelPromQL::text(exprs[i], w, utf8(selector)));
        const std::string legend = exprs[i].legend;
        m_api->queryRange(
            promql, w.fromMs, w.toMs, step, [gather, shared, i, legend, step](const Result<QJsonObject> &r) {
                if (r)
                    gather->parts[i] = lines(PromSeries::matrix(r.value()), legend, step);
                else if (!gather->error)
                    gather->error = r.error();
                if (--gather->waiting > 0)
                    return;
                if (gather->error) {
                    (*shared)(*gather->error);
                    return;
                }
                std::vector<PanelQuery::Line> all;
                for (auto &part : gather->parts)
                    std::move(part.begin(), part.end(), std::back_inserter(all));
                std::stable_sort(all.begin(), all.end(),
                    [](const PanelQuery::Line &a, const PanelQuery::Line &b) { return a.instance < b.instance; });
                (*shared)(std::move(all));
            });
    }
}

void PrometheusHistory::readPanels(
    const PanelQuery::Window &window, qint64 untilMs, const QStringList &instances, PanelsCallback done)
{
    const PanelQuery::Window w = remoteWindow(window, untilMs);
    const auto &panels = EtcdDashboard::panels();
    auto gather = std::make_shared<Gather>();
    gather->parts.resize(panels.size());
    gather->waiting = panels.size();
    auto shared = std::make_shared<PanelsCallback>(std::move(done));
    const QString sel = selector(instances);
    for (size_t i = 0; i < panels.size(); ++i) {
        readExprs(panels[i].exprs, w, sel, [gather, shared, i](const Result<std::vector<PanelQuery::Line>> &r) {
            if (r)
                gather->parts[i] = r.value();
            else if (!gather->error)
                gather->error = r.error();
            if (--gather->waiting > 0)
                return;
            if (gather->error)
                (*shared)(*gather->error);
            else
                (*shared)(std::move(gather->parts));
        });
    }
}

void PrometheusHistory::readMetric(const QString &metric, bool rate, const PanelQuery::Window &window,
    const QStringList &instances, LinesCallback done)
{
    PanelQuery::Expr expr;
    expr.kind = rate ? PanelQuery::Expr::Kind::Rate : PanelQuery::Expr::Kind::Gauge;
    expr.metric = utf8(metric);
    readExprs({expr}, remoteWindow(window), selector(instances), std::move(done));
}

void PrometheusHistory::metricNames(const QStringList &instances, std::function<void(const Result<QStringList> &)> done)
{
    const QString sel = selector(instances);
    if (!m_api || sel.isEmpty()) {
        done(Error::unavailable(!m_error.isEmpty() ? m_error
                : m_api                            ? QStringLiteral("no member is known yet to ask Prometheus about")
                                                   : QStringLiteral("Prometheus at %1 is not ready yet").arg(m_url)));
        return;
    }
    m_api->metricNames(QLatin1Char('{') + sel + QLatin1Char('}'), std::move(done));
}

#pragma once

#include "common/Result.h"
#include "common/TlsSettings.h"
#include "dashboard/PanelQuery.h"
#include "promapi/PrometheusApi.h"

#include <QObject>
#include <QPointer>
#include <functional>
#include <vector>

/// The dashboard's panels, and any series the explorer names, read from a server with
/// Prometheus' HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics) for windows the
/// console's own store does not hold: days back, or the time before the window connected.
/// Series are this cluster's: those of its members' instances, and of its cluster label
/// when the profile names one. Lines come back as the console's own queries shape them
/// (one per instance, NaN where the server had no value).
class PrometheusHistory : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PrometheusHistory)

public:
    /// The scrape interval Prometheus is assumed to use (its default): rates span four.
    static constexpr qint64 kIntervalMs = 15000;

    /// Reads the token and TLS files on the thread pool; until they are read, isReady()
    /// is false and reads fail with a sentence.
    PrometheusHistory(const QString &url, const QString &bearerTokenFile, const TlsSettings &tls,
        const QString &clusterLabel, QObject *parent = nullptr);

    QString url() const { return m_url; }
    bool isReady() const { return m_api; }
    /// Why the server cannot be asked ("" while it can, or while its files are being read).
    QString error() const { return m_error; }

    /// The series selector for these instances: `instance=~"…"` and `cluster="…"`, or ""
    /// when neither is known (then nothing is read: it would be every etcd the server has).
    QString selector(const QStringList &instances) const;

    /// Every dashboard panel (EtcdDashboard::panels(), in order) over the window up to
    /// untilMs (the part the console's store lacks; the window's end when 0), at the steps
    /// of the whole window; or the first error.
    using PanelsCallback = std::function<void(const Result<std::vector<std::vector<PanelQuery::Line>>> &)>;
    void readPanels(
        const PanelQuery::Window &window, qint64 untilMs, const QStringList &instances, PanelsCallback done);
    /// One metric summed by instance, or its per-second rate.
    using LinesCallback = std::function<void(const Result<std::vector<PanelQuery::Line>> &)>;
    void readMetric(const QString &metric, bool rate, const PanelQuery::Window &window, const QStringList &instances,
        LinesCallback done);
    /// The names of this cluster's metrics, for the explorer's search.
    void metricNames(const QStringList &instances, std::function<void(const Result<QStringList> &)> done);

    /// A window read from the server: its own scrape interval, the step no finer than it,
    /// both ends on the step's grid (so a sliding window's points stay put) and the end no
    /// later than untilMs when that is given.
    static PanelQuery::Window remoteWindow(PanelQuery::Window window, qint64 untilMs = 0);
    /// A range answer as lines: by instance, with a NaN where a step has no value.
    static std::vector<PanelQuery::Line> lines(
        const QList<PromSeries> &series, const std::string &legend, qint64 stepMs);

signals:
    /// The files were read: isReady() or error() says how it went.
    void configured();

private:
    /// `window` as remoteWindow() made it.
    void readExprs(const std::vector<PanelQuery::Expr> &exprs, const PanelQuery::Window &window,
        const QString &selector, LinesCallback done);

    QString m_url;
    QString m_cluster;
    QPointer<PrometheusApi> m_api;
    QString m_error;
};

#pragma once

#include "common/TlsSettings.h"
#include "scrape/ScrapeTarget.h"
#include "tsdb/SharedSeriesStore.h"

#include <QList>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>

class ScrapeWorker;

/// Scrapes every target on its own interval, parses each payload and keeps every series
/// in a SeriesStore, all on a worker thread of its own, so the owner's thread (the GUI's)
/// never waits on the network. Records, per target and as Prometheus does, the series up,
/// scrape_duration_seconds, scrape_samples_scraped and scrape_response_size_bytes; a
/// failed scrape stores up = 0 and nothing else, so it shows as a gap, never a zero.
///
/// Readers take the store under a shared lock through read(); writes hold it only while
/// one scrape is appended. Work that may outlive the collector (a query on a thread pool)
/// holds the store itself through store().
class MetricsCollector : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsCollector)

public:
    explicit MetricsCollector(int64_t retentionMs = SeriesStore::kDefaultRetentionMs, QObject *parent = nullptr);
    ~MetricsCollector() override;

    /// Replaces the targets; new ones are scraped at once.
    void setTargets(const QList<ScrapeTarget> &targets);
    /// The connection's TLS files, for https targets (the members' own /metrics when the
    /// cluster speaks TLS). The files are read on the collector's thread.
    void setTls(const TlsSettings &tls);

    /// Runs f with the store, under the shared lock. Keep f short.
    template <typename F> auto read(F &&f) const { return m_store->read(std::forward<F>(f)); }
    std::shared_ptr<const SharedSeriesStore> store() const { return m_store; }

signals:
    void scraped(const ScrapeHealth &health);

private:
    std::shared_ptr<SharedSeriesStore> m_store;
    QThread m_thread;
    ScrapeWorker *m_worker;
};

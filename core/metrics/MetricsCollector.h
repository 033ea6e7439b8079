#pragma once

#include "metrics/ScrapeTarget.h"
#include "metrics/SeriesStore.h"

#include <QList>
#include <QObject>
#include <QReadWriteLock>
#include <QThread>
#include <functional>

class ScrapeWorker;

/// Scrapes every target on its own interval, parses each payload and keeps every series
/// in a SeriesStore, all on a worker thread of its own, so the owner's thread (the GUI's)
/// never waits on the network. Records, per target and as Prometheus does, the series up,
/// scrape_duration_seconds, scrape_samples_scraped and scrape_response_size_bytes; a
/// failed scrape stores up = 0 and nothing else, so it shows as a gap, never a zero.
///
/// Readers take the store under a shared lock through read(); writes hold it only while
/// one scrape is appended.
class MetricsCollector : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsCollector)

public:
    explicit MetricsCollector(int64_t retentionMs = SeriesStore::kDefaultRetentionMs, QObject *parent = nullptr);
    ~MetricsCollector() override;

    /// Replaces the targets; new ones are scraped at once.
    void setTargets(const QList<ScrapeTarget> &targets);

    /// Runs f with the store, under the shared lock. Keep f short.
    template <typename F> auto read(F &&f) const
    {
        QReadLocker lock(&m_lock);
        return f(static_cast<const SeriesStore &>(m_store));
    }

signals:
    void scraped(const ScrapeHealth &health);

private:
    mutable QReadWriteLock m_lock;
    SeriesStore m_store;
    QThread m_thread;
    ScrapeWorker *m_worker;
};

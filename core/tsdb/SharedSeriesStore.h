#pragma once

#include "tsdb/SeriesStore.h"

#include <QReadWriteLock>

/// A SeriesStore with its lock, held through a shared_ptr by whoever reads or writes it:
/// the scraper's thread, the collector, and dashboard evaluations running on a thread
/// pool. Whoever is last releases it, so a query still running when its window closes
/// never reads freed memory.
class SharedSeriesStore {
public:
    explicit SharedSeriesStore(int64_t retentionMs)
        : m_store(retentionMs)
    {
    }

    /// Runs f with the store under the shared lock. Keep f short: appends wait meanwhile.
    template <typename F> auto read(F &&f) const
    {
        QReadLocker lock(&m_lock);
        return f(static_cast<const SeriesStore &>(m_store));
    }

    template <typename F> auto write(F &&f)
    {
        QWriteLocker lock(&m_lock);
        return f(m_store);
    }

private:
    mutable QReadWriteLock m_lock;
    SeriesStore m_store;
};

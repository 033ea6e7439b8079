#pragma once

#include "common/TlsSettings.h"
#include "scrape/PromText.h"
#include "scrape/ScrapeTarget.h"

#include <QHash>
#include <QObject>
#include <QSslConfiguration>
#include <memory>

class MetricsFetcher;
class QTimer;
class SharedSeriesStore;

/// The MetricsCollector's worker: lives on the collector's thread, runs one timer per
/// target, fetches, parses and appends. Internal to core/metrics.
class ScrapeWorker : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScrapeWorker)

public:
    explicit ScrapeWorker(std::shared_ptr<SharedSeriesStore> store);

    /// Loads the connection's TLS files for https targets (on this thread: it reads files).
    void setTls(const TlsSettings &tls);

public slots:
    void setTargets(const QList<ScrapeTarget> &targets);
    void stop();

signals:
    void scraped(const ScrapeHealth &health);

private:
    void scrape(const QString &instance);
    void record(const ScrapeTarget &target, const ScrapeHealth &health, const QByteArray &payload);

    std::shared_ptr<SharedSeriesStore> m_store;
    MetricsFetcher *m_fetcher = nullptr;
    QHash<QString, ScrapeTarget> m_targets;
    QHash<QString, QTimer *> m_timers;
    QHash<QString, bool> m_inFlight;
    PromText::ParseResult m_parsed; // reused scrape after scrape
    const PromText::ParseResult m_noSamples; // what a failed scrape stores
    QSslConfiguration m_tls = QSslConfiguration::defaultConfiguration();
    QString m_tlsServerName;
    QString m_tlsError; ///< why https targets cannot be scraped, e.g. an unreadable key
};

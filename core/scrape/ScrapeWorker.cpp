#include "scrape/ScrapeWorker.h"
#include "scrape/ScrapeIngest.h"

#include "scrape/MetricsFetcher.h"
#include "tls/HttpTls.h"
#include "tsdb/SharedSeriesStore.h"

#include <QDateTime>
#include <QTimer>

ScrapeWorker::ScrapeWorker(std::shared_ptr<SharedSeriesStore> store)
    : m_store(std::move(store))
{
}

void ScrapeWorker::setTargets(const QList<ScrapeTarget> &targets)
{
    if (!m_fetcher)
        m_fetcher = new MetricsFetcher(this); // created on this thread
    QHash<QString, ScrapeTarget> next;
    for (const ScrapeTarget &t : targets)
        next.insert(t.instance, t);
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (!next.contains(it.key()) || next.value(it.key()) != m_targets.value(it.key())) {
            it.value()->deleteLater();
            it = m_timers.erase(it);
        } else {
            ++it;
        }
    }
    m_targets = next;
    for (const ScrapeTarget &t : std::as_const(m_targets)) {
        if (m_timers.contains(t.instance))
            continue;
        auto *timer = new QTimer(this);
        timer->setInterval(std::max(100, t.intervalMs));
        const QString instance = t.instance;
        connect(timer, &QTimer::timeout, this, [this, instance] { scrape(instance); });
        m_timers.insert(instance, timer);
        timer->start();
        scrape(instance);
    }
}

void ScrapeWorker::setTls(const TlsSettings &tls)
{
    const Result<QSslConfiguration> configured = HttpTls::configuration(tls);
    m_tls = configured.valueOr(QSslConfiguration());
    m_tlsError = configured.problem();
    m_tlsServerName = tls.serverName;
}

void ScrapeWorker::stop()
{
    for (QTimer *t : std::as_const(m_timers))
        t->stop();
}

void ScrapeWorker::scrape(const QString &instance)
{
    if (!m_targets.contains(instance) || m_inFlight.value(instance))
        return; // a slow target is never asked twice at once
    const ScrapeTarget target = m_targets.value(instance);
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    if (target.url.scheme() == QLatin1String("https") && !m_tlsError.isEmpty()) {
        ScrapeHealth h;
        h.instance = target.instance;
        h.timeMs = started;
        h.error = m_tlsError;
        record(target, h, QByteArray());
        return;
    }
    m_inFlight[instance] = true;
    m_fetcher->fetch(target.url, std::min(target.timeoutMs, target.intervalMs), m_tls, m_tlsServerName,
        [this, target, started](const MetricsFetcher::Answer &r) {
            m_inFlight[target.instance] = false;
            ScrapeHealth h;
            h.instance = target.instance;
            h.timeMs = started;
            h.durationMs = r.durationMs;
            h.up = r.body && r.httpStatus == 200;
            h.error = !r.body         ? r.body.problem()
                : r.httpStatus != 200 ? QStringLiteral("HTTP %1").arg(r.httpStatus)
                                      : QString();
            h.bytes = r.body ? r.body.value().size() : 0;
            record(target, h, h.up ? r.body.value() : QByteArray());
        });
}

void ScrapeWorker::record(const ScrapeTarget &target, const ScrapeHealth &health, const QByteArray &payload)
{
    ScrapeHealth h = health;
    const std::string instance = target.instance.toStdString();
    if (h.up) {
        PromText::parse(std::string_view(payload.constData(), size_t(payload.size())), m_parsed);
        if (!m_parsed.errors.empty()) {
            const PromText::ParseError &e = m_parsed.errors.front();
            h.error = QStringLiteral("line %1, column %2: %3")
                          .arg(e.line)
                          .arg(e.column)
                          .arg(QString::fromStdString(e.message));
        }
    }
    m_store->write([&](SeriesStore &store) {
        const SeriesLabels labels {{"instance", instance}};
        store.append("up", labels, h.timeMs, h.up ? 1 : 0);
        if (h.up) {
            h.samples = ScrapeIngest::append(store, instance, h.timeMs, m_parsed);
            store.append("scrape_duration_seconds", labels, h.timeMs, h.durationMs / 1000.0);
            store.append("scrape_samples_scraped", labels, h.timeMs, h.samples);
            store.append("scrape_response_size_bytes", labels, h.timeMs, double(h.bytes));
        } else {
            // A failed scrape is a scrape without series: each of the target's series is
            // absent from here on, as Prometheus' staleness markers make them. Without it a
            // member stopped while it had no leader kept etcd_server_has_leader 0 for the
            // five minutes of lookback, and etcdNoLeader fired for a member that was gone.
            ScrapeIngest::append(store, instance, h.timeMs, m_noSamples);
        }
        store.expire(h.timeMs);
    });
    emit scraped(h);
}

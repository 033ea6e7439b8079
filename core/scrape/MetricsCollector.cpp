#include "scrape/MetricsCollector.h"

#include "scrape/ScrapeWorker.h"

MetricsCollector::MetricsCollector(int64_t retentionMs, QObject *parent)
    : QObject(parent)
    , m_store(std::make_shared<SharedSeriesStore>(retentionMs))
    , m_worker(new ScrapeWorker(m_store))
{
    qRegisterMetaType<ScrapeTarget>();
    qRegisterMetaType<QList<ScrapeTarget>>();
    qRegisterMetaType<ScrapeHealth>();
    m_thread.setObjectName(QStringLiteral("metrics"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ScrapeWorker::scraped, this, &MetricsCollector::scraped);
    m_thread.start();
}

MetricsCollector::~MetricsCollector()
{
    QMetaObject::invokeMethod(m_worker, "stop", Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void MetricsCollector::setTargets(const QList<ScrapeTarget> &targets)
{
    QMetaObject::invokeMethod(m_worker, "setTargets", Qt::QueuedConnection, Q_ARG(QList<ScrapeTarget>, targets));
}

void MetricsCollector::setTls(const TlsSettings &tls)
{
    ScrapeWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, tls] { worker->setTls(tls); }, Qt::QueuedConnection);
}

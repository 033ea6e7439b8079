#include "session/AlertWatcher.h"

#include "tsdb/SharedSeriesStore.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QtConcurrent>

struct AlertWatcher::Outcome {
    std::vector<Alert> changes;
    std::vector<Alert> active;
    std::vector<std::string> errors;
};

AlertWatcher::AlertWatcher(
    std::shared_ptr<const SharedSeriesStore> store, std::vector<AlertRule> rules, QObject *parent)
    : AlertWatcher(StoreSource([store = std::move(store)] { return store; }), std::move(rules), parent)
{
}

AlertWatcher::AlertWatcher(StoreSource source, std::vector<AlertRule> rules, QObject *parent)
    : QObject(parent)
    , m_source(std::move(source))
    , m_engine(std::make_shared<AlertEngine>(std::move(rules)))
{
    qRegisterMetaType<Alert>();
    m_ruleCount = int(m_engine->rules().size());
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &AlertWatcher::evaluateNow);
}

AlertWatcher::~AlertWatcher() = default;

void AlertWatcher::setIntervalMs(int ms)
{
    m_timer.setInterval(std::max(100, ms));
}

void AlertWatcher::setRules(std::vector<AlertRule> rules)
{
    // A running evaluation keeps the engine it holds; its outcome is the old rules' last.
    m_ruleCount = int(rules.size());
    m_engine = std::make_shared<AlertEngine>(std::move(rules));
    m_active.clear();
    m_errors.clear();
}

void AlertWatcher::start()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void AlertWatcher::stop()
{
    m_timer.stop();
}

void AlertWatcher::evaluateNow()
{
    if (m_running)
        return;
    m_running = true;
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        m_running = false;
        Outcome o = watcher->result();
        m_active = std::move(o.active);
        m_errors = std::move(o.errors);
        ++m_evaluations;
        if (!o.changes.empty())
            emit changed(QList<Alert>(o.changes.begin(), o.changes.end()));
        emit evaluated();
    });
    // The task holds the store and the engine itself: it may finish after this object is
    // gone, and then its outcome is dropped with the watcher.
    watcher->setFuture(QtConcurrent::run([store = m_source(), engine = m_engine] {
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        Outcome o;
        o.changes = store->read([&](const SeriesStore &s) { return engine->evaluate(s, now); });
        o.active = engine->active();
        o.errors = engine->errors();
        return o;
    }));
}

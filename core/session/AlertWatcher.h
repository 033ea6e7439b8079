#pragma once

#include "alerts/AlertEngine.h"

#include <QList>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

class SharedSeriesStore;

/// The alert rules run over a collector's store on a timer, each evaluation on a thread
/// pool so that its owner's thread (the window's) never waits for it, and never two at
/// once. Changes of phase come out as signals on the owner's thread.
class AlertWatcher : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertWatcher)

public:
    /// Prometheus evaluates every 15 s to a minute; the console every 5 s at most apart.
    static constexpr int kDefaultIntervalMs = 5000;

    /// The store to evaluate over, asked for on the owner's thread at each evaluation.
    using StoreSource = std::function<std::shared_ptr<const SharedSeriesStore>()>;

    AlertWatcher(
        std::shared_ptr<const SharedSeriesStore> store, std::vector<AlertRule> rules, QObject *parent = nullptr);
    AlertWatcher(StoreSource source, std::vector<AlertRule> rules, QObject *parent = nullptr);
    ~AlertWatcher() override;

    void setIntervalMs(int ms);
    /// Replaces the rules; alerts start over (the next evaluation finds them pending again).
    void setRules(std::vector<AlertRule> rules);
    int intervalMs() const { return m_timer.interval(); }
    /// Starts the timer (a running one is left as it is).
    void start();
    void stop();
    bool isStarted() const { return m_timer.isActive(); }
    /// Evaluates at once (unless an evaluation is running).
    void evaluateNow();

    /// Pending and firing alerts after the last evaluation.
    const std::vector<Alert> &active() const { return m_active; }
    /// The rules' errors after the last evaluation ("etcdNoLeader: ...").
    const std::vector<std::string> &errors() const { return m_errors; }
    int evaluations() const { return m_evaluations; }
    int engineRuleCount() const { return m_ruleCount; }

signals:
    /// Alerts whose phase changed, in rule order, at one evaluation.
    void changed(const QList<Alert> &alerts);
    void evaluated();

private:
    struct Outcome;

    StoreSource m_source;
    std::shared_ptr<AlertEngine> m_engine; ///< touched only by the running evaluation
    QTimer m_timer;
    bool m_running = false;
    int m_evaluations = 0;
    int m_ruleCount = 0;
    std::vector<Alert> m_active;
    std::vector<std::string> m_errors;
};

Q_DECLARE_METATYPE(Alert)

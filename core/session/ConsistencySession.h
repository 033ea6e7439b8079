#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/ConsistencyReport.h"

#include <QObject>
#include <QTimer>
#include <optional>

class ConsistencyCheck;
class EtcdClient;

/// The window's consistency checks: one as soon as the cluster has a leader, then every ten
/// minutes, and whenever the operator (or a CORRUPT alarm's Disarm) asks. A check hashes each
/// member's whole keyspace, so it runs on a timer an operator can reason about rather than
/// at every tick. The answers come back on the GUI thread; nothing here waits.
class ConsistencySession : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsistencySession)

public:
    static constexpr int kIntervalMs = 10 * 60 * 1000;

    explicit ConsistencySession(EtcdClient *client, QObject *parent = nullptr);
    ~ConsistencySession() override;

    void setSnapshot(const ClusterSnapshot &snapshot);
    /// Checks now, unless a check is under way (its report then answers this ask too). False
    /// when the session has stopped: no report will come.
    bool checkNow();
    void stop();
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }

    bool isChecking() const;
    const std::optional<ConsistencyReport> &last() const { return m_last; }

signals:
    void checkStarted();
    void reportReady(const ConsistencyReport &report);

private:
    ConsistencyCheck *m_check;
    QTimer m_timer;
    ClusterSnapshot m_snapshot;
    std::optional<ConsistencyReport> m_last;
    bool m_stopped = false;
};

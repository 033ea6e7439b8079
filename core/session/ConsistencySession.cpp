#include "session/ConsistencySession.h"

#include "cluster/ConsistencyCheck.h"

ConsistencySession::ConsistencySession(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_check(new ConsistencyCheck(client, this))
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ConsistencySession::checkNow);
    connect(m_check, &ConsistencyCheck::finished, this, [this](const ConsistencyReport &report) {
        m_last = report;
        emit reportReady(report);
    });
}

ConsistencySession::~ConsistencySession() = default;

void ConsistencySession::setSnapshot(const ClusterSnapshot &snapshot)
{
    m_snapshot = snapshot;
    // The first check waits for a leader: without one, the members' revisions say little.
    if (!m_stopped && !m_timer.isActive() && snapshot.hasLeader()) {
        m_timer.start();
        checkNow();
    }
}

bool ConsistencySession::checkNow()
{
    if (m_stopped)
        return false;
    if (m_check->isRunning())
        return true;
    if (!m_snapshot.anyAnswered()) {
        m_last = ConsistencyReport::undecided(QStringLiteral("no member answers, so there is nothing to compare"), {});
        emit reportReady(*m_last);
        return true;
    }
    m_check->start(m_snapshot);
    emit checkStarted();
    return true;
}

void ConsistencySession::stop()
{
    m_stopped = true;
    m_timer.stop();
}

bool ConsistencySession::isChecking() const
{
    return m_check->isRunning();
}

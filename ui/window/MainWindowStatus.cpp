// What the window says about the cluster's state outside the tabs: the title and tray
// icon (the worst alert), the dashboard's rule colours and election markers, and the
// status bar's sentence with the snapshot's age and tick.

#include "window/MainWindow.h"

#include "common/Format.h"
#include "elections/EventsModel.h"
#include "metrics/MetricsDashboard.h"
#include "session/AlertsSession.h"
#include "session/BackupSession.h"
#include "session/ConsistencySession.h"
#include "session/ConsoleSession.h"
#include "widgets/SteadyLabel.h"
#include "window/AlertTray.h"
#include "window/StatusSentence.h"

#include <QDateTime>
#include <QLabel>

void MainWindow::updateAlertState()
{
    QHash<QString, MetricsDashboard::RuleState> byRule;
    int firing = 0;
    int pending = 0;
    if (m_session) {
        const AlertsSession *alerts = m_session->alerts();
        firing = alerts->firingCount();
        pending = alerts->pendingCount();
        for (const Alert &a : alerts->active()) {
            const QString name = QString::fromStdString(a.name);
            const QString member = alerts->memberName(a);
            MetricsDashboard::RuleState &state = byRule[name];
            const auto level = a.phase == AlertPhase::Firing ? EtcdDashboard::Alert::Red : EtcdDashboard::Alert::Amber;
            if (int(level) > int(state.level))
                state.level = level;
            const QString text = tr("%1 %2%3").arg(name, a.phase == AlertPhase::Firing ? tr("firing") : tr("pending"),
                member.isEmpty() ? QString() : tr(" on %1").arg(member));
            state.text = state.text.isEmpty() ? text : state.text + QStringLiteral(", ") + text;
        }
    }
    m_dashboard->setRuleStates(byRule);
    QStringList words;
    if (firing > 0)
        words << tr("%n firing", nullptr, firing);
    if (pending > 0)
        words << tr("%n pending", nullptr, pending);
    const QString state = words.join(QStringLiteral(", "));
    setWindowTitle(state.isEmpty() ? QStringLiteral("QuorumDeck") : tr("QuorumDeck — %1").arg(state));
    m_tray->setState(m_session ? m_session->alerts()->level() : AlertsSession::Level::Clear, state);
}

void MainWindow::updateDashboardMarkers()
{
    m_dashboard->setElections(m_events->events(), m_events->names());
}

void MainWindow::updateStatusBar()
{
    if (!m_session || !m_session->snapshot().isValid()) {
        m_ageLabel->setSteadyText(QString());
        m_tickLabel->setSteadyText(QString());
        return;
    }
    const ClusterSnapshot &s = m_session->snapshot();
    // How long the leader has led: from the election that made it, when the journal or this
    // session saw one; a leader found in place gets no duration rather than a wrong one.
    const MemberState *leader = s.leader();
    const uint64_t leaderId = leader ? leader->id : 0;
    if (leaderId != m_leaderId) {
        m_leaderId = leaderId;
        m_leaderSinceMs = 0;
    }
    if (leaderId && m_leaderSinceMs == 0) {
        // The election's event may arrive a tick after the snapshot that shows its leader.
        const QList<ClusterEvent> &events = m_events->events();
        for (auto e = events.crbegin(); e != events.crend() && leaderId; ++e) {
            if (e->type == ClusterEvent::Type::LeaderChanged && e->to == leaderId) {
                m_leaderSinceMs = e->timeMs;
                break;
            }
        }
    }
    StatusSentence::Facts facts;
    facts.snapshot = s;
    facts.leaderSinceMs = m_leaderSinceMs;
    facts.consistency = m_session->consistency()->last();
    BackupSession *backups = m_session->backups();
    facts.backupsKnown = backups->isListed();
    for (const BackupEntry &b : backups->backups()) {
        if (b.manifest && (!facts.lastBackup || b.manifest->time > *facts.lastBackup))
            facts.lastBackup = b.manifest->time;
    }
    facts.nowMs = QDateTime::currentMSecsSinceEpoch();
    m_connectionLabel->setText(StatusSentence::compose(facts));
    m_ageLabel->setSteadyText(tr("snapshot %1 s ago").arg(m_sinceSnapshot.elapsed() / 1000.0, 0, 'f', 1));
    m_tickLabel->setSteadyText(tr("tick %1").arg(Format::millis(s.tickMs())));
}

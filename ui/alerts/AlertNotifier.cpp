#include "alerts/AlertNotifier.h"

#include "session/AlertsSession.h"

#include <QSettings>

namespace {

const QString kCritical = QStringLiteral("alerts/notifyCritical");
const QString kWarning = QStringLiteral("alerts/notifyWarning");
const QString kMuted = QStringLiteral("alerts/mutedUntil");

} // namespace

AlertNotifier::AlertNotifier(QObject *parent)
    : QObject(parent)
{
    // Critical alerts notify by default, warnings do not: a warning can wait for the panel.
    QSettings settings;
    m_critical = settings.value(kCritical, true).toBool();
    m_warning = settings.value(kWarning, false).toBool();
    m_mutedUntil = settings.value(kMuted).toDateTime();
}

bool AlertNotifier::notifies(AlertSeverity severity) const
{
    return severity == AlertSeverity::Critical ? m_critical : m_warning;
}

void AlertNotifier::setNotifies(AlertSeverity severity, bool on)
{
    (severity == AlertSeverity::Critical ? m_critical : m_warning) = on;
    QSettings().setValue(severity == AlertSeverity::Critical ? kCritical : kWarning, on);
    emit settingsChanged();
}

void AlertNotifier::muteUntil(const QDateTime &until)
{
    m_mutedUntil = until;
    QSettings().setValue(kMuted, until);
    emit settingsChanged();
}

bool AlertNotifier::isMuted() const
{
    return m_mutedUntil.isValid() && QDateTime::currentDateTime() < m_mutedUntil;
}

void AlertNotifier::onChanged(const QList<Alert> &alerts, const AlertsSession &session)
{
    if (isMuted())
        return;
    for (const Alert &a : alerts) {
        const bool fired = a.phase == AlertPhase::Firing;
        const bool over = a.phase == AlertPhase::Resolved && a.firedAtMs > 0;
        if ((!fired && !over) || !notifies(a.severity))
            continue;
        const QString name = QString::fromStdString(a.name);
        const QString member = session.memberName(a);
        Notice n;
        n.title = fired ? tr("%1 is firing").arg(name) : tr("%1 is resolved").arg(name);
        n.body = (member.isEmpty() ? tr("Cluster") : member) + QStringLiteral(": ")
            + QString::fromStdString(fired ? a.description : a.summary);
        n.critical = a.severity == AlertSeverity::Critical && fired;
        m_sent << n;
        emit notify(n);
    }
}

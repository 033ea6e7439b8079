#pragma once

#include "alerts/AlertEngine.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>

class AlertsSession;

/// Decides which alert changes reach the person at the desk: a desktop notification when
/// an alert fires, and when one that fired resolves — per severity, as the operator chose,
/// and never while muted. Pending alerts never notify (they may clear on their own). The
/// choices are kept in the window's settings.
class AlertNotifier : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertNotifier)

public:
    struct Notice {
        QString title; ///< "etcdNoLeader is firing"
        QString body; ///< "etcd1: Member 127.0.0.1:2379 has no leader."
        bool critical = false;
    };

    explicit AlertNotifier(QObject *parent = nullptr);

    bool notifies(AlertSeverity severity) const;
    void setNotifies(AlertSeverity severity, bool on);
    /// Muted until `until` (a past time unmutes).
    void muteUntil(const QDateTime &until);
    bool isMuted() const;
    QDateTime mutedUntil() const { return m_mutedUntil; }

    /// Takes one evaluation's changes; emits notify() for each that should reach the desk.
    void onChanged(const QList<Alert> &alerts, const AlertsSession &session);
    /// Every notice sent so far, newest last (the panel's tests read it).
    const QList<Notice> &sent() const { return m_sent; }

signals:
    void notify(const Notice &notice);
    void settingsChanged();

private:
    bool m_critical = true;
    bool m_warning = false;
    QDateTime m_mutedUntil;
    QList<Notice> m_sent;
};

#pragma once

#include "session/AlertsSession.h"

#include "alerts/AlertNotifier.h"

#include <QIcon>
#include <QObject>

class QSystemTrayIcon;

/// The tray icon: the window's icon with a dot of the worst alert state (red firing, amber
/// pending, none when clear), its tooltip in words, and the desktop notifications (the
/// freedesktop ones where the desktop has a tray). Where there is no tray nothing shows, and
/// the window's title still carries the state.
class AlertTray : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertTray)

public:
    /// The worst state, as the session tells it.
    using Level = AlertsSession::Level;

    AlertTray(const QIcon &base, QObject *parent = nullptr);

    void setState(Level level, const QString &words);
    void show(const AlertNotifier::Notice &notice);
    Level level() const { return m_level; }
    /// The icon as drawn for the current state.
    QIcon icon() const { return m_icon; }

signals:
    void activated();

private:
    QIcon m_base;
    QIcon m_icon;
    Level m_level = Level::Clear;
    QSystemTrayIcon *m_tray = nullptr;
};

#pragma once

#include "demo/MemberNetwork.h"

#include <QObject>

class QLocalSocket;
class QTimer;

/// Follows the faults on a demo cluster's peer proxies, whoever sets them (this window, the
/// CLI, a chaos run): a standing "watch" on the control socket pushes the state on every
/// change. A lost connection is retried every second.
class NetworkWatch : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkWatch)

public:
    explicit NetworkWatch(const QString &socketPath, QObject *parent = nullptr);
    ~NetworkWatch() override;

    void start();
    const QList<MemberNetwork> &state() const { return m_state; }
    bool connected() const { return m_connected; }

signals:
    void changed();

private:
    void connectNow();
    void read();
    void lost();

    QString m_socketPath;
    QLocalSocket *m_socket = nullptr;
    QTimer *m_retry;
    QList<MemberNetwork> m_state;
    bool m_connected = false;
};

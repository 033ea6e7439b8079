#pragma once

#include <QPointer>
#include <QWidget>

class ConsoleSession;
class QLabel;
class QTableWidget;
struct ControlPlaneReport;

/// The Kubernetes layer above etcd: each API server directly and through the kubeconfig's
/// server (live, ready and the checks that failed, version, response time, certificate
/// expiry), the scheduler's and controller-manager's leader leases, and the masters with
/// their static pods. What is not ready, stale or crash-looping is red.
class ControlPlanePanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlPlanePanel)

public:
    explicit ControlPlanePanel(QWidget *parent = nullptr);

    void setSession(ConsoleSession *session);
    QString headline() const;
    QTableWidget *apiServers() const { return m_servers; }
    QTableWidget *leases() const { return m_leases; }
    QTableWidget *masters() const { return m_masters; }

private:
    void show(const ControlPlaneReport &report);
    void showUnavailable(const QString &why);

    QPointer<ConsoleSession> m_session;
    QLabel *m_headline;
    QLabel *m_problems;
    QTableWidget *m_servers;
    QTableWidget *m_leases;
    QTableWidget *m_masters;
};

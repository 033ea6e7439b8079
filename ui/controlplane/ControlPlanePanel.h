#pragma once

#include "kube/PkiInventory.h"

#include <QPointer>
#include <QWidget>

class ConsoleSession;
class QLabel;
class QGroupBox;
class QTableWidget;
struct ControlPlaneReport;

/// The Kubernetes layer above etcd: each API server directly and through the kubeconfig's
/// server (live, ready and the checks that failed, version, response time, certificate
/// expiry), the scheduler's and controller-manager's leader leases, and the masters with
/// their static pods, and the certificates of its PKI by expiry. What is not ready, stale or
/// crash-looping is red; a certificate within 30 days amber, within 7 days red.
class ControlPlanePanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlPlanePanel)

public:
    explicit ControlPlanePanel(QWidget *parent = nullptr);

    void setSession(ConsoleSession *session);
    /// Reads the control plane and its certificates now (they are read every 15 s anyway).
    void refresh();
    QString headline() const;
    QTableWidget *apiServers() const { return m_servers; }
    QTableWidget *leases() const { return m_leases; }
    QTableWidget *masters() const { return m_masters; }
    QTableWidget *certificates() const { return m_certificates; }

private:
    void show(const ControlPlaneReport &report);
    void showUnavailable(const QString &why);
    void showCertificates(const PkiInventory::Reading &reading);

    QPointer<ConsoleSession> m_session;
    QLabel *m_headline;
    QLabel *m_problems;
    QTableWidget *m_servers;
    QTableWidget *m_leases;
    QTableWidget *m_masters;
    QTableWidget *m_certificates;
    QGroupBox *m_certificatesBox;
};

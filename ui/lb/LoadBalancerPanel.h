#pragma once

#include "lb/LbSnapshot.h"
#include <QPointer>

#include <QWidget>

class LbModel;
class QLabel;
class QPushButton;
class QTableView;

/// The load balancer: its frontend, and each backend as the LB sees it beside the
/// console's own probe, with a strip of recent states. Drain, disable and enable act on
/// the selected backend through HAProxy's admin socket (after confirmation); the owner
/// carries them out (and journals them) through stateRequested().
class ConsoleSession;

class LoadBalancerPanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadBalancerPanel)

public:
    explicit LoadBalancerPanel(QWidget *parent = nullptr);

    LbModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    /// Shows session (null: none) from now on, and forgets the one before.
    void setSession(ConsoleSession *session);
    void setSnapshot(const LbSnapshot &snapshot);
    /// No load balancer: says why, and how to get one.
    void setUnavailable(const QString &why);
    /// A load balancer is known but has not answered yet.
    void setWaiting();
    QString headline() const;

signals:
    /// "drain", "maint" or "ready" for a backend, confirmed by the operator.
    void stateRequested(const QString &backend, const QString &state);

private:
    void request(const QString &state, const QString &verb);

    QPointer<ConsoleSession> m_session;
    void updateButtons();

    LbModel *m_model;
    QTableView *m_view;
    QLabel *m_headline;
    QPushButton *m_drain;
    QPushButton *m_disable;
    QPushButton *m_enable;
};

#pragma once

#include "etcd/ConnectionSettings.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

/// What the console offers before it is connected: launch the local demo cluster with one
/// click, or connect to a cluster (endpoints, TLS files, user), prefilled from the etcdctl
/// environment.
class StartPage : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartPage)

public:
    explicit StartPage(QWidget *parent = nullptr);

    void setBusy(bool busy, const QString &message = {});
    void setMessage(const QString &message);
    void setSettings(const ConnectionSettings &settings);

signals:
    void launchDemoRequested(int members);
    void connectRequested(const ConnectionSettings &settings);

private:
    void submit();

    QPushButton *m_launch;
    QSpinBox *m_members;
    QLineEdit *m_endpoints;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QPushButton *m_connect;
    QLabel *m_message;
};

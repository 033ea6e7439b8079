#pragma once

#include "profile/ConnectionProfile.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

/// What the console offers before it is connected: launch the local demo cluster (with TLS
/// and authentication if wanted) with one click, or connect to a cluster through a saved
/// connection profile or the form (endpoints, TLS files and server name, user, load
/// balancer, metric targets, kubeconfig), prefilled from the etcdctl environment.
/// Passwords are never saved with a profile: typed each time, or kept in the system
/// keychain when the operator ticks that box.
class StartPage : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartPage)

public:
    struct DemoOptions {
        int members = 3;
        bool tls = false;
        bool auth = false;
    };

    explicit StartPage(QWidget *parent = nullptr);

    void setBusy(bool busy, const QString &message = {});
    void setMessage(const QString &message);
    void setSettings(const ConnectionSettings &settings);
    void setProfile(const ConnectionProfile &profile);
    /// The form as a profile (its name from the profile box; empty when unnamed).
    ConnectionProfile profile() const;
    /// Reloads the saved profiles into the selector and selects name.
    void reloadProfiles(const QString &name = {});
    QString message() const;
    /// Offers what to do with a demo cluster that a console before this one left running
    /// (it crashed): reattach to it (when its members still run), or clean it up.
    void offerSurvivingDemo(const QString &description, bool canReattach);
    void clearSurvivingDemo();

signals:
    void launchDemoRequested(const StartPage::DemoOptions &options);
    /// keepPassword: store the password in the system keychain for this profile.
    void connectRequested(const ConnectionProfile &profile, const QString &password, bool keepPassword);
    /// A saved profile was deleted: whatever the keychain keeps for it goes too.
    void profileDeleted(const ConnectionProfile &profile);
    void reattachDemoRequested();
    void cleanUpDemoRequested();

private:
    void submit();
    void saveProfile();
    void deleteProfile();
    void updateWarning();

    QGroupBox *m_survivor;
    QLabel *m_survivorText;
    QPushButton *m_reattach;
    QPushButton *m_cleanUp;
    QPushButton *m_launch;
    QSpinBox *m_members;
    QCheckBox *m_demoTls;
    QCheckBox *m_demoAuth;
    QComboBox *m_profiles;
    QPushButton *m_save;
    QPushButton *m_delete;
    QLineEdit *m_endpoints;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLineEdit *m_serverName;
    QCheckBox *m_skipVerify;
    QLabel *m_skipWarning;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_keepPassword;
    QGroupBox *m_more;
    QComboBox *m_lbKind;
    QLineEdit *m_lbSource;
    QLineEdit *m_lbFrontend;
    QLineEdit *m_lbBackends;
    QLineEdit *m_metricTargets;
    QLineEdit *m_kubeconfig;
    QLineEdit *m_prometheus;
    QLineEdit *m_memberInstances;
    QLineEdit *m_apiServers;
    QLineEdit *m_apiLb;
    QLineEdit *m_pkiDir;
    QLineEdit *m_alertmanager;
    QLineEdit *m_clusterLabel;
    QLineEdit *m_apiToken;
    QPushButton *m_connect;
    QLabel *m_message;
};

Q_DECLARE_METATYPE(StartPage::DemoOptions)

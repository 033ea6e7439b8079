#include "window/StartPage.h"

#include "profile/ProfileStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    return out;
}

} // namespace

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_survivor(new QGroupBox(tr("A demo cluster is still running"), this))
    , m_survivorText(new QLabel(m_survivor))
    , m_reattach(new QPushButton(tr("Reattach"), m_survivor))
    , m_cleanUp(new QPushButton(tr("Clean up"), m_survivor))
    , m_launch(new QPushButton(tr("Launch demo cluster"), this))
    , m_members(new QSpinBox(this))
    , m_demoTls(new QCheckBox(tr("TLS with client certificates"), this))
    , m_demoAuth(new QCheckBox(tr("Authentication (a root user)"), this))
    , m_profiles(new QComboBox(this))
    , m_save(new QPushButton(tr("Save profile"), this))
    , m_delete(new QPushButton(tr("Delete"), this))
    , m_endpoints(new QLineEdit(this))
    , m_ca(new QLineEdit(this))
    , m_cert(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_serverName(new QLineEdit(this))
    , m_skipVerify(new QCheckBox(tr("Skip server certificate verification"), this))
    , m_skipWarning(new QLabel(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_keepPassword(new QCheckBox(tr("Keep the password in the system keychain"), this))
    , m_more(new QGroupBox(tr("Load balancer, metrics, alerts and Kubernetes"), this))
    , m_lbKind(new QComboBox(this))
    , m_lbSource(new QLineEdit(this))
    , m_lbFrontend(new QLineEdit(this))
    , m_lbBackends(new QLineEdit(this))
    , m_metricTargets(new QLineEdit(this))
    , m_kubeconfig(new QLineEdit(this))
    , m_prometheus(new QLineEdit(this))
    , m_memberInstances(new QLineEdit(this))
    , m_apiServers(new QLineEdit(this))
    , m_apiLb(new QLineEdit(this))
    , m_pkiDir(new QLineEdit(this))
    , m_alertmanager(new QLineEdit(this))
    , m_clusterLabel(new QLineEdit(this))
    , m_apiToken(new QLineEdit(this))
    , m_connect(new QPushButton(tr("Connect"), this))
    , m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("startPage"));
    auto *title
        = new QLabel(tr("<h2>QuorumDeck</h2><p>See what your etcd cluster is doing, and change it safely.</p>"), this);

    m_survivor->setObjectName(QStringLiteral("survivingDemo"));
    m_reattach->setObjectName(QStringLiteral("reattachDemo"));
    m_cleanUp->setObjectName(QStringLiteral("cleanUpDemo"));
    m_survivorText->setWordWrap(true);
    m_reattach->setToolTip(tr("Open the console on that cluster again; closing the window then stops it"));
    m_cleanUp->setToolTip(tr("Stop its members, load balancer and peer proxies; its data stays on disk"));
    auto *survivorLayout = new QVBoxLayout(m_survivor);
    survivorLayout->addWidget(m_survivorText);
    auto *survivorButtons = new QHBoxLayout;
    survivorButtons->addWidget(m_reattach);
    survivorButtons->addWidget(m_cleanUp);
    survivorButtons->addStretch(1);
    survivorLayout->addLayout(survivorButtons);
    m_survivor->setVisible(false);

    auto *demo = new QGroupBox(tr("Try it on a local cluster"), this);
    auto *demoLayout = new QFormLayout(demo);
    m_members->setRange(1, 7);
    m_members->setValue(3);
    m_members->setToolTip(tr("Real etcd members on 127.0.0.1, on free ports"));
    m_demoTls->setToolTip(tr("A certificate authority of the cluster's own; members demand client certificates"));
    m_demoAuth->setToolTip(tr("etcd authentication with a root user; its password is shown once"));
    m_launch->setDefault(true);
    m_launch->setToolTip(tr("Starts real etcd processes on 127.0.0.1 and opens the console on them"));
    demoLayout->addRow(tr("Members:"), m_members);
    demoLayout->addRow(m_demoTls);
    demoLayout->addRow(m_demoAuth);
    demoLayout->addRow(m_launch);

    auto *connectBox = new QGroupBox(tr("Connect to a cluster"), this);
    auto *form = new QFormLayout(connectBox);
    m_profiles->setEditable(true);
    m_profiles->setInsertPolicy(QComboBox::NoInsert);
    m_profiles->lineEdit()->setPlaceholderText(tr("name this connection to save it"));
    m_profiles->setToolTip(tr("Saved connections; the password is never saved with them"));
    auto *profileRow = new QHBoxLayout;
    profileRow->addWidget(m_profiles, 1);
    profileRow->addWidget(m_save);
    profileRow->addWidget(m_delete);
    m_endpoints->setPlaceholderText(QStringLiteral("10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379"));
    m_ca->setPlaceholderText(tr("CA bundle (PEM), for TLS"));
    m_cert->setPlaceholderText(tr("client certificate (PEM)"));
    m_key->setPlaceholderText(tr("client key (PEM; RSA or EC)"));
    m_serverName->setPlaceholderText(tr("name to check the certificate against (default: the endpoint's host)"));
    m_skipVerify->setToolTip(tr("Accept any server certificate. Anyone between you and the cluster could read and "
                                "change what you send."));
    m_skipWarning->setText(
        tr("<b style='color:#c62828'>Unsafe:</b> the server's identity is not checked; use only to diagnose."));
    m_skipWarning->setVisible(false);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("kept in memory only"));
    m_keepPassword->setToolTip(tr("Store the password in the desktop's keychain (Secret Service) for this profile; "
                                  "never in a file"));
    form->addRow(tr("Profile:"), profileRow);
    form->addRow(tr("Endpoints:"), m_endpoints);
    form->addRow(tr("CA:"), m_ca);
    form->addRow(tr("Certificate:"), m_cert);
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("Server name:"), m_serverName);
    form->addRow(m_skipVerify);
    form->addRow(m_skipWarning);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(m_keepPassword);

    m_more->setCheckable(true);
    m_more->setChecked(false);
    auto *moreForm = new QFormLayout(m_more);
    m_lbKind->addItem(tr("None"), QStringLiteral("none"));
    m_lbKind->addItem(tr("HAProxy"), QStringLiteral("haproxy"));
    m_lbKind->addItem(tr("Generic (probe the backends)"), QStringLiteral("generic"));
    m_lbSource->setPlaceholderText(tr("HAProxy stats URL (…/stats;csv) or admin socket path"));
    m_lbFrontend->setPlaceholderText(tr("host:port clients use"));
    m_lbBackends->setPlaceholderText(tr("generic: name=host:port, …"));
    m_metricTargets->setPlaceholderText(tr("extra /metrics URLs, comma-separated (node exporter, API server)"));
    m_kubeconfig->setPlaceholderText(tr("kubeconfig (default: $KUBECONFIG, else ~/.kube/config)"));
    m_apiServers->setPlaceholderText(tr("API servers to probe, host:port, … (default: the kubernetes Service's)"));
    m_apiLb->setObjectName(QStringLiteral("apiLb"));
    m_apiLb->setPlaceholderText(tr("their HAProxy: stats URL (…/stats;csv) or admin socket path[#backend]"));
    m_pkiDir->setObjectName(QStringLiteral("pkiDir"));
    m_pkiDir->setPlaceholderText(tr("a kubeadm PKI directory to watch, e.g. /etc/kubernetes/pki (optional)"));
    m_prometheus->setPlaceholderText(tr("a Prometheus that scrapes this cluster, e.g. http://prometheus:9090"));
    m_memberInstances->setPlaceholderText(tr("where its instance label is not a client URL: host:port=member, …"));
    m_alertmanager->setPlaceholderText(tr("its Alertmanager, e.g. http://alertmanager:9093"));
    m_clusterLabel->setPlaceholderText(tr("this cluster's cluster label there (empty: every alert)"));
    m_apiToken->setPlaceholderText(tr("file holding a bearer token for both (optional)"));
    moreForm->addRow(tr("Load balancer:"), m_lbKind);
    moreForm->addRow(tr("Its view:"), m_lbSource);
    moreForm->addRow(tr("Frontend:"), m_lbFrontend);
    moreForm->addRow(tr("Backends:"), m_lbBackends);
    moreForm->addRow(tr("Metric targets:"), m_metricTargets);
    moreForm->addRow(tr("Kubeconfig:"), m_kubeconfig);
    moreForm->addRow(tr("API servers:"), m_apiServers);
    moreForm->addRow(tr("API load balancer:"), m_apiLb);
    moreForm->addRow(tr("PKI directory:"), m_pkiDir);
    moreForm->addRow(tr("Prometheus:"), m_prometheus);
    moreForm->addRow(tr("Its instances:"), m_memberInstances);
    moreForm->addRow(tr("Alertmanager:"), m_alertmanager);
    moreForm->addRow(tr("Cluster label:"), m_clusterLabel);
    moreForm->addRow(tr("Token file:"), m_apiToken);
    // Collapsed until wanted: the group's contents hide with its check box.
    auto showMore = [this](bool on) {
        for (QWidget *w : m_more->findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
            w->setVisible(on);
    };
    connect(m_more, &QGroupBox::toggled, this, showMore);
    showMore(false);
    form->addRow(m_more);
    form->addRow(m_connect);

    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_survivor);
    layout->addWidget(demo);
    layout->addWidget(connectBox);
    layout->addWidget(m_message);
    layout->addStretch(1);

    ConnectionSettings fromEnv;
    fromEnv.applyEnvironment(QProcessEnvironment::systemEnvironment());
    setSettings(fromEnv);
    reloadProfiles();

    connect(m_launch, &QPushButton::clicked, this, [this] {
        emit launchDemoRequested({m_members->value(), m_demoTls->isChecked(), m_demoAuth->isChecked()});
    });
    connect(m_reattach, &QPushButton::clicked, this, &StartPage::reattachDemoRequested);
    connect(m_cleanUp, &QPushButton::clicked, this, &StartPage::cleanUpDemoRequested);
    connect(m_connect, &QPushButton::clicked, this, &StartPage::submit);
    connect(m_endpoints, &QLineEdit::returnPressed, this, &StartPage::submit);
    connect(m_password, &QLineEdit::returnPressed, this, &StartPage::submit);
    connect(m_save, &QPushButton::clicked, this, &StartPage::saveProfile);
    connect(m_delete, &QPushButton::clicked, this, &StartPage::deleteProfile);
    connect(m_skipVerify, &QCheckBox::toggled, this, &StartPage::updateWarning);
    connect(m_profiles, &QComboBox::activated, this, [this](int index) {
        if (const auto p = ProfileStore::load(m_profiles->itemText(index)))
            setProfile(*p);
    });
}

void StartPage::updateWarning()
{
    m_skipWarning->setVisible(m_skipVerify->isChecked());
}

void StartPage::reloadProfiles(const QString &name)
{
    m_profiles->clear();
    m_profiles->addItems(ProfileStore::names());
    m_profiles->setCurrentText(name);
    m_delete->setEnabled(m_profiles->count() > 0);
}

void StartPage::setSettings(const ConnectionSettings &settings)
{
    m_endpoints->setText(settings.endpoints.join(QLatin1Char(',')));
    m_ca->setText(settings.tls.caFile);
    m_cert->setText(settings.tls.certFile);
    m_key->setText(settings.tls.keyFile);
    m_serverName->setText(settings.tls.serverName);
    m_skipVerify->setChecked(settings.tls.insecureSkipVerify);
    m_user->setText(settings.user);
    m_metricTargets->setText(settings.metricTargets.join(QLatin1Char(',')));
    updateWarning();
}

void StartPage::setProfile(const ConnectionProfile &p)
{
    setSettings(p.connectionSettings());
    m_profiles->setCurrentText(p.name);
    m_keepPassword->setChecked(p.passwordInKeychain);
    m_lbKind->setCurrentIndex(qMax(0, m_lbKind->findData(ConnectionProfile::lbKindName(p.lbKind))));
    m_lbSource->setText(p.lbStatsUrl.isEmpty() ? p.lbSocket : p.lbStatsUrl);
    m_lbFrontend->setText(p.lbFrontend);
    m_lbBackends->setText(p.lbBackends.join(QStringLiteral(", ")));
    m_kubeconfig->setText(p.kubeconfig);
    m_apiServers->setText(p.apiServers.join(QStringLiteral(", ")));
    m_pkiDir->setText(p.pkiDir);
    m_apiLb->setText(p.apiLbBackend.isEmpty() ? p.apiLbStats : p.apiLbStats + QLatin1Char('#') + p.apiLbBackend);
    m_prometheus->setText(p.prometheusUrl);
    m_memberInstances->setText(p.memberInstances.join(QStringLiteral(", ")));
    m_alertmanager->setText(p.alertmanagerUrl);
    m_clusterLabel->setText(p.clusterLabel);
    m_apiToken->setText(p.apiBearerTokenFile);
    const bool more = p.lbKind != LbDefinition::Kind::None || !p.metricTargets.isEmpty() || !p.kubeconfig.isEmpty()
        || !p.prometheusUrl.isEmpty() || !p.alertmanagerUrl.isEmpty();
    m_more->setChecked(more);
    m_password->clear();
}

ConnectionProfile StartPage::profile() const
{
    ConnectionProfile p;
    p.name = m_profiles->currentText().trimmed();
    p.endpoints = splitList(m_endpoints->text());
    p.tls.caFile = m_ca->text().trimmed();
    p.tls.certFile = m_cert->text().trimmed();
    p.tls.keyFile = m_key->text().trimmed();
    p.tls.serverName = m_serverName->text().trimmed();
    p.tls.insecureSkipVerify = m_skipVerify->isChecked();
    p.user = m_user->text().trimmed();
    p.passwordInKeychain = m_keepPassword->isChecked() && !p.user.isEmpty();
    p.lbKind = ConnectionProfile::lbKindFromName(m_lbKind->currentData().toString());
    const QString source = m_lbSource->text().trimmed();
    // A stats page is a URL; anything else is the admin socket's path.
    if (source.contains(QLatin1String("://")))
        p.lbStatsUrl = source;
    else
        p.lbSocket = source;
    p.lbFrontend = m_lbFrontend->text().trimmed();
    p.lbBackends = splitList(m_lbBackends->text());
    p.metricTargets = splitList(m_metricTargets->text());
    p.kubeconfig = m_kubeconfig->text().trimmed();
    p.apiServers = splitList(m_apiServers->text());
    p.pkiDir = m_pkiDir->text().trimmed();
    // "source#backend": a URL's own fragment means nothing to HAProxy's stats page.
    const QString apiLb = m_apiLb->text().trimmed();
    p.apiLbStats = apiLb.section(QLatin1Char('#'), 0, 0);
    p.apiLbBackend = apiLb.section(QLatin1Char('#'), 1);
    p.prometheusUrl = m_prometheus->text().trimmed();
    p.memberInstances = splitList(m_memberInstances->text());
    p.alertmanagerUrl = m_alertmanager->text().trimmed();
    p.clusterLabel = m_clusterLabel->text().trimmed();
    p.apiBearerTokenFile = m_apiToken->text().trimmed();
    return p;
}

void StartPage::saveProfile()
{
    const ConnectionProfile p = profile();
    if (const Result<void> saved = ProfileStore::save(p); !saved) {
        setMessage(tr("Not saved: %1.").arg(saved.error().describe()));
        return;
    }
    reloadProfiles(p.name);
    setMessage(tr("Saved profile %1 (without any password).").arg(p.name));
}

void StartPage::deleteProfile()
{
    const QString name = m_profiles->currentText().trimmed();
    const auto stored = ProfileStore::load(name);
    if (!stored)
        return;
    ProfileStore::remove(name);
    emit profileDeleted(*stored);
    reloadProfiles();
    setMessage(tr("Deleted profile %1.").arg(name));
}

void StartPage::submit()
{
    ConnectionProfile p = profile();
    const ConnectionSettings s = p.connectionSettings();
    if (const QString problem = s.validate(); !problem.isEmpty()) {
        setMessage(problem);
        return;
    }
    if (!p.name.isEmpty()) {
        if (const QString problem = p.validate(); !problem.isEmpty()) {
            setMessage(problem);
            return;
        }
    }
    emit connectRequested(p, m_password->text(), m_keepPassword->isChecked());
    m_password->clear();
}

void StartPage::setBusy(bool busy, const QString &message)
{
    m_survivor->setEnabled(!busy);
    m_launch->setEnabled(!busy);
    m_connect->setEnabled(!busy);
    setMessage(message);
}

void StartPage::setMessage(const QString &message)
{
    m_message->setText(message);
}

QString StartPage::message() const
{
    return m_message->text();
}

void StartPage::offerSurvivingDemo(const QString &description, bool canReattach)
{
    m_survivorText->setText(description);
    m_reattach->setEnabled(canReattach);
    m_reattach->setDefault(canReattach);
    m_launch->setDefault(false);
    m_survivor->setVisible(true);
    (canReattach ? m_reattach : m_cleanUp)->setFocus();
}

void StartPage::clearSurvivingDemo()
{
    m_survivor->setVisible(false);
    m_reattach->setDefault(false);
    m_launch->setDefault(true);
}

#include "StartPage.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

StartPage::StartPage(QWidget *parent)
    : QWidget(parent)
    , m_launch(new QPushButton(tr("Launch demo cluster"), this))
    , m_members(new QSpinBox(this))
    , m_endpoints(new QLineEdit(this))
    , m_ca(new QLineEdit(this))
    , m_cert(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_connect(new QPushButton(tr("Connect"), this))
    , m_message(new QLabel(this))
{
    auto *title
        = new QLabel(tr("<h2>QuorumDeck</h2><p>See what your etcd cluster is doing, and change it safely.</p>"), this);

    auto *demo = new QGroupBox(tr("Try it on a local cluster"), this);
    auto *demoLayout = new QFormLayout(demo);
    m_members->setRange(1, 7);
    m_members->setValue(3);
    m_members->setToolTip(tr("Real etcd members on 127.0.0.1, on free ports"));
    m_launch->setDefault(true);
    m_launch->setToolTip(tr("Starts real etcd processes on 127.0.0.1 and opens the console on them"));
    demoLayout->addRow(tr("Members:"), m_members);
    demoLayout->addRow(m_launch);

    auto *connectBox = new QGroupBox(tr("Connect to a cluster"), this);
    auto *form = new QFormLayout(connectBox);
    m_endpoints->setPlaceholderText(QStringLiteral("10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379"));
    m_ca->setPlaceholderText(tr("CA bundle (PEM), for TLS"));
    m_cert->setPlaceholderText(tr("client certificate (PEM)"));
    m_key->setPlaceholderText(tr("client key (PEM)"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("kept in memory only"));
    form->addRow(tr("Endpoints:"), m_endpoints);
    form->addRow(tr("CA:"), m_ca);
    form->addRow(tr("Certificate:"), m_cert);
    form->addRow(tr("Key:"), m_key);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(m_connect);

    m_message->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(demo);
    layout->addWidget(connectBox);
    layout->addWidget(m_message);
    layout->addStretch(1);

    ConnectionSettings fromEnv;
    fromEnv.applyEnvironment(QProcessEnvironment::systemEnvironment());
    setSettings(fromEnv);

    connect(m_launch, &QPushButton::clicked, this, [this] { emit launchDemoRequested(m_members->value()); });
    connect(m_connect, &QPushButton::clicked, this, &StartPage::submit);
    connect(m_endpoints, &QLineEdit::returnPressed, this, &StartPage::submit);
}

void StartPage::setSettings(const ConnectionSettings &settings)
{
    m_endpoints->setText(settings.endpoints.join(QLatin1Char(',')));
    m_ca->setText(settings.tls.caFile);
    m_cert->setText(settings.tls.certFile);
    m_key->setText(settings.tls.keyFile);
    m_user->setText(settings.user);
}

void StartPage::submit()
{
    ConnectionSettings s;
    s.endpoints = m_endpoints->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    s.tls.caFile = m_ca->text().trimmed();
    s.tls.certFile = m_cert->text().trimmed();
    s.tls.keyFile = m_key->text().trimmed();
    s.user = m_user->text().trimmed();
    s.password = m_password->text();
    if (const QString problem = s.validate(); !problem.isEmpty()) {
        setMessage(problem);
        return;
    }
    emit connectRequested(s);
}

void StartPage::setBusy(bool busy, const QString &message)
{
    m_launch->setEnabled(!busy);
    m_connect->setEnabled(!busy);
    setMessage(message);
}

void StartPage::setMessage(const QString &message)
{
    m_message->setText(message);
}

#include "dialogs/AddMemberDialog.h"

#include "cluster/PeerUrlValidator.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

AddMemberDialog::AddMemberDialog(const ClusterSnapshot &snapshot, const QString &proposedPeerUrl, QWidget *parent)
    : QDialog(parent)
    , m_snapshot(snapshot)
    , m_name(new QLineEdit(this))
    , m_urls(new QLineEdit(this))
    , m_learner(new QCheckBox(tr("Add as a learner (does not vote until promoted)"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Add member"));
    int n = int(snapshot.members().size()) + 1;
    while (snapshot.findMember(QStringLiteral("etcd%1").arg(n)))
        ++n;
    m_name->setText(QStringLiteral("etcd%1").arg(n));
    m_urls->setText(proposedPeerUrl);
    m_urls->setPlaceholderText(QStringLiteral("http://10.0.0.4:2380"));
    m_learner->setChecked(true);
    m_learner->setToolTip(tr("A learner catches up without counting towards quorum; promote it once it has."));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b03020"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Peer URLs:"), m_urls);
    form->addRow(QString(), m_learner);
    form->addRow(m_problem);
    form->addRow(m_buttons);
    connect(m_name, &QLineEdit::textChanged, this, &AddMemberDialog::validate);
    connect(m_urls, &QLineEdit::textChanged, this, &AddMemberDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

QString AddMemberDialog::name() const
{
    return m_name->text().trimmed();
}

QStringList AddMemberDialog::peerUrls() const
{
    return PeerUrlValidator::split(m_urls->text());
}

bool AddMemberDialog::learner() const
{
    return m_learner->isChecked();
}

void AddMemberDialog::validate()
{
    QString problem;
    if (name().isEmpty())
        problem = tr("Give the new member a name.");
    else if (m_snapshot.findMember(name()))
        problem = tr("A member named %1 already exists.").arg(name());
    else
        problem = PeerUrlValidator::check(peerUrls(), m_snapshot);
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

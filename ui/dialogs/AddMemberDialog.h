#pragma once

#include "cluster/ClusterSnapshot.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

/// Name, peer URLs and the learner choice for a new member, validated as the operator
/// types (the same checks the core makes before sending).
class AddMemberDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddMemberDialog)

public:
    AddMemberDialog(const ClusterSnapshot &snapshot, const QString &proposedPeerUrl, QWidget *parent = nullptr);

    QString name() const;
    QStringList peerUrls() const;
    bool learner() const;

private:
    void validate();

    ClusterSnapshot m_snapshot;
    QLineEdit *m_name;
    QLineEdit *m_urls;
    QCheckBox *m_learner;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

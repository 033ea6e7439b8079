#pragma once

#include "kube/KubeVolumes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;

/// The Kubernetes cluster's storage: PersistentVolumes, PersistentVolumeClaims and
/// StorageClasses in three tables, what needs attention (Pending claims, Released or
/// Failed volumes) highlighted and counted in the headline, and a sentence for each list
/// the API server refused.
class KubeVolumesView : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KubeVolumesView)

public:
    explicit KubeVolumesView(QWidget *parent = nullptr);

    void setVolumes(const KubeVolumes &volumes);
    void setUnavailable(const QString &why);
    QString headline() const;
    QTableWidget *volumesTable() const { return m_volumes; }
    QTableWidget *claimsTable() const { return m_claims; }
    QTableWidget *classesTable() const { return m_classes; }

signals:
    void refreshRequested();

private:
    QLabel *m_headline;
    QPushButton *m_refresh;
    QTabWidget *m_tabs;
    QTableWidget *m_volumes;
    QTableWidget *m_claims;
    QTableWidget *m_classes;
};

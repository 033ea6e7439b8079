#pragma once

#include <QDialog>
#include <QList>
#include <QString>

/// Commands for the operator to run elsewhere (a restore or a recovery plan for a real
/// cluster): an introduction, then one section per host, each with its commands in a
/// fixed-width box and a button that copies them. Runs nothing.
class PlanDialog : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanDialog)

public:
    struct Section {
        QString title; ///< "on etcd1 (https://10.0.0.1:2380)"
        QString commands; ///< what the copy button copies
    };

    PlanDialog(const QString &title, const QString &intro, const QList<Section> &sections, const QString &outro,
        QWidget *parent = nullptr);
};

#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/ConsistencyReport.h"
#include "cluster/OperationResult.h"
#include "kube/KubeVolumes.h"
#include "storage/MemberStorage.h"
#include "storage/ReclaimRunbook.h"
#include <QPointer>

#include <QWidget>

class KubeVolumesView;
class QCheckBox;
class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;
class StorageModel;

/// The Storage tab: each member's database against its quota and its disk, the alarms with
/// a disarm button, the reclaim runbook with its progress per member, "fill the database"
/// for demo clusters, and the Kubernetes volumes. Every action is confirmed here and carried
/// out (and journalled) by the owner through the request signals.
class ConsoleSession;

class StoragePanel : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoragePanel)

public:
    explicit StoragePanel(QWidget *parent = nullptr);

    StorageModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QTableWidget *stepsTable() const { return m_steps; }
    KubeVolumesView *kube() const { return m_kube; }
    QString headline() const;
    QString runbookStatus() const;

    /// Shows session (null: none) from now on, and forgets the one before.
    void setSession(ConsoleSession *session);
    void setSnapshot(const ClusterSnapshot &snapshot) { m_snapshot = snapshot; }
    void setStorage(const QList<MemberStorage> &storage);
    /// A new session: no runbook, no filling, nothing shown yet.
    void reset();
    /// Demo clusters offer "fill the database".
    void setDemo(bool demo);
    void setStep(int index, const ReclaimStep &step);
    void setRunbookFinished(const OperationResult &result);
    void setFillProgress(qint64 writtenBytes);
    void setFillFinished(const OperationResult &result);

    /// Asks (with the plan and its warning) and then emits reclaimRequested.
    void askReclaim(bool compact);
    /// Asks and then emits reclaimRequested for the selected member.
    void askDefragmentSelected();
    /// NOSPACE: asks and emits disarmRequested. CORRUPT: runs a consistency check first and
    /// asks with its result; while members diverge, twice, the second time naming them.
    void askDisarmSelected();
    /// The questions before disarming CORRUPT on member, given the check's report.
    void confirmCorruptDisarm(uint64_t id, const QString &member, const ConsistencyReport &report);
    void askFill();

signals:
    void reclaimRequested(const ReclaimOptions &options);
    void cancelReclaimRequested();
    void disarmRequested(uint64_t memberId, AlarmType type);
    void fillRequested();
    void cancelFillRequested();

private:
    const MemberStorage *selected() const;
    void updateButtons();

    QPointer<ConsoleSession> m_session;
    bool m_corruptCheck = false; ///< a consistency check before disarming CORRUPT is under way
    ClusterSnapshot m_snapshot;
    StorageModel *m_model;
    QTableView *m_view;
    QLabel *m_headline;
    QPushButton *m_disarm;
    QPushButton *m_defragOne;
    QCheckBox *m_compact;
    QPushButton *m_reclaim;
    QPushButton *m_cancel;
    QLabel *m_runbookStatus;
    QTableWidget *m_steps;
    QPushButton *m_fill;
    QLabel *m_fillStatus;
    KubeVolumesView *m_kube;
    bool m_demo = false;
    bool m_running = false;
    bool m_filling = false;
};

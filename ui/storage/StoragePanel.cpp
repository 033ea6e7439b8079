#include "storage/StoragePanel.h"
#include "session/ConsistencySession.h"
#include "session/ConsoleSession.h"
#include "session/StorageSession.h"

#include "common/Format.h"
#include "common/MemberId.h"
#include "dialogs/Confirm.h"
#include "storage/KubeVolumesView.h"
#include "storage/StorageModel.h"
#include "widgets/TableColumns.h"
#include "widgets/UsageBarDelegate.h"

#include <QCheckBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace {

QColor stateColor(ReclaimStep::State state)
{
    switch (state) {
    case ReclaimStep::State::Done:
        return QColor(0x2e, 0x7d, 0x32);
    case ReclaimStep::State::Running:
        return QColor(0x15, 0x65, 0xc0);
    case ReclaimStep::State::Failed:
        return QColor(0xc6, 0x28, 0x28);
    case ReclaimStep::State::Skipped:
    case ReclaimStep::State::Cancelled:
        return QColor(0x75, 0x75, 0x75);
    case ReclaimStep::State::Pending:
        break;
    }
    return {};
}

} // namespace

StoragePanel::StoragePanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new StorageModel(this))
    , m_view(new QTableView(this))
    , m_headline(new QLabel(this))
    , m_disarm(new QPushButton(tr("Dis&arm alarm…"), this))
    , m_defragOne(new QPushButton(tr("Defrag&ment member…"), this))
    , m_compact(new QCheckBox(tr("Com&pact the keyspace first"), this))
    , m_reclaim(new QPushButton(tr("&Reclaim space…"), this))
    , m_cancel(new QPushButton(tr("Cancel after this member"), this))
    , m_runbookStatus(new QLabel(this))
    , m_steps(new QTableWidget(0, 3, this))
    , m_fill(new QPushButton(tr("Fill the database…"), this))
    , m_fillStatus(new QLabel(this))
    , m_kube(new KubeVolumesView(this))
{
    setObjectName(QStringLiteral("storagePanel"));
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Member storage"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    TableColumns::fit(m_view, StorageModel::QuotaUse);
    m_view->setItemDelegateForColumn(StorageModel::QuotaUse,
        new UsageBarDelegate(
            StorageModel::FractionRole, StorageModel::kQuotaWarn, StorageModel::kQuotaCritical, m_view));
    // A filesystem 90 % full is when operators start worrying about the WAL.
    m_view->setItemDelegateForColumn(
        StorageModel::Filesystem, new UsageBarDelegate(StorageModel::FractionRole, 0.8, 0.9, m_view));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setText(tr("Reading the members' storage…"));

    m_disarm->setToolTip(tr("Clear the selected member's alarm once its cause is gone"));
    m_defragOne->setToolTip(tr("Defragment only the selected member; it answers nothing while it does"));
    m_compact->setToolTip(tr("Discard every older revision first, so that defragmenting gives back their space"));
    m_reclaim->setToolTip(tr("Defragment every member one at a time, the leader last, then disarm NOSPACE"));
    m_cancel->setToolTip(tr("Stop the runbook once the member being defragmented is done"));
    m_fill->setToolTip(tr("Write large values until etcd raises NOSPACE (demo clusters only)"));
    m_runbookStatus->setWordWrap(true);
    m_steps->setHorizontalHeaderLabels({tr("Step"), tr("State"), tr("Detail")});
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->verticalHeader()->hide();
    TableColumns::fit(m_steps, 2);

    auto *memberButtons = new QHBoxLayout;
    memberButtons->addWidget(m_headline, 1);
    memberButtons->addWidget(m_disarm);
    memberButtons->addWidget(m_defragOne);

    auto *runbook = new QGroupBox(tr("Reclaim space"), this);
    auto *runbookButtons = new QHBoxLayout;
    runbookButtons->addWidget(m_compact);
    runbookButtons->addStretch(1);
    runbookButtons->addWidget(m_fillStatus);
    runbookButtons->addWidget(m_fill);
    runbookButtons->addWidget(m_reclaim);
    runbookButtons->addWidget(m_cancel);
    auto *runbookLayout = new QVBoxLayout(runbook);
    runbookLayout->addLayout(runbookButtons);
    runbookLayout->addWidget(m_runbookStatus);
    runbookLayout->addWidget(m_steps, 1);

    auto *kubeBox = new QGroupBox(tr("Kubernetes persistent volumes"), this);
    auto *kubeLayout = new QVBoxLayout(kubeBox);
    kubeLayout->addWidget(m_kube);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(memberButtons);
    topLayout->addWidget(m_view, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(runbook);
    split->addWidget(kubeBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 1);
    split->setSizes({200, 280, 300});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_reclaim, &QPushButton::clicked, this, [this] { askReclaim(m_compact->isChecked()); });
    connect(m_defragOne, &QPushButton::clicked, this, &StoragePanel::askDefragmentSelected);
    connect(m_disarm, &QPushButton::clicked, this, &StoragePanel::askDisarmSelected);
    connect(m_fill, &QPushButton::clicked, this, [this] {
        if (m_filling)
            emit cancelFillRequested();
        else
            askFill();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_runbookStatus->setText(tr("Cancelling after the current step…"));
        emit cancelReclaimRequested();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &StoragePanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &StoragePanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &StoragePanel::updateButtons);
    setDemo(false);
    updateButtons();
}

QString StoragePanel::headline() const
{
    return m_headline->text();
}

QString StoragePanel::runbookStatus() const
{
    return m_runbookStatus->text();
}

void StoragePanel::reset()
{
    m_corruptCheck = false;
    m_running = false;
    m_filling = false;
    m_steps->setRowCount(0);
    m_runbookStatus->clear();
    m_fillStatus->clear();
    m_model->setStorage({});
    m_headline->setText(tr("Reading the members' storage…"));
    updateButtons();
}

void StoragePanel::setDemo(bool demo)
{
    m_demo = demo;
    m_fill->setVisible(demo);
    m_fillStatus->setVisible(demo);
}

void StoragePanel::setStorage(const QList<MemberStorage> &storage)
{
    m_model->setStorage(storage);
    QStringList alarms;
    int64_t lowest = -1;
    QString lowestName;
    for (const MemberStorage &m : storage) {
        for (const QString &a : m.alarms)
            alarms << QStringLiteral("%1 on %2").arg(a, m.name);
        if (m.reachable && m.quota > 0 && (lowest < 0 || m.headroom() < lowest)) {
            lowest = m.headroom();
            lowestName = m.name;
        }
    }
    QString text;
    const bool corrupt = std::any_of(
        alarms.cbegin(), alarms.cend(), [](const QString &a) { return a.startsWith(QLatin1String("CORRUPT")); });
    if (corrupt)
        text = tr("<b style='color:#c62828'>Alarm: %1.</b> A member's data was found to differ from the others'; "
                  "etcd refuses writes until the alarm is disarmed. Disarm checks consistency first.")
                   .arg(alarms.join(QStringLiteral(", ")).toHtmlEscaped());
    else if (!alarms.isEmpty())
        text = tr("<b style='color:#c62828'>Alarm: %1.</b> etcd refuses writes until the space is reclaimed and the "
                  "alarm disarmed.")
                   .arg(alarms.join(QStringLiteral(", ")).toHtmlEscaped());
    else if (lowest >= 0)
        text = tr("No alarm. Least headroom: %1 on %2.")
                   .arg(Format::bytes(qMax<int64_t>(0, lowest)), lowestName.toHtmlEscaped());
    else
        text = tr("No alarm.");
    m_headline->setText(text);
}

const MemberStorage *StoragePanel::selected() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_model->memberAt(rows.first().row());
}

void StoragePanel::updateButtons()
{
    const MemberStorage *m = selected();
    m_disarm->setEnabled(m && !m->alarms.isEmpty() && !m_running && !m_corruptCheck);
    m_defragOne->setEnabled(m && m->reachable && !m_running);
    m_reclaim->setEnabled(!m_running && !m_model->storage().isEmpty());
    m_compact->setEnabled(!m_running);
    m_cancel->setVisible(m_running);
    m_fill->setText(m_filling ? tr("Stop filling") : tr("Fill the database…"));
}

void StoragePanel::askReclaim(bool compact)
{
    ReclaimOptions options;
    options.compact = compact;
    const ReclaimPlan plan = ReclaimRunbook::plan(m_snapshot, options);
    if (!plan.allowed) {
        m_runbookStatus->setText(tr("Refused: %1.").arg(plan.sentence));
        return;
    }
    QStringList steps;
    for (const ReclaimStep &s : plan.steps)
        steps << (s.state == ReclaimStep::State::Skipped ? tr("%1 (skipped: %2)").arg(s.title(), s.detail) : s.title());
    Confirm::ask(this, tr("Reclaim space"),
        tr("%1.\n\nSteps:\n  %2\n\n%3").arg(plan.sentence, steps.join(QStringLiteral("\n  ")), plan.warning),
        [this, options](bool yes) {
            if (yes)
                emit reclaimRequested(options);
        });
}

void StoragePanel::askDefragmentSelected()
{
    const MemberStorage *m = selected();
    if (!m)
        return;
    ReclaimOptions options;
    options.member = MemberId::toHex(m->id); // names need not be unique
    options.disarm = false;
    const ReclaimPlan plan = ReclaimRunbook::plan(m_snapshot, options);
    if (!plan.allowed) {
        m_runbookStatus->setText(tr("Refused: %1.").arg(plan.sentence));
        return;
    }
    Confirm::ask(this, tr("Defragment %1").arg(m->name),
        tr("Defragment %1 (%2)?\n\n%3").arg(m->name, describeStorage(*m), plan.warning), [this, options](bool yes) {
            if (yes)
                emit reclaimRequested(options);
        });
}

void StoragePanel::askDisarmSelected()
{
    const MemberStorage *m = selected();
    if (!m || m->alarms.isEmpty())
        return;
    const QString alarm = m->alarms.first();
    const AlarmType type = alarm == QLatin1String("CORRUPT") ? AlarmType::Corrupt : AlarmType::NoSpace;
    const uint64_t id = m->id;
    if (type == AlarmType::Corrupt) {
        // CORRUPT says the members' data differ: what the members hold now decides the question.
        if (!m_session)
            return;
        if (m_corruptCheck)
            return; // one check, one set of questions
        ConsistencySession *check = m_session->consistency();
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(check, &ConsistencySession::reportReady, this,
            [this, once, id, name = m->name](const ConsistencyReport &report) {
                disconnect(*once);
                m_corruptCheck = false;
                updateButtons();
                confirmCorruptDisarm(id, name, report);
            });
        if (!check->checkNow()) {
            disconnect(*once);
            m_runbookStatus->setText(tr("The console has left the cluster; nothing was disarmed."));
            return;
        }
        m_corruptCheck = true;
        updateButtons();
        m_runbookStatus->setText(tr("Checking whether the members hold the same data before disarming CORRUPT…"));
        return;
    }
    Confirm::ask(this, tr("Disarm NOSPACE"),
        tr("Disarm NOSPACE on %1?\n\nIf the database is still over its quota, the next write raises NOSPACE again: "
           "reclaim space first.")
            .arg(m->name),
        tr("Disarm NOSPACE"), [this, id](bool yes) {
            if (yes)
                emit disarmRequested(id, AlarmType::NoSpace);
        });
}

void StoragePanel::confirmCorruptDisarm(uint64_t id, const QString &member, const ConsistencyReport &report)
{
    m_runbookStatus->setText(tr("Consistency check: %1.").arg(report.sentence));
    // A verdict reached without the alarmed member says nothing about it.
    const auto row = std::find_if(
        report.members.cbegin(), report.members.cend(), [id](const MemberHash &h) { return h.id == id; });
    if (report.verdict == ConsistencyReport::Verdict::Consistent && (row == report.members.cend() || !row->hashed())) {
        ConsistencyReport unknown = report;
        unknown.verdict = ConsistencyReport::Verdict::Undecided;
        unknown.sentence = tr("%1 was not hashed (%2); the others agree")
                               .arg(member, row == report.members.cend() ? tr("not a member") : row->error);
        confirmCorruptDisarm(id, member, unknown);
        return;
    }
    const auto disarm = [this, id](bool yes) {
        if (yes)
            emit disarmRequested(id, AlarmType::Corrupt);
    };
    switch (report.verdict) {
    case ConsistencyReport::Verdict::Consistent:
        Confirm::ask(this, tr("Disarm CORRUPT"),
            tr("Disarm CORRUPT on %1?\n\nThe check just run found the members agree: %2.").arg(member, report.sentence),
            tr("Disarm CORRUPT"), disarm);
        return;
    case ConsistencyReport::Verdict::Undecided:
        Confirm::ask(this, tr("Disarm CORRUPT"),
            tr("Disarm CORRUPT on %1 without knowing whether the members agree?\n\nThe check just run could not "
               "decide: %2.")
                .arg(member, report.sentence),
            tr("Disarm CORRUPT"), disarm);
        return;
    case ConsistencyReport::Verdict::Divergent:
        break;
    }
    // The alarm is right. Disarming takes two answers, the second naming who diverges.
    const QString divergent = report.divergentNames().join(QStringLiteral(", "));
    Confirm::ask(this, tr("Members diverge"),
        tr("The check just run confirms the alarm: %1.\n\nReplace %2 (remove it, clear its data, add it back) "
           "before disarming. Disarm CORRUPT on %3 anyway?")
            .arg(report.sentence, divergent, member),
        tr("Continue"), [this, divergent, member, disarm](bool yes) {
            if (!yes)
                return;
            Confirm::ask(this, tr("Disarm CORRUPT while %1 diverges").arg(divergent),
                tr("Second confirmation: disarm CORRUPT on %1 while %2 holds different data?\n\nClients reading "
                   "from %2 may see data the others do not have.")
                    .arg(member, divergent),
                tr("Disarm while %1 diverges").arg(divergent), disarm);
        });
}

void StoragePanel::askFill()
{
    Confirm::ask(this, tr("Fill the database"),
        tr("Write 256 KiB values until etcd raises NOSPACE?\n\nThe demo cluster then refuses every write until its "
           "space is reclaimed (compact, defragment, disarm)."),
        [this](bool yes) {
            if (!yes)
                return;
            m_filling = true;
            m_fillStatus->setText(tr("Filling…"));
            updateButtons();
            emit fillRequested();
        });
}

void StoragePanel::setStep(int index, const ReclaimStep &step)
{
    if (!m_running && index == 0) {
        m_running = true;
        m_steps->setRowCount(0);
        m_runbookStatus->setText(tr("Running…"));
        m_cancel->setEnabled(true);
        updateButtons();
    }
    if (index >= m_steps->rowCount())
        m_steps->setRowCount(index + 1);
    const QString cells[] = {step.title(), reclaimStateName(step.state), step.detail};
    for (int c = 0; c < 3; ++c) {
        auto *item = new QTableWidgetItem(cells[c]);
        if (c == 1)
            item->setForeground(stateColor(step.state));
        m_steps->setItem(index, c, item);
    }
    if (step.state == ReclaimStep::State::Running && step.kind == ReclaimStep::Kind::Defragment)
        m_runbookStatus->setText(tr("Defragmenting %1: it answers no requests until it is done.").arg(step.member));
}

void StoragePanel::setRunbookFinished(const OperationResult &result)
{
    m_running = false;
    if (result.ok() && !m_filling)
        m_fillStatus->clear(); // the NOSPACE it raised is gone
    m_runbookStatus->setText(result.ok()                        ? tr("Done: %1.").arg(result.sentence)
            : result.status == OperationResult::Status::Refused ? tr("Refused: %1.").arg(result.sentence)
                                                                : tr("Stopped: %1.").arg(result.sentence));
    updateButtons();
}

void StoragePanel::setFillProgress(qint64 writtenBytes)
{
    m_fillStatus->setText(tr("Written %1…").arg(Format::bytes(writtenBytes)));
}

void StoragePanel::setFillFinished(const OperationResult &result)
{
    m_filling = false;
    m_fillStatus->setText(result.ok() ? tr("NOSPACE raised") : result.sentence);
    m_fillStatus->setToolTip(result.sentence);
    updateButtons();
}

void StoragePanel::setSession(ConsoleSession *session)
{
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        disconnect(m_session->storage(), nullptr, this, nullptr);
        disconnect(m_session->storage(), nullptr, m_kube, nullptr);
    }
    m_session = session;
    reset();
    if (!session)
        return;
    setDemo(session->demo() != nullptr);
    StorageSession *storage = session->storage();
    connect(session, &ConsoleSession::snapshotReady, this, &StoragePanel::setSnapshot);
    connect(storage, &StorageSession::storageReady, this, &StoragePanel::setStorage);
    connect(storage, &StorageSession::reclaimStepChanged, this, &StoragePanel::setStep);
    connect(storage, &StorageSession::fillProgress, this, &StoragePanel::setFillProgress);
    connect(storage, &StorageSession::kubeVolumesReady, m_kube, &KubeVolumesView::setVolumes);
    connect(storage, &StorageSession::kubeUnavailable, m_kube, &KubeVolumesView::setUnavailable);
    storage->refreshKube();
}

#include "backups/BackupsPanel.h"

#include "common/Format.h"
#include "dialogs/Confirm.h"
#include "dialogs/PlanDialog.h"
#include "session/BackupSession.h"
#include "session/ConsoleSession.h"
#include "widgets/TableColumns.h"

#include <QDateTime>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QString age(const QDateTime &time)
{
    const qint64 s = time.secsTo(QDateTime::currentDateTimeUtc());
    if (s < 120)
        return QObject::tr("%1 s").arg(s);
    if (s < 2 * 3600)
        return QObject::tr("%1 min").arg(s / 60);
    if (s < 2 * 86400)
        return QObject::tr("%1 h").arg(s / 3600);
    return QObject::tr("%1 days").arg(s / 86400);
}

QColor stateColor(BackupVerification::State state)
{
    switch (state) {
    case BackupVerification::State::Verified:
        return QColor(0x2e, 0x7d, 0x32);
    case BackupVerification::State::Failed:
        return QColor(0xc6, 0x28, 0x28);
    case BackupVerification::State::HashChecked:
        return QColor(0xb2, 0x6a, 0x00);
    case BackupVerification::State::None:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

} // namespace

BackupsPanel::BackupsPanel(QWidget *parent)
    : QWidget(parent)
    , m_headline(new QLabel(this))
    , m_backUp(new QPushButton(tr("Back up &now"), this))
    , m_verify(new QPushButton(tr("V&erify"), this))
    , m_restore(new QPushButton(tr("Re&store…"), this))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_everyHours(new QSpinBox(this))
    , m_keep(new QSpinBox(this))
    , m_applySchedule(new QPushButton(tr("Apply schedule"), this))
    , m_scheduleNote(new QLabel(this))
{
    setObjectName(QStringLiteral("backupsPanel"));
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_backUp->setToolTip(tr("Stream a snapshot from the most up-to-date follower, then verify it by restoring it "
                            "into a throw-away member"));
    m_verify->setToolTip(tr("Check the selected backup's hashes and restore it into a throw-away member"));
    m_restore->setToolTip(tr("Demo: put the selected backup back into every member. Real cluster: the commands "
                             "to run on each member's host"));

    m_table->setAccessibleName(tr("Backups"));
    m_table->setHorizontalHeaderLabels(
        {tr("Time (UTC)"), tr("Age"), tr("Revision"), tr("Size"), tr("Source"), tr("State"), tr("File")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    TableColumns::fit(m_table, File);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &BackupsPanel::updateButtons);

    m_everyHours->setRange(0, 168);
    m_everyHours->setSuffix(tr(" h"));
    m_everyHours->setSpecialValueText(tr("never"));
    m_keep->setRange(1, 1000);
    m_keep->setValue(14);
    m_scheduleNote->setWordWrap(true);
    m_scheduleNote->setText(tr("While the console is open. On a server, the package's "
                               "quorumdeck-backup@PROFILE.timer does the same without it."));

    auto *top = new QHBoxLayout;
    top->addWidget(m_headline, 1);
    top->addWidget(m_backUp);
    top->addWidget(m_verify);
    top->addWidget(m_restore);

    auto *schedule = new QGroupBox(tr("Schedule"), this);
    auto *scheduleRow = new QHBoxLayout;
    scheduleRow->addWidget(new QLabel(tr("Back up every"), schedule));
    scheduleRow->addWidget(m_everyHours);
    scheduleRow->addWidget(new QLabel(tr("and keep the newest"), schedule));
    scheduleRow->addWidget(m_keep);
    scheduleRow->addStretch(1);
    scheduleRow->addWidget(m_applySchedule);
    auto *scheduleLayout = new QVBoxLayout(schedule);
    scheduleLayout->addLayout(scheduleRow);
    scheduleLayout->addWidget(m_scheduleNote);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(schedule);

    connect(m_backUp, &QPushButton::clicked, this, &BackupsPanel::backUpNow);
    connect(m_verify, &QPushButton::clicked, this, [this] {
        if (m_session && !selectedPath().isEmpty())
            m_session->backups()->verify(selectedPath());
    });
    connect(m_restore, &QPushButton::clicked, this, &BackupsPanel::askRestoreSelected);
    connect(m_applySchedule, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->backups()->setSchedule(BackupSchedule {m_everyHours->value(), m_keep->value()});
    });
    reload();
}

void BackupsPanel::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    if (m_session && m_session->backups())
        disconnect(m_session->backups(), nullptr, this, nullptr);
    m_session = session;
    if (session) {
        connect(session->backups(), &BackupSession::backupsChanged, this, &BackupsPanel::reload);
        connect(session, &ConsoleSession::busyChanged, this, &BackupsPanel::updateButtons);
        m_everyHours->setValue(session->backups()->schedule().everyHours);
        m_keep->setValue(session->backups()->schedule().keep);
    }
    reload();
}

QString BackupsPanel::headline() const
{
    return m_headline->text();
}

void BackupsPanel::reload()
{
    const QString selected = selectedPath();
    m_table->setRowCount(0);
    BackupSession *backups = m_session ? m_session->backups() : nullptr;
    if (!backups || backups->directory().isEmpty()) {
        m_headline->setText(tr("The backups appear once the cluster has answered."));
        updateButtons();
        return;
    }
    const QList<BackupEntry> &entries = backups->backups();
    m_table->setRowCount(int(entries.size()));
    for (int row = 0; row < entries.size(); ++row) {
        const BackupEntry &e = entries.at(row);
        auto set = [&](int column, const QString &text) {
            auto *item = new QTableWidgetItem(text);
            item->setData(Qt::UserRole, e.path);
            item->setToolTip(column == File ? e.path : text);
            m_table->setItem(row, column, item);
        };
        set(File, QFileInfo(e.path).fileName());
        if (!e.manifest) {
            set(State, e.problem);
            continue;
        }
        const BackupManifest &m = *e.manifest;
        set(Time, m.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        set(Age, age(m.time));
        set(Revision, QString::number(m.revision));
        set(Size, Format::bytes(m.size));
        set(Source, m.sourceName.isEmpty() ? m.sourceId : m.sourceName);
        set(State, BackupVerification::stateName(m.verification.state));
        m_table->item(row, State)->setForeground(stateColor(m.verification.state));
        if (!m.verification.sentence.isEmpty())
            m_table->item(row, State)->setToolTip(m.verification.sentence);
        if (e.path == selected)
            m_table->selectRow(row);
    }
    const BackupEntry *newest = backups->newestVerified();
    const QString count = entries.size() == 1 ? tr("1 backup") : tr("%1 backups").arg(entries.size());
    if (entries.isEmpty())
        m_headline->setText(tr("No backups of this cluster yet in %1.").arg(backups->directory()));
    else if (!newest)
        m_headline->setText(tr("%1 in %2; none verified yet.").arg(count, backups->directory()));
    else
        m_headline->setText(tr("%1 in %2; the newest verified is %3 old (revision %4).")
                                .arg(count, backups->directory(), age(newest->manifest->time))
                                .arg(newest->manifest->revision));
    updateButtons();
}

void BackupsPanel::backUpNow()
{
    if (m_session && m_backUp->isEnabled())
        m_session->backups()->backUpNow();
}

QString BackupsPanel::selectedPath() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(Qt::UserRole).toString();
}

void BackupsPanel::updateButtons()
{
    const bool connected = m_session && !m_session->backups()->directory().isEmpty();
    const bool idle = connected && !m_session->isBusy();
    m_backUp->setEnabled(idle);
    m_verify->setEnabled(idle && !selectedPath().isEmpty());
    m_restore->setEnabled(idle && !selectedPath().isEmpty());
    m_applySchedule->setEnabled(connected);
}

void BackupsPanel::askRestoreSelected()
{
    const QString path = selectedPath();
    if (!m_session || path.isEmpty())
        return;
    BackupSession *backups = m_session->backups();
    const auto entry = std::find_if(
        backups->backups().begin(), backups->backups().end(), [&path](const BackupEntry &e) { return e.path == path; });
    const qint64 revision = entry != backups->backups().end() && entry->manifest ? entry->manifest->revision : 0;
    if (backups->isDemo()) {
        Confirm::ask(this, tr("Restore the demo cluster"),
            tr("Restore every member of the demo from %1 (revision %2)?\n\nEvery write after revision %2 is lost. "
               "The members stop while it runs; their current data directories are kept beside the new ones.")
                .arg(QFileInfo(path).fileName())
                .arg(revision),
            [this, path](bool yes) {
                if (yes && m_session)
                    m_session->backups()->restoreDemo(path);
            });
        return;
    }
    const Result<RestorePlan> plan = backups->restorePlan(path);
    if (!plan) {
        m_headline->setText(tr("No restore plan: %1").arg(plan.problem()));
        return;
    }
    QList<PlanDialog::Section> sections;
    for (const RestoreHost &h : plan->hosts) {
        QString commands;
        for (const RestoreStep &c : h.commands)
            commands += QStringLiteral("# %1\n%2\n").arg(c.what, c.shell);
        sections << PlanDialog::Section {tr("On %1 (%2)").arg(h.name, h.peerUrl), commands.trimmed()};
    }
    QString outro = tr("Once every member runs, check:");
    for (const QString &c : plan->checks)
        outro += QStringLiteral("\n  • ") + c;
    for (const QString &n : plan->notes)
        outro += QStringLiteral("\n\n") + tr("Note: %1").arg(n);
    auto *dialog = new PlanDialog(tr("Restore plan"),
        tr("Restore %1 (revision %2) on every member's host, one host after another. Copy the file to each host "
           "first; every member starts from the same file, with the new cluster token %3.")
            .arg(plan->file)
            .arg(plan->revision)
            .arg(plan->token),
        sections, outro, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

#include "window/QuorumLossBanner.h"

#include "dialogs/Confirm.h"
#include "dialogs/PlanDialog.h"
#include "session/BackupSession.h"
#include "session/ConsoleSession.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

QuorumLossBanner::QuorumLossBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_plan(new QPushButton(tr("Recovery plan…"), this))
    , m_rebuild(new QPushButton(this))
{
    setObjectName(QStringLiteral("quorumLossBanner"));
    // Red means state, and this is the worst one.
    setStyleSheet(QStringLiteral("#quorumLossBanner { background: #fdecea; border: 1px solid #c62828; "
                                 "border-radius: 4px; } #quorumLossBanner QLabel { color: #8e1c1c; }"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plan->setToolTip(tr("The ways out and the commands, host by host, that rebuild the cluster from one member"));
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_plan, 0, Qt::AlignTop);
    layout->addWidget(m_rebuild, 0, Qt::AlignTop);
    connect(m_plan, &QPushButton::clicked, this, &QuorumLossBanner::showPlan);
    connect(m_rebuild, &QPushButton::clicked, this, &QuorumLossBanner::askRebuild);
    hide();
}

void QuorumLossBanner::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_lostFor.invalidate();
    m_lastSeen.clear();
    hide();
    if (session)
        connect(session, &ConsoleSession::snapshotReady, this, &QuorumLossBanner::onSnapshot);
}

QString QuorumLossBanner::text() const
{
    return m_text->text();
}

void QuorumLossBanner::onSnapshot(const ClusterSnapshot &snapshot)
{
    for (const MemberState &m : snapshot.members())
        if (m.reachable)
            m_lastSeen.insert(m.id, {m.raftIndex, m.revision});
    if (snapshot.hasQuorum() || !m_session) {
        m_lostFor.invalidate();
        hide();
        return;
    }
    if (!m_lostFor.isValid())
        m_lostFor.start();
    if (m_lostFor.elapsed() < kShowAfterMs)
        return;
    const Result<RecoveryPlan> plan = m_session->backups()->recoveryPlan();
    const qint64 seconds = m_lostFor.elapsed() / 1000;
    int voters = 0;
    QStringList answering;
    QStringList lost;
    for (const MemberState &m : snapshot.members()) {
        if (!m.isVoter())
            continue;
        ++voters;
        if (m.reachable)
            answering << tr("%1 (raft index %2, revision %3)").arg(m.displayName()).arg(m.raftIndex).arg(m.revision);
        else if (const auto seen = m_lastSeen.constFind(m.id); seen != m_lastSeen.cend())
            lost << tr("%1 (last seen at raft index %2, revision %3)")
                        .arg(m.displayName())
                        .arg(seen->first)
                        .arg(seen->second);
        else
            lost << tr("%1 (not seen since the console connected)").arg(m.displayName());
    }
    QString text
        = tr("<b>Quorum lost for %1 s:</b> %2 of %3 voters answer").arg(seconds).arg(answering.size()).arg(voters);
    text += answering.isEmpty()
        ? QStringLiteral(".")
        : QStringLiteral(" — ") + answering.join(QStringLiteral(", ")).toHtmlEscaped() + QLatin1Char('.');
    if (!lost.isEmpty())
        text += QLatin1Char(' ') + tr("Lost: %1.").arg(lost.join(QStringLiteral(", ")).toHtmlEscaped());
    m_from.clear();
    if (plan) {
        m_from = plan->from;
        text += QStringLiteral("<br>");
        QStringList options;
        for (const RecoveryOption &o : plan->options)
            options << tr("• %1 — loses %2").arg(o.what.toHtmlEscaped(), o.loses.toHtmlEscaped());
        text += options.join(QStringLiteral("<br>"));
    } else {
        text += QStringLiteral("<br>") + plan.problem().toHtmlEscaped();
    }
    m_text->setText(text);
    m_plan->setEnabled(plan.ok());
    const bool demo = m_session->backups()->isDemo() && !m_from.isEmpty();
    m_rebuild->setVisible(demo);
    m_rebuild->setText(tr("Rebuild from %1…").arg(m_from));
    m_rebuild->setEnabled(!m_session->isBusy());
    show();
}

void QuorumLossBanner::showPlan()
{
    if (!m_session)
        return;
    const Result<RecoveryPlan> plan = m_session->backups()->recoveryPlan();
    if (!plan)
        return;
    QString commands;
    for (const RecoveryStep &s : plan->steps)
        commands
            += QStringLiteral("# %1: %2\n%3\n\n")
                   .arg(s.host == QLatin1String("any") ? tr("anywhere") : tr("on %1").arg(s.host), s.what, s.shell);
    QString intro = tr("Rebuild from %1 (raft index %2, revision %3), in this order. Ways out, and what each loses:")
                        .arg(plan->from)
                        .arg(plan->raftIndex)
                        .arg(plan->revision);
    for (const RecoveryOption &o : plan->options)
        intro += QStringLiteral("\n  • ") + tr("%1 — loses %2").arg(o.what, o.loses);
    QString outro = tr("Once every member runs, check:");
    for (const QString &c : plan->checks)
        outro += QStringLiteral("\n  • ") + c;
    for (const QString &n : plan->notes)
        outro += QStringLiteral("\n\n") + tr("Note: %1").arg(n);
    auto *dialog = new PlanDialog(tr("Recovery plan"), intro,
        {PlanDialog::Section {tr("Rebuild from %1").arg(plan->from), commands.trimmed()}}, outro, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void QuorumLossBanner::askRebuild()
{
    if (!m_session || m_from.isEmpty())
        return;
    const QString from = m_from;
    Confirm::ask(this, tr("Rebuild the demo cluster"),
        tr("Rebuild the demo from %1?\n\nWhatever only the lost members held is lost; nothing %1 applied is. Every "
           "member stops; %1 starts once as a cluster of one, then each other member is added back with an empty "
           "data directory. The old data directories are kept.")
            .arg(from),
        [this, from](bool yes) {
            if (yes && m_session)
                m_session->backups()->recoverDemo(from);
        });
}

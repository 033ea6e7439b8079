#include "cli/StatusCommand.h"

#include "cli/TextTable.h"
#include "common/Format.h"
#include "common/MemberId.h"

void StatusCommand::start()
{
    if (!m_options.positional.isEmpty()) {
        fail(QStringLiteral("status takes no arguments"));
        return;
    }
    withSnapshot([this](const ClusterSnapshot &s) {
        if (m_options.json())
            printJson(s.toJson());
        else
            printOut(table(s));
        finish(s.isHealthy() ? 0 : 2);
    });
}

QString StatusCommand::table(const ClusterSnapshot &s)
{
    TextTable t({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("ROLE"), QStringLiteral("REACHABLE"),
        QStringLiteral("VERSION"), QStringLiteral("TERM"), QStringLiteral("RAFT INDEX"), QStringLiteral("APPLIED"),
        QStringLiteral("LAG"), QStringLiteral("DB SIZE"), QStringLiteral("IN USE"), QStringLiteral("LATENCY"),
        QStringLiteral("ENDPOINT"), QStringLiteral("ERRORS")});
    for (const MemberState &m : s.members()) {
        const bool r = m.reachable;
        t.addRow({MemberId::toHex(m.id), m.name.isEmpty() ? QStringLiteral("(unstarted)") : m.name,
            memberRoleName(m.role), r ? QStringLiteral("yes") : QStringLiteral("NO"), r ? m.version : QString(),
            r ? QString::number(m.term) : QString(), r ? QString::number(m.raftIndex) : QString(),
            r ? QString::number(m.appliedIndex) : QString(), r ? QString::number(m.lag) : QString(),
            r ? Format::bytes(m.dbSize) : QString(), r ? Format::bytes(m.dbSizeInUse) : QString(),
            Format::millis(m.latencyMs), m.clientUrls.value(0), m.errors.join(QStringLiteral("; "))});
    }
    const MemberState *leader = s.leader();
    QString summary = QStringLiteral("%1 · leader %2 · term %3")
                          .arg(s.quorum().describe(), leader ? leader->displayName() : QStringLiteral("NONE"))
                          .arg(s.term());
    if (s.disagreement())
        summary += QStringLiteral("\nmembers disagree: %1").arg(s.disagreementDetail());
    return t.toString() + summary + QLatin1Char('\n');
}

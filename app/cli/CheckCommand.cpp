#include "cli/CheckCommand.h"

#include "cli/TextTable.h"
#include "cluster/ConsistencyCheck.h"
#include "common/MemberId.h"

void CheckCommand::start()
{
    if (m_options.positional != QStringList {QStringLiteral("consistency")}) {
        fail(QStringLiteral("usage: quorumdeck check consistency"));
        return;
    }
    withSnapshot([this](const ClusterSnapshot &s) {
        auto *check = new ConsistencyCheck(client(), this);
        connect(check, &ConsistencyCheck::finished, this, [this](const ConsistencyReport &r) {
            if (m_options.json())
                printJson(r.toJson());
            else
                printOut(table(r));
            // The verdict is the outcome itself, so it goes to stdout in both formats; a
            // script reads the exit code.
            finish(r.exitCode());
        });
        if (!m_options.json())
            printErr(QStringLiteral("hashing the keyspace of each voting member …\n"));
        check->start(s);
    });
}

QString CheckCommand::table(const ConsistencyReport &report)
{
    TextTable t(
        {QStringLiteral("MEMBER"), QStringLiteral("ID"), QStringLiteral("REVISION"), QStringLiteral("COMPACT REVISION"),
            QStringLiteral("HASH"), QStringLiteral("HASH REVISION"), QStringLiteral("")});
    for (const MemberHash &m : report.members) {
        const QString current = m.currentRevision > 0 ? QString::number(m.currentRevision) : QStringLiteral("-");
        // etcd says -1 until the first compaction.
        QString compact = QStringLiteral("-");
        if (m.compactRevision > 0)
            compact = QString::number(m.compactRevision);
        else if (m.hashed())
            compact = QStringLiteral("none");
        if (m.hashed())
            t.addRow({m.name, MemberId::toHex(m.id), current, compact, QString::number(m.hash),
                QString::number(m.hashRevision), m.divergent ? QStringLiteral("DIVERGES") : QString()});
        else
            t.addRow(
                {m.name, MemberId::toHex(m.id), current, compact, QStringLiteral("-"), QStringLiteral("-"), m.error});
    }
    return t.toString() + report.sentence + QLatin1Char('\n');
}

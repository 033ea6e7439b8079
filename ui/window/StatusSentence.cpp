#include "window/StatusSentence.h"

#include <QCoreApplication>
#include <QStringList>

namespace StatusSentence {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("StatusSentence", text);
}
} // namespace

QString age(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min").arg(s / 60);
    if (s < 86400)
        return tr("%1 h").arg(s / 3600);
    return tr("%1 d").arg(s / 86400);
}

QString compose(const Facts &f)
{
    const ClusterSnapshot &s = f.snapshot;
    if (!s.isValid())
        return tr("Connecting…");
    QStringList items;
    int healthy = 0;
    for (const MemberState &m : s.members())
        healthy += m.reachable && m.errors.isEmpty();
    items << tr("%1/%2 healthy").arg(healthy).arg(s.members().size());
    if (const MemberState *leader = s.leader()) {
        items << (f.leaderSinceMs > 0
                ? tr("leader %1 for %2").arg(leader->displayName(), age(f.nowMs - f.leaderSinceMs))
                : tr("leader %1").arg(leader->displayName()));
    } else {
        items << tr("no leader");
    }
    if (f.consistency) {
        if (f.consistency->consistent())
            items << tr("consistent");
        else if (f.consistency->verdict == ConsistencyReport::Verdict::Divergent)
            items << tr("divergent: %1").arg(f.consistency->divergentNames().join(QStringLiteral(", ")));
    }
    if (f.backupsKnown) {
        items << (f.lastBackup ? tr("last backup %1 ago").arg(age(f.nowMs - f.lastBackup->toMSecsSinceEpoch()))
                               : tr("no backup yet"));
    }
    return items.join(QStringLiteral(" · "));
}

} // namespace StatusSentence

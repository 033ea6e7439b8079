#include "tools/RecoverCommand.h"

#include "backup/BackupCatalog.h"
#include "backup/RecoveryPlan.h"
#include "cluster/ClusterMonitor.h"
#include "common/MemberId.h"

#include <QFileInfo>

namespace {

const QString kDefaultDataDir = QStringLiteral("/var/lib/etcd");

/// "FILE (revision R)" of clusterId's newest verified backup in the default directory.
QString newestVerifiedBackup(uint64_t clusterId)
{
    for (const BackupEntry &e : BackupCatalog::list(BackupCatalog::defaultDirectory(MemberId::toHex(clusterId))))
        if (e.manifest && e.manifest->verification.state == BackupVerification::State::Verified)
            return QStringLiteral("%1 (revision %2)").arg(QFileInfo(e.path).fileName()).arg(e.manifest->revision);
    return {};
}

} // namespace

void RecoverCommand::start()
{
    if (m_options.positional.size() != 1 || m_options.positional.first() != QLatin1String("plan")) {
        fail(QStringLiteral("usage: quorumdeck recover plan [--from MEMBER] [--data-dir PATH]"));
        return;
    }
    if (const QString problem = m_options.resolveEndpoints(); !problem.isEmpty()) {
        fail(problem);
        return;
    }
    connect(
        monitor(), &ClusterMonitor::snapshotReady, this, [this](const ClusterSnapshot &s) { printPlan(s); },
        Qt::SingleShotConnection);
    monitor()->refresh();
}

void RecoverCommand::printPlan(const ClusterSnapshot &s)
{
    if (s.members().isEmpty()) {
        fail(QStringLiteral("no member answers, so the member list is unknown: start one member, then ask again"));
        return;
    }
    const QString dataDir = m_options.value(QStringLiteral("data-dir")).isEmpty()
        ? kDefaultDataDir
        : m_options.value(QStringLiteral("data-dir"));
    const Result<RecoveryPlan> plan = RecoveryPlan::make(RecoveryPlan::membersOf(s),
        m_options.value(QStringLiteral("from")), dataDir, RecoveryPlan::etcdctlFlags(m_options.settings),
        newestVerifiedBackup(s.clusterId()), QDateTime::currentDateTimeUtc());
    if (!plan) {
        fail(plan.problem());
        return;
    }
    if (m_options.json())
        printJson(plan->toJson());
    else
        printOut(plan->toText());
    finish(0);
}

#include "tools/RestoreCommand.h"

#include "backup/BackupManifest.h"
#include "backup/RestorePlan.h"
#include "cluster/ClusterMonitor.h"
#include "common/MemberId.h"

#include <QFileInfo>
#include <QJsonArray>

namespace {

const QString kDefaultDataDir = QStringLiteral("/var/lib/etcd");

} // namespace

void RestoreCommand::start()
{
    if (m_options.positional.size() != 2 || m_options.positional.first() != QLatin1String("plan")) {
        fail(QStringLiteral("usage: quorumdeck restore plan FILE [--data-dir PATH]"));
        return;
    }
    const QString file = m_options.positional.at(1);
    if (!QFileInfo(file).isFile()) {
        fail(QStringLiteral("%1: no such file").arg(file));
        return;
    }
    const Result<BackupManifest> manifest = BackupManifest::load(BackupManifest::manifestPathFor(file));
    if (!manifest) {
        fail(QStringLiteral("%1 (the plan needs the backup's manifest beside it)").arg(manifest.problem()));
        return;
    }
    // The live member list when the cluster answers; the manifest's otherwise.
    if (!m_options.resolveEndpoints().isEmpty()) {
        printPlan(manifest.value(), nullptr, QStringLiteral("no endpoints given"));
        return;
    }
    const BackupManifest m = manifest.value();
    connect(
        monitor(), &ClusterMonitor::snapshotReady, this,
        [this, m](const ClusterSnapshot &s) {
            if (s.anyAnswered() && s.endpointConflict().isEmpty())
                printPlan(m, &s, {});
            else
                printPlan(m, nullptr, QStringLiteral("the cluster does not answer"));
        },
        Qt::SingleShotConnection);
    monitor()->refresh();
}

void RestoreCommand::printPlan(const BackupManifest &manifest, const ClusterSnapshot *live, const QString &why)
{
    QList<BackupManifest::Member> members;
    QStringList notes;
    if (live) {
        for (const MemberState &m : live->members())
            members << BackupManifest::Member {MemberId::toHex(m.id), m.name, m.peerUrls, m.clientUrls};
        if (MemberId::toHex(live->clusterId()) != manifest.clusterId)
            notes << QStringLiteral("the backup comes from cluster %1, the members from cluster %2")
                         .arg(manifest.clusterId, MemberId::toHex(live->clusterId()));
    } else {
        members = manifest.members;
        notes << QStringLiteral("%1: the members are the backup's, as its manifest lists them").arg(why);
    }
    const QString dataDir = m_options.value(QStringLiteral("data-dir")).isEmpty()
        ? kDefaultDataDir
        : m_options.value(QStringLiteral("data-dir"));
    Result<RestorePlan> plan
        = RestorePlan::make(m_options.positional.at(1), manifest, members, dataDir, QDateTime::currentDateTimeUtc());
    if (!plan) {
        fail(plan.problem());
        return;
    }
    plan.value().notes = notes + plan->notes;
    if (m_options.json())
        printJson(plan->toJson());
    else
        printOut(plan->toText());
    finish(0);
}

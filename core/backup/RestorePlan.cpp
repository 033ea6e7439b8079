#include "backup/RestorePlan.h"

#include "backup/ShellLine.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QVersionNumber>

namespace {

RestoreStep step(const QString &what, const QStringList &argv, const QString &prefix = {})
{
    return {what, argv, prefix + ShellLine::join(argv)};
}

} // namespace

Result<RestorePlan> RestorePlan::make(const QString &file, const BackupManifest &manifest,
    const QList<BackupManifest::Member> &members, const QString &dataDir, const QDateTime &now)
{
    RestorePlan plan;
    plan.file = QFileInfo(file).fileName();
    plan.revision = manifest.revision;
    // Named after the backup, so the same backup always gives the same plan.
    plan.token = QStringLiteral("restore-%1").arg(QFileInfo(file).completeBaseName());
    // etcdutl took snapshot restore over from etcdctl in etcd 3.5.
    const QVersionNumber version = QVersionNumber::fromString(manifest.etcdVersion);
    plan.tool
        = !version.isNull() && version < QVersionNumber(3, 5) ? QStringLiteral("etcdctl") : QStringLiteral("etcdutl");

    QStringList cluster;
    QList<BackupManifest::Member> kept;
    for (const BackupManifest::Member &m : members) {
        if (m.name.isEmpty() || m.peerUrls.isEmpty()) {
            plan.notes << QStringLiteral("member %1 has no name or peer URL (added but never started): it is left "
                                         "out; add it again once the others are back")
                              .arg(m.id);
            continue;
        }
        cluster << m.name + QLatin1Char('=') + m.peerUrls.first();
        kept << m;
    }
    if (kept.isEmpty())
        return Error::invalid(QStringLiteral("no member with a name and a peer URL to restore"));
    plan.initialCluster = cluster.join(QLatin1Char(','));

    const QString aside
        = dataDir + QStringLiteral(".before-restore-") + now.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    for (const BackupManifest::Member &m : kept) {
        RestoreHost host;
        host.name = m.name;
        host.peerUrl = m.peerUrls.first();
        host.commands << RestoreStep {QStringLiteral("stop etcd"), {},
            QStringLiteral("systemctl stop etcd   # or move the etcd static pod manifest out of "
                           "/etc/kubernetes/manifests")};
        host.commands << step(QStringLiteral("move the data directory aside (kept, never deleted)"),
            {QStringLiteral("mv"), dataDir, aside});
        host.commands << step(QStringLiteral("restore the backup into a new data directory"),
            {plan.tool, QStringLiteral("snapshot"), QStringLiteral("restore"), plan.file, QStringLiteral("--name"),
                m.name, QStringLiteral("--initial-cluster"), plan.initialCluster,
                QStringLiteral("--initial-advertise-peer-urls"), host.peerUrl,
                QStringLiteral("--initial-cluster-token"), plan.token, QStringLiteral("--data-dir"), dataDir},
            plan.tool == QLatin1String("etcdctl") ? QStringLiteral("ETCDCTL_API=3 ") : QString());
        host.commands << RestoreStep {QStringLiteral("start etcd"), {},
            QStringLiteral("systemctl start etcd   # with --initial-cluster %1 and --initial-cluster-token %2")
                .arg(ShellLine::word(plan.initialCluster), plan.token)};
        plan.hosts << host;
    }
    plan.checks << QStringLiteral("quorumdeck status: one leader, every member answers (exit 0)")
                << QStringLiteral("every member reports revision %1 or later").arg(qMax<qint64>(plan.revision, 1))
                << QStringLiteral("HashKV agrees on every member at revision %1").arg(qMax<qint64>(plan.revision, 1))
                << QStringLiteral("the clients (API servers) reconnect; keys written after revision %1 are gone")
                       .arg(plan.revision);
    return plan;
}

QJsonObject RestorePlan::toJson() const
{
    QJsonArray hostList;
    for (const RestoreHost &h : hosts) {
        QJsonArray steps;
        for (const RestoreStep &c : h.commands) {
            QJsonObject step {{QStringLiteral("what"), c.what}, {QStringLiteral("shell"), c.shell}};
            if (!c.argv.isEmpty())
                step.insert(QStringLiteral("argv"), QJsonArray::fromStringList(c.argv));
            steps << step;
        }
        hostList << QJsonObject {
            {QStringLiteral("name"), h.name}, {QStringLiteral("peerURL"), h.peerUrl}, {QStringLiteral("steps"), steps}};
    }
    return {{QStringLiteral("file"), file}, {QStringLiteral("revision"), revision}, {QStringLiteral("token"), token},
        {QStringLiteral("initialCluster"), initialCluster}, {QStringLiteral("tool"), tool},
        {QStringLiteral("members"), hostList}, {QStringLiteral("notes"), QJsonArray::fromStringList(notes)},
        {QStringLiteral("checks"), QJsonArray::fromStringList(checks)}};
}

QString RestorePlan::toText() const
{
    QString out = QStringLiteral("Restore %1 (revision %2) on every member's host, one host after another:\n")
                      .arg(file)
                      .arg(revision);
    out += QStringLiteral("copy %1 to each host first; every member starts from the same file.\n").arg(file);
    for (const RestoreHost &h : hosts) {
        out += QStringLiteral("\n# on %1 (%2)\n").arg(h.name, h.peerUrl);
        for (const RestoreStep &c : h.commands)
            out += QStringLiteral("# %1\n%2\n").arg(c.what, c.shell);
    }
    for (const QString &n : notes)
        out += QStringLiteral("\nnote: %1\n").arg(n);
    out += QStringLiteral("\nOnce every member runs, check:\n");
    for (const QString &c : checks)
        out += QStringLiteral("  - %1\n").arg(c);
    return out;
}

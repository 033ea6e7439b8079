#include "backup/RecoveryPlan.h"

#include "backup/ShellLine.h"

#include <QFileInfo>
#include <QJsonArray>

namespace {

RecoveryStep command(const QString &host, const QString &what, const QStringList &argv)
{
    return {host, what, argv, ShellLine::join(argv)};
}

RecoveryStep byHand(const QString &host, const QString &what, const QString &shell)
{
    return {host, what, {}, shell};
}

QString entry(const RecoveryMember &m)
{
    return m.name + QLatin1Char('=') + m.peerUrl;
}

} // namespace

Result<RecoveryPlan> RecoveryPlan::make(const QList<RecoveryMember> &members, const QString &from,
    const QString &dataDir, const QStringList &etcdctlFlags, const QString &newestBackup, const QDateTime &now)
{
    RecoveryPlan plan;
    QList<RecoveryMember> known;
    for (const RecoveryMember &m : members) {
        if (m.name.isEmpty() || m.peerUrl.isEmpty()) {
            plan.notes << QStringLiteral("a member with peer URL %1 never started: it is left out")
                              .arg(m.peerUrl.isEmpty() ? QStringLiteral("(none)") : m.peerUrl);
            continue;
        }
        known << m;
    }
    plan.members = known;
    const RecoveryMember *survivor = nullptr;
    if (!from.isEmpty()) {
        for (const RecoveryMember &m : std::as_const(known))
            if (m.name == from)
                survivor = &m;
        if (!survivor)
            return Error::notFound(QStringLiteral("the cluster has no member named %1").arg(from));
    } else {
        for (const RecoveryMember &m : std::as_const(known))
            if (m.answers && !m.isLearner && (!survivor || m.raftIndex > survivor->raftIndex))
                survivor = &m;
        if (!survivor)
            return Error::unavailable(
                QStringLiteral("no voting member answers: name the member to rebuild from with --from"));
    }
    if (survivor->isLearner)
        return Error::invalid(QStringLiteral("%1 is a learner: rebuild from a voting member").arg(survivor->name));
    plan.from = survivor->name;
    plan.raftIndex = survivor->raftIndex;
    plan.revision = survivor->revision;
    if (!survivor->answers)
        plan.notes << QStringLiteral("%1 does not answer: its raft index is unknown, so the plan cannot tell whether "
                                     "another member holds more")
                          .arg(survivor->name);
    for (const RecoveryMember &m : std::as_const(known))
        if (m.answers && m.raftIndex > survivor->raftIndex)
            plan.notes << QStringLiteral("%1 holds more (raft index %2 against %3): rebuilding from %4 loses the "
                                         "difference")
                              .arg(m.name)
                              .arg(m.raftIndex)
                              .arg(survivor->raftIndex)
                              .arg(survivor->name);

    const QString stamp = now.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const QString aside = dataDir + QStringLiteral(".before-recover-") + stamp;
    const auto etcdctl = [&etcdctlFlags](const QString &endpoints, const QStringList &rest) {
        return QStringList {QStringLiteral("etcdctl"), QStringLiteral("--endpoints"), endpoints} + etcdctlFlags + rest;
    };

    for (const RecoveryMember &m : std::as_const(known))
        plan.steps << byHand(m.name, QStringLiteral("stop etcd (every host that still runs it)"),
            QStringLiteral("systemctl stop etcd   # or move the etcd static pod manifest out of "
                           "/etc/kubernetes/manifests"));
    plan.steps << command(survivor->name,
        QStringLiteral("copy the data directory aside (kept: it is what a rollback puts back)"),
        {QStringLiteral("cp"), QStringLiteral("-a"), dataDir, aside});
    plan.steps << byHand(survivor->name, QStringLiteral("start etcd once as a cluster of one, keeping its data"),
        QStringLiteral("etcd <its usual flags> --force-new-cluster   # or add the flag to the unit or the static pod "
                       "for this one start"));
    plan.steps << command(QStringLiteral("any"),
        QStringLiteral("check that %1 leads a cluster of one").arg(survivor->name),
        etcdctl(survivor->clientUrl,
            {QStringLiteral("member"), QStringLiteral("list"), QStringLiteral("-w"), QStringLiteral("table")}));
    plan.steps << byHand(survivor->name, QStringLiteral("restart etcd without --force-new-cluster"),
        QStringLiteral("systemctl restart etcd   # with --force-new-cluster removed again: left in, it rewrites "
                       "the membership at every start"));

    QStringList cluster {entry(*survivor)};
    QStringList endpoints {survivor->clientUrl};
    for (const RecoveryMember &m : std::as_const(known)) {
        if (m.name == survivor->name)
            continue;
        cluster << entry(m);
        QStringList add {
            QStringLiteral("member"), QStringLiteral("add"), m.name, QStringLiteral("--peer-urls=%1").arg(m.peerUrl)};
        // A learner comes back as a learner: the plan keeps the cluster's shape.
        if (m.isLearner)
            add << QStringLiteral("--learner");
        plan.steps << command(QStringLiteral("any"),
            m.isLearner ? QStringLiteral("add %1 back as a learner").arg(m.name)
                        : QStringLiteral("add %1 back").arg(m.name),
            etcdctl(endpoints.join(QLatin1Char(',')), add));
        plan.steps << command(m.name, QStringLiteral("move its old data directory aside (kept, never deleted)"),
            {QStringLiteral("mv"), dataDir, aside});
        plan.steps << byHand(m.name, QStringLiteral("start etcd with an empty data directory, joining the cluster"),
            QStringLiteral("systemctl start etcd   # with --initial-cluster %1 --initial-cluster-state existing")
                .arg(ShellLine::word(cluster.join(QLatin1Char(',')))));
        endpoints << m.clientUrl;
        plan.steps << command(QStringLiteral("any"),
            QStringLiteral("wait until %1 has caught up (its raft index reaches %2's) before the next member")
                .arg(m.name, survivor->name),
            etcdctl(endpoints.join(QLatin1Char(',')),
                {QStringLiteral("endpoint"), QStringLiteral("status"), QStringLiteral("-w"), QStringLiteral("table")}));
    }
    plan.initialCluster = cluster.join(QLatin1Char(','));

    plan.options << RecoveryOption {
        QStringLiteral("Wait for the lost members, or restart them"), QStringLiteral("nothing")};
    plan.options << RecoveryOption {
        QStringLiteral("Rebuild from %1 (raft index %2)").arg(survivor->name).arg(survivor->raftIndex),
        QStringLiteral("nothing %1 had applied; whatever only the lost members held").arg(survivor->name)};
    plan.options << RecoveryOption {newestBackup.isEmpty()
            ? QStringLiteral("Restore the newest verified backup (none is known to this console)")
            : QStringLiteral("Restore the newest verified backup, %1").arg(newestBackup),
        QStringLiteral("every write after the backup's revision")};

    plan.checks << QStringLiteral("quorumdeck status: one leader, every member a voter that answers (exit 0)")
                << QStringLiteral("etcdctl endpoint hashkv --cluster: one hash on every member")
                << QStringLiteral("the clients (API servers) reconnect");
    return plan;
}

QList<RecoveryMember> RecoveryPlan::membersOf(const ClusterSnapshot &snapshot)
{
    QList<RecoveryMember> members;
    for (const MemberState &m : snapshot.members())
        members << RecoveryMember {
            m.name, m.peerUrls.value(0), m.clientUrls.value(0), m.isLearner, m.reachable, m.raftIndex, m.revision};
    return members;
}

QStringList RecoveryPlan::etcdctlFlags(const ConnectionSettings &settings)
{
    QStringList flags;
    if (!settings.tls.caFile.isEmpty())
        flags << QStringLiteral("--cacert") << QFileInfo(settings.tls.caFile).absoluteFilePath();
    if (!settings.tls.certFile.isEmpty())
        flags << QStringLiteral("--cert") << QFileInfo(settings.tls.certFile).absoluteFilePath();
    if (!settings.tls.keyFile.isEmpty())
        flags << QStringLiteral("--key") << QFileInfo(settings.tls.keyFile).absoluteFilePath();
    if (!settings.user.isEmpty())
        flags << QStringLiteral("--user") << settings.user;
    return flags;
}

QJsonObject RecoveryPlan::toJson() const
{
    QJsonArray memberList;
    for (const RecoveryMember &m : members)
        memberList << QJsonObject {{QStringLiteral("name"), m.name}, {QStringLiteral("peerURL"), m.peerUrl},
            {QStringLiteral("clientURL"), m.clientUrl}, {QStringLiteral("answers"), m.answers},
            {QStringLiteral("raftIndex"), qint64(m.raftIndex)}, {QStringLiteral("revision"), m.revision},
            {QStringLiteral("isLearner"), m.isLearner}};
    QJsonArray stepList;
    for (const RecoveryStep &s : steps) {
        QJsonObject step {
            {QStringLiteral("host"), s.host}, {QStringLiteral("what"), s.what}, {QStringLiteral("shell"), s.shell}};
        if (!s.argv.isEmpty())
            step.insert(QStringLiteral("argv"), QJsonArray::fromStringList(s.argv));
        stepList << step;
    }
    QJsonArray optionList;
    for (const RecoveryOption &o : options)
        optionList << QJsonObject {{QStringLiteral("what"), o.what}, {QStringLiteral("loses"), o.loses}};
    return {{QStringLiteral("from"), from}, {QStringLiteral("raftIndex"), qint64(raftIndex)},
        {QStringLiteral("revision"), revision}, {QStringLiteral("initialCluster"), initialCluster},
        {QStringLiteral("members"), memberList}, {QStringLiteral("options"), optionList},
        {QStringLiteral("steps"), stepList}, {QStringLiteral("notes"), QJsonArray::fromStringList(notes)},
        {QStringLiteral("checks"), QJsonArray::fromStringList(checks)}};
}

QString RecoveryPlan::toText() const
{
    QString out = QStringLiteral("The members as last seen:\n");
    for (const RecoveryMember &m : members)
        out += m.answers ? QStringLiteral("  %1  answers  raft index %2  revision %3\n")
                               .arg(m.name.leftJustified(12))
                               .arg(m.raftIndex)
                               .arg(m.revision)
                         : QStringLiteral("  %1  does not answer\n").arg(m.name.leftJustified(12));
    out += QStringLiteral("\nWays out, and what each loses:\n");
    for (const RecoveryOption &o : options)
        out += QStringLiteral("  - %1: loses %2\n").arg(o.what, o.loses);
    out += QStringLiteral("\nRebuild from %1, in this order:\n").arg(from);
    for (const RecoveryStep &s : steps)
        out += QStringLiteral("\n# %1: %2\n%3\n")
                   .arg(s.host == QLatin1String("any") ? QStringLiteral("anywhere") : QStringLiteral("on ") + s.host,
                       s.what, s.shell);
    for (const QString &n : notes)
        out += QStringLiteral("\nnote: %1\n").arg(n);
    out += QStringLiteral("\nOnce every member runs, check:\n");
    for (const QString &c : checks)
        out += QStringLiteral("  - %1\n").arg(c);
    return out;
}

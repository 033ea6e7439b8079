#include "tools/DemoCommand.h"

#include "backup/DemoRecover.h"
#include "backup/DemoRestore.h"
#include "backup/DemoRollback.h"

#include "cli/TextTable.h"
#include "cluster/Preflight.h"
#include "common/Format.h"
#include "common/MemberId.h"
#include "demo/LocalCluster.h"
#include "storage/DatabaseFiller.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>

LocalCluster *DemoCommand::cluster()
{
    if (!m_cluster) {
        m_cluster = new LocalCluster(this);
        connect(
            m_cluster, &LocalCluster::progress, this, [this](const QString &s) { printErr(s + QLatin1Char('\n')); });
    }
    return m_cluster;
}

void DemoCommand::start()
{
    const QStringList args = m_options.positional;
    const QString sub = args.value(0);
    if (sub.isEmpty())
        return fail(QStringLiteral(
            "demo needs up, down, status, fill, restore, recover, stop, kill, pause, resume or restart"));
    // The command and its arguments are checked before the directory is read, so that a
    // typo is reported as one whether or not a demo cluster exists.
    const auto action = LocalCluster::actionFromName(sub);
    const bool known = action || sub == QLatin1String("up") || sub == QLatin1String("down")
        || sub == QLatin1String("status") || sub == QLatin1String("fill") || sub == QLatin1String("restore")
        || sub == QLatin1String("recover");
    if (!known)
        return fail(QStringLiteral("unknown demo command \"%1\"; see quorumdeck --help").arg(sub));
    const bool rollback = m_options.isSet(QStringLiteral("rollback"));
    if (rollback && sub != QLatin1String("restore") && sub != QLatin1String("recover"))
        return fail(QStringLiteral("--rollback applies to demo restore and demo recover only"));
    if (m_options.isSet(QStringLiteral("from")) && sub != QLatin1String("recover"))
        return fail(QStringLiteral("--from applies to demo recover only"));
    const bool takesArgument = action || (sub == QLatin1String("restore") && !rollback);
    const bool recoverWithoutWhat
        = sub == QLatin1String("recover") && rollback == m_options.isSet(QStringLiteral("from"));
    if (args.size() != (takesArgument ? 2 : 1) || recoverWithoutWhat) {
        static const QHash<QString, QString> usage {
            {QStringLiteral("up"), QStringLiteral("up [--dir DIR] [--members N] [--etcd PATH]")},
            {QStringLiteral("down"), QStringLiteral("down [--dir DIR]")},
            {QStringLiteral("status"), QStringLiteral("status [--dir DIR]")},
            {QStringLiteral("fill"), QStringLiteral("fill [--size SIZE] [--dir DIR]")},
            {QStringLiteral("restore"), QStringLiteral("restore FILE | restore --rollback [--dir DIR]")},
            {QStringLiteral("recover"), QStringLiteral("recover --from MEMBER | recover --rollback [--dir DIR]")},
        };
        return fail(QStringLiteral("usage: quorumdeck demo %1")
                        .arg(usage.value(sub, sub + QStringLiteral(" MEMBER [--dir DIR]"))));
    }
    if (sub == QLatin1String("up"))
        return up();
    for (const char *flag : {"members", "etcd", "base-port", "quota", "tls", "auth", "auth-token-ttl"}) {
        if (m_options.isSet(QString::fromLatin1(flag)))
            return fail(QStringLiteral("--%1 applies to demo up only").arg(QLatin1String(flag)));
    }
    if (m_options.isSet(QStringLiteral("size")) && sub != QLatin1String("fill"))
        return fail(QStringLiteral("--size applies to demo fill only"));
    if (const Result<void> attached = cluster()->attach(m_options.dir); !attached)
        return fail(attached.error().describe());
    if (sub == QLatin1String("down"))
        cluster()->down([this](const OperationResult &r) { finishWith(r); });
    else if (sub == QLatin1String("status"))
        status();
    else if (sub == QLatin1String("fill"))
        fill();
    else if (rollback)
        rollBack(sub);
    else if (sub == QLatin1String("restore"))
        restore(args.at(1));
    else if (sub == QLatin1String("recover"))
        recover(m_options.value(QStringLiteral("from")));
    else
        act(args.at(1), *action);
}

void DemoCommand::act(const QString &member, LocalCluster::MemberAction action)
{
    auto perform = [this, action](const QString &name) {
        cluster()->memberAction(name, action, [this, action, name](const OperationResult &r) {
            const bool rejoins
                = action == LocalCluster::MemberAction::Resume || action == LocalCluster::MemberAction::Restart;
            if (!r.ok() || !rejoins)
                return finishWith(r);
            finishOnceFollowing(name, r);
        });
    };
    if (cluster()->manifest().member(member) || !MemberId::fromHex(member)) {
        perform(member);
        return;
    }
    // A member id: the cluster knows which demo member has it.
    m_options.dirGiven = true;
    withSnapshot([this, member, perform](const ClusterSnapshot &s) {
        const MemberState *m = s.findMember(member);
        if (!m || m->name.isEmpty())
            return fail(QStringLiteral("no demo member has the id %1; see quorumdeck member list").arg(member));
        perform(m->name);
    });
}

void DemoCommand::finishOnceFollowing(const QString &name, const OperationResult &r)
{
    // The demo's own endpoints and credentials, whichever way the member was named.
    m_options.dir = cluster()->directory();
    m_options.dirGiven = true;
    if (const QString e = m_options.resolveEndpoints(); !e.isEmpty())
        return fail(e);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    waitUntilFollowing(
        {name}, kRejoinDeadlineMs, [this, name, r, clock](const ClusterSnapshot &s, const QStringList &notYet) {
            if (!notYet.isEmpty()) {
                const MemberState *m = s.findMember(name);
                const QString why = !m    ? QStringLiteral("it is not in the member list")
                    : !s.hasLeader()      ? QStringLiteral("the cluster has no leader")
                    : m->errors.isEmpty() ? QStringLiteral("it answers with another leader or term")
                                          : m->errors.join(QStringLiteral("; "));
                return fail(QStringLiteral("%1, but it has not answered with the cluster's leader within %2 s: %3")
                                .arg(r.sentence)
                                .arg(kRejoinDeadlineMs / 1000)
                                .arg(why));
            }
            OperationResult back = r;
            const MemberState *leader = s.leader();
            back.sentence = QStringLiteral("%1; it answers with the cluster's leader %2 again")
                                .arg(r.sentence, leader ? leader->displayName() : QString());
            back.details.insert(QStringLiteral("followsLeaderAfterMs"), clock->elapsed());
            finishWith(back);
        });
}

void DemoCommand::up()
{
    LocalClusterOptions options;
    options.dir = m_options.dir;
    options.etcdPath = m_options.value(QStringLiteral("etcd"));
    if (m_options.isSet(QStringLiteral("members"))) {
        bool ok = false;
        options.members = m_options.value(QStringLiteral("members")).toInt(&ok);
        if (!ok)
            return fail(QStringLiteral("--members takes a number from 1 to %1").arg(LocalCluster::kMaxMembers));
    }
    if (m_options.isSet(QStringLiteral("base-port"))) {
        bool ok = false;
        const int port = m_options.value(QStringLiteral("base-port")).toInt(&ok);
        if (!ok || port < 1024 || port > 65000)
            return fail(QStringLiteral("--base-port takes a port from 1024 to 65000"));
        options.basePort = quint16(port);
    }
    if (m_options.isSet(QStringLiteral("quota"))) {
        options.quotaBytes = Format::parseBytes(m_options.value(QStringLiteral("quota")));
        if (options.quotaBytes <= 0)
            return fail(QStringLiteral("--quota takes a size such as 16MiB"));
    }
    // The peer proxies must outlive this command: a helper process runs them.
    options.networkHost = LocalClusterOptions::NetworkHost::Helper;
    options.helperProgram = QCoreApplication::applicationFilePath();
    options.tls = m_options.isSet(QStringLiteral("tls"));
    options.auth = m_options.isSet(QStringLiteral("auth"));
    if (m_options.isSet(QStringLiteral("auth-token-ttl"))) {
        bool ok = false;
        options.authTokenTtlSeconds = m_options.value(QStringLiteral("auth-token-ttl")).toInt(&ok);
        if (!ok || options.authTokenTtlSeconds <= 0)
            return fail(QStringLiteral("--auth-token-ttl takes a number of seconds"));
    }
    m_starting = true;
    cluster()->up(options, [this](const OperationResult &r) {
        if (!m_starting)
            return; // interrupted: interrupt() finishes the command once all is down
        m_starting = false;
        if (!r.ok())
            return fail(r.sentence);
        const ClusterManifest &m = cluster()->manifest();
        const QString password = r.details.value(QStringLiteral("rootPassword")).toString();
        if (m_options.json()) {
            QJsonObject o = m.toJson();
            if (!password.isEmpty())
                o.insert(QStringLiteral("rootPassword"), password); // shown once, kept nowhere
            printJson(o);
        } else {
            if (!password.isEmpty())
                printOut(
                    QStringLiteral("authentication is on; the root user's password is\n\n    %1\n\nIt is shown "
                                   "this once and kept nowhere: keep it safe.%2\n\n")
                        .arg(password,
                            m.tls.enabled() ? QStringLiteral(" The client certificate (CN root) needs no password.")
                                            : QString()));
            const QString lb = m.lb.running() ? QStringLiteral("load balancer: %1 (stats %2, admin socket %3)\n")
                                                    .arg(m.lb.frontend, m.lb.statsUrl, m.lb.socketPath)
                                              : QStringLiteral("load balancer: none (%1)\n").arg(m.lb.unavailable);
            const QString tls = m.tls.enabled()
                ? QStringLiteral(" --cacert %1 --cert %2 --key %3").arg(m.tls.caFile, m.tls.certFile, m.tls.keyFile)
                : QString();
            printOut(QStringLiteral("%1\nendpoints: %2\n%4directory: %3\n\nTry: quorumdeck status --dir %3\n"
                                    "     etcdctl --endpoints %2%5 member list\n")
                         .arg(r.sentence, m.endpoints().join(QLatin1Char(',')), m.dir, lb, tls));
        }
        finish(0);
    });
}

void DemoCommand::interrupt(int exitCode)
{
    if (!m_starting)
        return CliCommand::interrupt(exitCode);
    // Half a demo is of no use and would hold its ports: take down what was started.
    m_starting = false;
    printErr(QStringLiteral("interrupted: stopping what was started\n"));
    cluster()->cancel();
    cluster()->down([this, exitCode](const OperationResult &r) {
        if (!r.ok())
            printErr(r.sentence + QLatin1Char('\n'));
        finish(exitCode);
    });
}

void DemoCommand::status()
{
    const ClusterManifest &m = cluster()->manifest();
    auto stateName = [this](const QString &name) {
        switch (cluster()->memberState(name)) {
        case ProcessControl::State::Running:
            return QStringLiteral("running");
        case ProcessControl::State::Stopped:
            return QStringLiteral("paused");
        case ProcessControl::State::Gone:
            break;
        }
        return QStringLiteral("stopped");
    };
    bool allRunning = true;
    if (m_options.json()) {
        QJsonArray members;
        for (const LocalMember &member : m.members) {
            QJsonObject o = member.toJson();
            const QString state = stateName(member.name);
            allRunning = allRunning && state == QLatin1String("running");
            o.insert(QStringLiteral("process"), state);
            members.append(o);
        }
        QJsonObject o = m.toJson();
        o.insert(QStringLiteral("members"), members);
        printJson(o);
    } else {
        TextTable t({QStringLiteral("NAME"), QStringLiteral("PROCESS"), QStringLiteral("PID"),
            QStringLiteral("CLIENT URL"), QStringLiteral("PEER URL"), QStringLiteral("DATA DIR")});
        for (const LocalMember &member : m.members) {
            const QString state = stateName(member.name);
            allRunning = allRunning && state == QLatin1String("running");
            t.addRow(
                {member.name, state, QString::number(member.pid), member.clientUrl, member.peerUrl, member.dataDir});
        }
        printOut(t.toString() + QStringLiteral("directory: %1\n").arg(m.dir));
    }
    finish(allRunning ? 0 : 2);
}

void DemoCommand::restore(const QString &file)
{
    auto *restore = new DemoRestore(this);
    followSteps(restore, QStringLiteral("demo-restore"));
    // The command is the confirmation: scripts run it.
    restore->run(m_options.dir, file, {}, [this, file](const OperationResult &r) {
        // Before the restored cluster answers, the one the backup came from.
        journalRecovery(QStringLiteral("demo-restore"), file, r,
            MemberId::fromHex(QFileInfo(file).fileName().left(16)).value_or(0));
        finishWith(r);
    });
}

void DemoCommand::recover(const QString &survivor)
{
    auto *recover = new DemoRecover(this);
    followSteps(recover, QStringLiteral("demo-recover"));
    recover->run(m_options.dir, survivor, m_options.settings, [this, survivor](const OperationResult &r) {
        journalRecovery(QStringLiteral("demo-recover"), survivor, r, 0);
        finishWith(r);
    });
}

void DemoCommand::rollBack(const QString &operation)
{
    auto *rollback = new DemoRollback(this);
    const QString action = QStringLiteral("demo-%1-rollback").arg(operation);
    followSteps(rollback, action);
    rollback->run(m_options.dir, operation, [this, action](const OperationResult &r) {
        journalRecovery(action, {}, r, 0);
        finishWith(r);
    });
}

void DemoCommand::journalRecovery(
    const QString &action, const QString &target, const OperationResult &r, uint64_t fallback)
{
    const uint64_t clusterId
        = MemberId::fromHex(r.details.value(QStringLiteral("clusterId")).toString()).value_or(fallback);
    for (const OperatorAction &step : std::as_const(m_steps))
        journal(clusterId, step);
    m_steps.clear();
    journal(clusterId, action, target, r);
}

void DemoCommand::fill()
{
    qint64 budget = 0;
    if (m_options.isSet(QStringLiteral("size"))) {
        budget = Format::parseBytes(m_options.value(QStringLiteral("size")));
        if (budget <= 0)
            return fail(QStringLiteral("--size takes a size such as 8MiB"));
    }
    m_options.settings.endpoints = cluster()->manifest().endpoints();
    withSnapshot([this, budget](const ClusterSnapshot &s) {
        const QString endpoint = Preflight::writeEndpoint(s);
        if (endpoint.isEmpty())
            return fail(QStringLiteral("no voting member answers, so nothing can be written"));
        auto *filler = new DatabaseFiller(client(), this);
        connect(filler, &DatabaseFiller::progress, this, [this](qint64 written, int puts) {
            if (puts % 16 == 0)
                printErr(QStringLiteral("written %1\n").arg(Format::bytes(written)));
        });
        connect(filler, &DatabaseFiller::finished, this, [this, s](const OperationResult &r) {
            journal(s, QStringLiteral("demo-fill"), {}, r);
            finishWith(r);
        });
        filler->start(endpoint, budget);
    });
}

#include "tools/DemoNetCommand.h"

#include "cli/TextTable.h"
#include "cluster/ClusterMonitor.h"
#include "cluster/OperationResult.h"
#include "common/Format.h"
#include "demo/LocalCluster.h"
#include "demo/PeerProxyHost.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <memory>

namespace {

int intOption(const CliOptions &o, const char *name, int low, int high, bool *ok)
{
    const int v = o.value(QString::fromLatin1(name)).toInt(ok);
    *ok = *ok && v >= low && v <= high;
    return v;
}

} // namespace

void DemoNetCommand::start()
{
    const QStringList args = m_options.positional; // "net", verb, [member]
    const QString verb = args.value(1);
    const QStringList memberVerbs {
        QStringLiteral("isolate"), QStringLiteral("heal"), QStringLiteral("delay"), QStringLiteral("drop")};
    if (verb.isEmpty())
        return fail(QStringLiteral("demo net needs isolate, heal, delay, drop, status, clear or serve"));
    const bool known = memberVerbs.contains(verb) || verb == QLatin1String("status") || verb == QLatin1String("clear")
        || verb == QLatin1String("serve");
    if (!known)
        return fail(QStringLiteral("unknown demo net command \"%1\"; see quorumdeck --help").arg(verb));
    if ((m_options.isSet(QStringLiteral("ms")) || m_options.isSet(QStringLiteral("jitter")))
        && verb != QLatin1String("delay"))
        return fail(QStringLiteral("--ms and --jitter apply to demo net delay only"));
    if (m_options.isSet(QStringLiteral("percent")) && verb != QLatin1String("drop"))
        return fail(QStringLiteral("--percent applies to demo net drop only"));
    for (const char *flag :
        {"members", "etcd", "base-port", "quota", "tls", "auth", "auth-token-ttl", "size", "duration", "seed"}) {
        if (m_options.isSet(QString::fromLatin1(flag)))
            return fail(QStringLiteral("--%1 does not apply to demo net").arg(QLatin1String(flag)));
    }
    const bool takesMember = memberVerbs.contains(verb);
    if (args.size() != (takesMember ? 3 : 2)) {
        if (verb == QLatin1String("delay"))
            return fail(QStringLiteral("usage: quorumdeck demo net delay MEMBER --ms N [--jitter N] [--dir DIR]"));
        if (verb == QLatin1String("drop"))
            return fail(QStringLiteral("usage: quorumdeck demo net drop MEMBER --percent P [--dir DIR]"));
        return fail(takesMember ? QStringLiteral("usage: quorumdeck demo net %1 MEMBER [--dir DIR]").arg(verb)
                                : QStringLiteral("usage: quorumdeck demo net %1 [--dir DIR]").arg(verb));
    }
    m_cluster = new LocalCluster(this);
    if (const Result<void> attached = m_cluster->attach(m_options.dir); !attached)
        return fail(attached.error().describe());
    if (verb == QLatin1String("serve"))
        return serve();
    if (verb == QLatin1String("status"))
        return status();
    if (verb == QLatin1String("clear")) {
        m_cluster->clearNetworkFaults(
            [this](const OperationResult &r) { journalAndFinish(QStringLiteral("demo-net-clear"), {}, r); });
        return;
    }
    change(verb, args.at(2));
}

void DemoNetCommand::serve()
{
    ClusterManifest manifest = m_cluster->manifest();
    if (!manifest.network.enabled())
        return fail(QStringLiteral("the demo cluster in %1 was started without peer proxies").arg(manifest.dir));
    auto *host = new PeerProxyHost(this);
    if (const Result<void> started = host->start(manifest); !started)
        return fail(started.problem());
    const qint64 self = QCoreApplication::applicationPid();
    if (manifest.network.pid != self || manifest.network.host != QLatin1String("helper")) {
        // Started by hand to bring back proxies whose host is gone: `demo down` must find us.
        manifest.network.pid = self;
        manifest.network.host = QStringLiteral("helper");
        if (const Result<void> saved = manifest.save(); !saved)
            return fail(saved.error().describe());
        QFile pidFile(QDir(manifest.dir).filePath(QStringLiteral("network.pid")));
        if (pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
            pidFile.write(QByteArray::number(self) + '\n');
    }
    printErr(QStringLiteral("peer proxies for %1 of %2; control socket %3\n")
                 .arg(Format::count(host->state().size(), QStringLiteral("member"), QStringLiteral("members")),
                     manifest.dir, manifest.network.socketPath));
    connect(host, &PeerProxyHost::quitRequested, this, [this] { finish(0); });
}

void DemoNetCommand::status()
{
    m_cluster->networkRequest(
        {{QStringLiteral("op"), QStringLiteral("status")}}, [this](const Result<QJsonObject> &answer) {
            if (!answer)
                return fail(answer.error().describe());
            const QList<MemberNetwork> members
                = MemberNetwork::listFromJson(answer->value(QStringLiteral("members")).toArray());
            bool anyFault = false;
            for (const MemberNetwork &m : members)
                anyFault = anyFault || m.fault.any();
            const LocalNetwork &n = m_cluster->manifest().network;
            if (m_options.json()) {
                QJsonArray list;
                for (const MemberNetwork &m : members)
                    list.append(m.toJson());
                printJson({{QStringLiteral("members"), list}, {QStringLiteral("host"), n.host},
                    {QStringLiteral("pid"), n.pid}, {QStringLiteral("socket"), n.socketPath}});
            } else {
                TextTable t({QStringLiteral("NAME"), QStringLiteral("STATE"), QStringLiteral("FAULT"),
                    QStringLiteral("PROXY"), QStringLiteral("MEMBER PEER PORT"), QStringLiteral("CONNECTIONS")});
                for (const MemberNetwork &m : members)
                    t.addRow({m.member, m.state(), m.fault.describe(), QStringLiteral("127.0.0.1:%1").arg(m.proxyPort),
                        QString::number(m.targetPort), QString::number(m.connections)});
                printOut(t.toString()
                    + QStringLiteral("proxies run in the %1 (pid %2)\n")
                          .arg(n.host == QLatin1String("window") ? QStringLiteral("window") : QStringLiteral("helper"))
                          .arg(n.pid));
            }
            finish(anyFault ? 2 : 0);
        });
}

bool DemoNetCommand::nextFault(const QString &verb, NetworkFault *fault, QString *error) const
{
    bool ok = true;
    if (verb == QLatin1String("heal")) {
        *fault = {};
    } else if (verb == QLatin1String("isolate")) {
        fault->isolated = true;
    } else if (verb == QLatin1String("delay")) {
        if (!m_options.isSet(QStringLiteral("ms"))) {
            *error = QStringLiteral("demo net delay needs --ms N (0 lifts the delay)");
            return false;
        }
        fault->delayMs = intOption(m_options, "ms", 0, 60000, &ok);
        if (!ok) {
            *error = QStringLiteral("--ms takes a number of milliseconds from 0 to 60000");
            return false;
        }
        fault->jitterMs = 0;
        if (m_options.isSet(QStringLiteral("jitter"))) {
            fault->jitterMs = intOption(m_options, "jitter", 0, 60000, &ok);
            if (!ok) {
                *error = QStringLiteral("--jitter takes a number of milliseconds from 0 to 60000");
                return false;
            }
        }
    } else if (verb == QLatin1String("drop")) {
        if (!m_options.isSet(QStringLiteral("percent"))) {
            *error = QStringLiteral("demo net drop needs --percent P (0 stops dropping)");
            return false;
        }
        fault->dropPercent = intOption(m_options, "percent", 0, 100, &ok);
        if (!ok) {
            *error = QStringLiteral("--percent takes a number from 0 to 100");
            return false;
        }
    }
    return true;
}

void DemoNetCommand::change(const QString &verb, const QString &member)
{
    if (!m_cluster->manifest().member(member)) {
        QStringList names;
        for (const LocalMember &m : m_cluster->manifest().members)
            names << m.name;
        return fail(QStringLiteral("no demo member named \"%1\"; the members are %2")
                        .arg(member, names.join(QStringLiteral(", "))));
    }
    NetworkFault probe;
    QString error;
    if (!nextFault(verb, &probe, &error)) // the flags are checked before anything is asked
        return fail(error);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    // Faults add up (a delayed member may also drop), so start from the one in force.
    m_cluster->networkRequest(
        {{QStringLiteral("op"), QStringLiteral("status")}}, [=, this](const Result<QJsonObject> &answer) {
            if (!answer)
                return fail(answer.error().describe());
            NetworkFault fault;
            for (const MemberNetwork &m :
                MemberNetwork::listFromJson(answer->value(QStringLiteral("members")).toArray())) {
                if (m.member == member)
                    fault = m.fault;
            }
            QString e;
            nextFault(verb, &fault, &e);
            m_cluster->setNetworkFault(member, fault, [=, this](const OperationResult &r) {
                OperationResult result = r;
                result.details = {{QStringLiteral("member"), member}, {QStringLiteral("fault"), fault.toJson()},
                    {QStringLiteral("appliedInMs"), clock->elapsed()}};
                journalAndFinish(
                    QStringLiteral("demo-net-%1").arg(verb), member, result, verb == QLatin1String("heal"));
            });
        });
}

void DemoNetCommand::journalAndFinish(
    const QString &action, const QString &target, const OperationResult &r, bool waitForMember)
{
    if (!r.ok())
        return finishWith(r);
    // The journal files actions under the cluster's id, which one Status call tells.
    m_options.settings.endpoints = m_cluster->manifest().endpoints();
    m_options.useDemoCredentials(m_cluster->manifest());
    if (waitForMember) {
        // A healed member is done once it is back: answering with the cluster's leader.
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        waitUntilFollowing({target}, kRejoinDeadlineMs, [=, this](const ClusterSnapshot &s, const QStringList &notYet) {
            journal(s, action, target, r);
            if (!notYet.isEmpty())
                return fail(QStringLiteral("%1, but %2 has not answered with the cluster's leader within %3 s")
                                .arg(r.sentence, target)
                                .arg(kRejoinDeadlineMs / 1000));
            OperationResult back = r;
            back.details.insert(QStringLiteral("followsLeaderAfterMs"), clock->elapsed());
            finishWith(back);
        });
        return;
    }
    ClusterMonitor *m = monitor();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m, &ClusterMonitor::snapshotReady, this, [=, this](const ClusterSnapshot &s) {
        disconnect(*connection);
        journal(s, action, target, r);
        finishWith(r);
    });
    m->refresh();
}

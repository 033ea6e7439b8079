#include "cli/MemberCommand.h"

#include "cli/TextTable.h"
#include "cluster/MemberOps.h"
#include "cluster/PeerUrlValidator.h"
#include "common/MemberId.h"

#include <QJsonArray>

MemberOps *MemberCommand::ops()
{
    if (!m_ops) {
        m_ops = new MemberOps(client(), this);
        connect(m_ops, &MemberOps::progress, this, [this](const QString &s) { printErr(s + QLatin1Char('\n')); });
    }
    return m_ops;
}

void MemberCommand::start()
{
    const QStringList args = m_options.positional;
    const QString sub = args.value(0);
    auto needs = [&](int count, const char *usage) {
        if (args.size() == count)
            return true;
        fail(QStringLiteral("usage: quorumdeck member %1").arg(QLatin1String(usage)));
        return false;
    };
    if (sub == QLatin1String("list")) {
        if (needs(1, "list"))
            withSnapshot([this](const ClusterSnapshot &s) { list(s); });
    } else if (sub == QLatin1String("add")) {
        if (!needs(2, "add NAME --peer-urls URLS [--learner]"))
            return;
        if (!m_options.isSet(QStringLiteral("peer-urls"))) {
            fail(QStringLiteral("member add needs --peer-urls, for example --peer-urls http://10.0.0.4:2380"));
            return;
        }
        const QStringList urls = PeerUrlValidator::split(m_options.value(QStringLiteral("peer-urls")));
        const bool learner = m_options.isSet(QStringLiteral("learner"));
        withSnapshot([=, this](const ClusterSnapshot &s) {
            ops()->addMember(s, args.at(1), urls, learner, [=, this](const OperationResult &r) {
                journal(
                    s, learner ? QStringLiteral("member-add-learner") : QStringLiteral("member-add"), args.at(1), r);
                report(r);
            });
        });
    } else if (sub == QLatin1String("remove")) {
        if (!needs(2, "remove MEMBER [--force]"))
            return;
        const bool force = m_options.isSet(QStringLiteral("force"));
        withSnapshot([=, this](const ClusterSnapshot &s) {
            ops()->removeMember(s, args.at(1), force, [=, this](const OperationResult &r) {
                journal(s, QStringLiteral("member-remove"), args.at(1), r);
                report(r);
            });
        });
    } else if (sub == QLatin1String("promote")) {
        if (!needs(2, "promote MEMBER"))
            return;
        withSnapshot([=, this](const ClusterSnapshot &s) {
            ops()->promoteMember(s, args.at(1), [=, this](const OperationResult &r) {
                journal(s, QStringLiteral("member-promote"), args.at(1), r);
                report(r);
            });
        });
    } else {
        fail(QStringLiteral("member needs list, add, remove or promote"));
    }
}

void MemberCommand::list(const ClusterSnapshot &s)
{
    if (m_options.json()) {
        QJsonArray members;
        for (const MemberState &m : s.members()) {
            members.append(QJsonObject {{QStringLiteral("id"), MemberId::toHex(m.id)}, {QStringLiteral("name"), m.name},
                {QStringLiteral("peerURLs"), QJsonArray::fromStringList(m.peerUrls)},
                {QStringLiteral("clientURLs"), QJsonArray::fromStringList(m.clientUrls)},
                {QStringLiteral("isLearner"), m.isLearner}});
        }
        printJson(
            {{QStringLiteral("clusterId"), MemberId::toHex(s.clusterId())}, {QStringLiteral("members"), members}});
    } else {
        TextTable t({QStringLiteral("ID"), QStringLiteral("STATUS"), QStringLiteral("NAME"),
            QStringLiteral("PEER ADDRS"), QStringLiteral("CLIENT ADDRS"), QStringLiteral("IS LEARNER")});
        for (const MemberState &m : s.members()) {
            t.addRow({MemberId::toHex(m.id), m.name.isEmpty() ? QStringLiteral("unstarted") : QStringLiteral("started"),
                m.name, m.peerUrls.join(QLatin1Char(',')), m.clientUrls.join(QLatin1Char(',')),
                m.isLearner ? QStringLiteral("true") : QStringLiteral("false")});
        }
        printOut(t.toString());
    }
    finish(0);
}

void MemberCommand::report(const OperationResult &r)
{
    if (m_options.json() || !r.ok()) {
        finishWith(r);
        return;
    }
    printOut(r.sentence + QLatin1Char('\n'));
    // After an add, what the new member's process needs, as etcdctl prints it.
    const QString initial = r.details.value(QStringLiteral("initialCluster")).toString();
    if (!initial.isEmpty()) {
        printOut(
            QStringLiteral("\nETCD_NAME=\"%1\"\nETCD_INITIAL_CLUSTER=\"%2\"\nETCD_INITIAL_ADVERTISE_PEER_URLS=\"%3\"\n"
                           "ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n")
                .arg(r.details.value(QStringLiteral("name")).toString(), initial,
                    r.details.value(QStringLiteral("peerURLs")).toVariant().toStringList().join(QLatin1Char(','))));
    }
    finish(0);
}

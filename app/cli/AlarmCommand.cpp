#include "cli/AlarmCommand.h"

#include "cli/TextTable.h"
#include "cluster/OperationResult.h"
#include "cluster/Preflight.h"
#include "common/MemberId.h"
#include "etcd/EtcdClient.h"

#include <QJsonArray>
#include <memory>

namespace {

QString memberName(const ClusterSnapshot &s, uint64_t id)
{
    const MemberState *m = s.member(id);
    return m ? m->displayName() : MemberId::toHex(id);
}

} // namespace

void AlarmCommand::start()
{
    const QStringList args = m_options.positional;
    const QString sub = args.value(0);
    if (sub != QLatin1String("list") && sub != QLatin1String("disarm")) {
        fail(QStringLiteral("usage: quorumdeck alarm list | alarm disarm [MEMBER]"));
        return;
    }
    if ((sub == QLatin1String("list") && args.size() != 1) || args.size() > 2) {
        fail(QStringLiteral("usage: quorumdeck alarm list | alarm disarm [MEMBER]"));
        return;
    }
    withSnapshot([this, sub, member = args.value(1)](const ClusterSnapshot &s) {
        const QString endpoint = Preflight::writeEndpoint(s);
        if (endpoint.isEmpty()) {
            fail(QStringLiteral("no voting member answers, so alarms cannot be read"));
            return;
        }
        if (sub == QLatin1String("list"))
            list(s, endpoint);
        else
            disarm(s, endpoint, member);
    });
}

QJsonObject AlarmCommand::alarmJson(const ClusterSnapshot &s, const AlarmInfo &a) const
{
    return {{QStringLiteral("memberId"), MemberId::toHex(a.memberId)},
        {QStringLiteral("member"), memberName(s, a.memberId)}, {QStringLiteral("alarm"), alarmTypeName(a.type)}};
}

void AlarmCommand::list(const ClusterSnapshot &s, const QString &endpoint)
{
    client()->alarmList(endpoint, this, [this, s](const EtcdResult<QList<AlarmInfo>> &r) {
        if (!r.ok()) {
            fail(QStringLiteral("could not list alarms: %1").arg(r.error.sentence));
            return;
        }
        if (m_options.json()) {
            QJsonArray rows;
            for (const AlarmInfo &a : *r)
                rows << alarmJson(s, a);
            printJson({{QStringLiteral("alarms"), rows}});
        } else if (r->isEmpty()) {
            printOut(QStringLiteral("no alarm is raised\n"));
        } else {
            TextTable t({QStringLiteral("MEMBER"), QStringLiteral("ID"), QStringLiteral("ALARM")});
            for (const AlarmInfo &a : *r)
                t.addRow({memberName(s, a.memberId), MemberId::toHex(a.memberId), alarmTypeName(a.type)});
            printOut(t.toString());
        }
        finish(r->isEmpty() ? 0 : 2);
    });
}

void AlarmCommand::disarm(const ClusterSnapshot &s, const QString &endpoint, const QString &member)
{
    uint64_t only = 0;
    if (!member.isEmpty()) {
        const MemberState *m = s.findMember(member);
        if (!m) {
            fail(QStringLiteral("no member is called %1").arg(member));
            return;
        }
        only = m->id;
    }
    client()->alarmList(endpoint, this, [this, s, endpoint, only](const EtcdResult<QList<AlarmInfo>> &r) {
        if (!r.ok()) {
            fail(QStringLiteral("could not list alarms: %1").arg(r.error.sentence));
            return;
        }
        // NOSPACE is disarmed wholesale; CORRUPT only for a member named on purpose, since it
        // means the members' data differ and needs a person to look first.
        QList<AlarmInfo> targets;
        QStringList kept;
        for (const AlarmInfo &a : *r) {
            if (only && a.memberId != only)
                continue;
            if (a.type == AlarmType::Corrupt && !only)
                kept << QStringLiteral("CORRUPT on %1").arg(memberName(s, a.memberId));
            else
                targets << a;
        }
        if (!kept.isEmpty())
            printErr(QStringLiteral("quorumdeck: not disarmed: %1; find the member whose data differ, replace it, "
                                    "then disarm naming it: quorumdeck alarm disarm MEMBER\n")
                         .arg(kept.join(QStringLiteral(", "))));
        const int exitCode = kept.isEmpty() ? 0 : 2; // 2: an alarm is still raised
        if (targets.isEmpty()) {
            if (m_options.json())
                printJson({{QStringLiteral("disarmed"), QJsonArray()}});
            else
                printOut(QStringLiteral("no alarm to disarm\n"));
            finish(exitCode);
            return;
        }
        auto remaining = std::make_shared<int>(int(targets.size()));
        auto disarmed = std::make_shared<QJsonArray>();
        auto errors = std::make_shared<QStringList>();
        for (const AlarmInfo &a : targets) {
            client()->alarmDisarm(endpoint, a, this,
                [this, s, a, remaining, disarmed, errors, exitCode](const EtcdResult<QList<AlarmInfo>> &d) {
                    const QString target = memberName(s, a.memberId);
                    if (d.ok()) {
                        *disarmed << alarmJson(s, a);
                        journal(s, QStringLiteral("alarm-disarm"), target,
                            OperationResult::done(
                                QStringLiteral("disarmed %1 on %2").arg(alarmTypeName(a.type), target)));
                    } else {
                        *errors << QStringLiteral("%1 on %2: %3").arg(alarmTypeName(a.type), target, d.error.sentence);
                        journal(s, QStringLiteral("alarm-disarm"), target,
                            OperationResult::failed(QStringLiteral("disarming %1 on %2 failed: %3")
                                                        .arg(alarmTypeName(a.type), target, d.error.sentence)));
                    }
                    if (--*remaining > 0)
                        return;
                    if (m_options.json())
                        printJson({{QStringLiteral("disarmed"), *disarmed},
                            {QStringLiteral("errors"), QJsonArray::fromStringList(*errors)}});
                    else
                        for (const QJsonValue &v : std::as_const(*disarmed))
                            printOut(QStringLiteral("disarmed %1 on %2\n")
                                         .arg(v[QStringLiteral("alarm")].toString(),
                                             v[QStringLiteral("member")].toString()));
                    if (!errors->isEmpty()) {
                        fail(QStringLiteral("could not disarm %1").arg(errors->join(QStringLiteral("; "))));
                        return;
                    }
                    finish(exitCode);
                });
        }
    });
}

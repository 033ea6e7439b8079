#include "cli/EventsCommand.h"

#include "cli/CliOptions.h"
#include "cluster/ClusterMonitor.h"
#include "common/Format.h"
#include "common/MemberId.h"

#include <QDateTime>

void EventsCommand::start()
{
    if (!m_options.isSet(QStringLiteral("follow"))) {
        fail(QStringLiteral("events needs --follow (it prints events as they happen until interrupted)"));
        return;
    }
    if (!m_options.positional.isEmpty()) {
        fail(QStringLiteral("events takes no arguments"));
        return;
    }
    if (const QString e = m_options.resolveEndpoints(); !e.isEmpty()) {
        fail(e);
        return;
    }
    ClusterMonitor *m = monitor();
    if (m_options.isSet(QStringLiteral("interval"))) {
        const auto ms = ConnectionSettings::parseDurationMs(m_options.value(QStringLiteral("interval")));
        if (!ms || *ms < ClusterMonitor::kMinimumIntervalMs) {
            fail(QStringLiteral("--interval must be a duration of at least 100ms"));
            return;
        }
        m->setInterval(*ms);
    }
    // Without a shorter deadline, one hung member would stretch every tick to the command timeout.
    m->setTickDeadline(std::min(m_options.settings.deadlines.readMs, std::max(m->interval() * 2, 1000)));
    // Events of endpoints that answer for different clusters would mix two histories.
    connect(m, &ClusterMonitor::snapshotReady, this, [this, m](const ClusterSnapshot &s) {
        if (s.endpointConflict().isEmpty())
            return;
        disconnect(m, &ClusterMonitor::eventsOccurred, this, nullptr); // this tick's are mixed too
        fail(s.endpointConflict());
    });
    // Events are differences between snapshots; say on stderr when the first one is in.
    auto first = std::make_shared<QMetaObject::Connection>();
    *first = connect(m, &ClusterMonitor::snapshotReady, this, [this, first](const ClusterSnapshot &s) {
        disconnect(*first);
        if (!s.endpointConflict().isEmpty())
            return;
        const MemberState *leader = s.leader();
        printErr(QStringLiteral("following %1; leader %2, term %3; interrupt to stop\n")
                     .arg(Format::count(s.members().size(), QStringLiteral("member"), QStringLiteral("members")))
                     .arg(leader ? leader->displayName() : QStringLiteral("none"))
                     .arg(s.term()));
    });
    connect(m, &ClusterMonitor::eventsOccurred, this, &EventsCommand::print);
    m->start();
}

void EventsCommand::print(const QList<ClusterEvent> &events)
{
    for (const ClusterEvent &e : events) {
        if (m_options.json())
            printJson(e.toJson());
        else
            printOut(line(e) + QLatin1Char('\n'));
    }
}

bool eventsNeedControlPlane(const CliOptions &options)
{
    return options.command == QLatin1String("events")
        && (options.isSet(QStringLiteral("kubeconfig")) || (options.profile && !options.profile->kubeconfig.isEmpty()));
}

QString EventsCommand::line(const ClusterEvent &e)
{
    auto id = [](uint64_t v) { return v ? MemberId::toHex(v) : QStringLiteral("-"); };
    QString text = QStringLiteral("%1  %2  member=%3")
                       .arg(QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(Qt::ISODateWithMs),
                           ClusterEvent::typeName(e.type).leftJustified(17), id(e.member));
    if (e.type == ClusterEvent::Type::LeaderChanged || e.type == ClusterEvent::Type::ElectionsUnseen)
        text += QStringLiteral(" from=%1 to=%2").arg(id(e.from), id(e.to));
    if (e.unseenElections > 0)
        text += QStringLiteral(" unseen=%1").arg(e.unseenElections);
    if (e.term)
        text += QStringLiteral(" term=%1").arg(e.term);
    if (!e.detail.isEmpty())
        text += QStringLiteral("  %1").arg(e.detail);
    return text;
}

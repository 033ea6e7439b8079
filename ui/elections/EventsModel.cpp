#include "elections/EventsModel.h"

#include "common/MemberId.h"
#include "session/ConsoleSession.h"

#include <QColor>
#include <QDateTime>

EventsModel::EventsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EventsModel::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    reset(session ? session->events() : QList<ClusterEvent>());
    if (!session)
        return;
    connect(session, &ConsoleSession::snapshotReady, this, &EventsModel::learnNames);
    connect(session, &ConsoleSession::eventsAppended, this, &EventsModel::append);
    connect(session, &ConsoleSession::historyReset, this, [this, session] { reset(session->events()); });
}

void EventsModel::reset(const QList<ClusterEvent> &events)
{
    beginResetModel();
    m_events = events;
    endResetModel();
}

void EventsModel::append(const QList<ClusterEvent> &events)
{
    if (events.isEmpty())
        return;
    beginInsertRows({}, int(m_events.size()), int(m_events.size() + events.size()) - 1);
    m_events << events;
    endInsertRows();
}

void EventsModel::learnNames(const ClusterSnapshot &snapshot)
{
    bool changed = false;
    for (const MemberState &m : snapshot.members()) {
        if (!m.name.isEmpty() && m_names.value(m.id) != m.name) {
            m_names.insert(m.id, m.name);
            changed = true;
        }
    }
    if (changed && !m_events.isEmpty())
        emit dataChanged(index(0, Member), index(int(m_events.size()) - 1, Member));
}

const ClusterEvent *EventsModel::eventAt(int row) const
{
    return row >= 0 && row < m_events.size() ? &m_events.at(row) : nullptr;
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventsModel::memberText(uint64_t id) const
{
    if (id == 0)
        return QStringLiteral("—");
    return m_names.value(id, MemberId::toHex(id));
}

QString EventsModel::cause(const ClusterEvent &e)
{
    if (e.type != ClusterEvent::Type::LeaderChanged && e.type != ClusterEvent::Type::LeaderLost)
        return e.detail;
    if (e.requested)
        return tr("operator's transfer");
    if (e.detail.contains(QLatin1String("unreachable")))
        return tr("previous leader unreachable or stopped");
    if (e.detail.contains(QLatin1String("removed")))
        return tr("previous leader removed");
    return tr("unknown");
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    const ClusterEvent *e = index.isValid() ? eventAt(index.row()) : nullptr;
    if (!e)
        return {};
    if (role == TimeMsRole)
        return e->timeMs;
    if (role == TypeRole)
        return int(e->type);
    if (role == Qt::ToolTipRole)
        return e->detail;
    if (role == Qt::ForegroundRole && index.column() == Event) {
        switch (e->type) {
        case ClusterEvent::Type::QuorumLost:
        case ClusterEvent::Type::LeaderLost:
        case ClusterEvent::Type::AlarmRaised:
        case ClusterEvent::Type::AlertFiring:
            return QColor(0xc0, 0x20, 0x20);
        case ClusterEvent::Type::MemberUnreachable:
        case ClusterEvent::Type::LbDriftStarted:
        case ClusterEvent::Type::ElectionsUnseen:
        case ClusterEvent::Type::BackupOverdue:
        case ClusterEvent::Type::AlertPending:
        case ClusterEvent::Type::ComponentLeaseStale:
            return QColor(0xc0, 0x60, 0x00);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e->timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Event:
        if (e->type == ClusterEvent::Type::LeaderChanged)
            return tr("Leader %1 → %2").arg(memberText(e->from), memberText(e->to));
        if (e->type == ClusterEvent::Type::ElectionsUnseen)
            return e->unseenElections == 1 ? tr("1 election unseen")
                                           : tr("%1 elections unseen").arg(e->unseenElections);
        return ClusterEvent::typeName(e->type);
    case Member:
        return memberText(e->member);
    case Term:
        return e->term ? QVariant(qulonglong(e->term)) : QVariant();
    case Cause:
        return cause(*e);
    }
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const titles[] = {"Time", "Event", "Member", "Term", "Cause"};
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

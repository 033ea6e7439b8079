#include "members/MembersModel.h"

#include "widgets/MemberPalette.h"

#include "common/Format.h"
#include "common/MemberId.h"
#include "session/ConsoleSession.h"

#include <QColor>
#include <QFont>

MembersModel::MembersModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MembersModel::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (session)
        connect(session, &ConsoleSession::snapshotReady, this, &MembersModel::setSnapshot);
}

void MembersModel::setSnapshot(const ClusterSnapshot &snapshot)
{
    QList<uint64_t> ids;
    for (const MemberState &m : snapshot.members())
        ids << m.id;

    // Remove rows of members that are gone, from the bottom up; until the new snapshot is
    // set, the remaining rows still read the old one, which holds them all.
    for (int row = int(m_order.size()) - 1; row >= 0; --row) {
        if (!ids.contains(m_order.at(row))) {
            beginRemoveRows({}, row, row);
            m_order.removeAt(row);
            endRemoveRows();
        }
    }
    QList<uint64_t> added;
    for (uint64_t id : ids) {
        if (!m_order.contains(id))
            added << id;
    }
    m_snapshot = snapshot;
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_order.size()), int(m_order.size() + added.size()) - 1);
        m_order << added;
        endInsertRows();
    }
    if (!m_order.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_order.size()) - 1, ColumnCount - 1));
}

const MemberState *MembersModel::memberAt(int row) const
{
    return row >= 0 && row < m_order.size() ? m_snapshot.member(m_order.at(row)) : nullptr;
}

int MembersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_order.size());
}

int MembersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MembersModel::display(const MemberState &m, int column) const
{
    const bool r = m.reachable;
    switch (column) {
    case Id:
        return MemberId::toHex(m.id);
    case Name:
        return m.name.isEmpty() ? tr("(not started)") : m.name;
    case Role:
        return memberRoleName(m.role);
    case Health:
        if (!r)
            return tr("unreachable");
        return m.errors.isEmpty() ? tr("healthy") : m.errors.join(QStringLiteral("; "));
    case Term:
        return r ? QVariant(qulonglong(m.term)) : QVariant();
    case CommitIndex:
        return r ? QVariant(qulonglong(m.raftIndex)) : QVariant();
    case AppliedIndex:
        return r ? QVariant(qulonglong(m.appliedIndex)) : QVariant();
    case Lag:
        return r ? QVariant(qlonglong(m.lag)) : QVariant();
    case DbSize:
        return r ? Format::bytes(m.dbSize) : QString();
    case DbInUse:
        return r ? Format::bytes(m.dbSizeInUse) : QString();
    case Version:
        return m.version;
    case Latency:
        return Format::millis(m.latencyMs);
    case ClientUrls:
        return m.clientUrls.join(QStringLiteral(", "));
    case PeerUrls:
        return m.peerUrls.join(QStringLiteral(", "));
    }
    return {};
}

QVariant MembersModel::sortValue(const MemberState &m, int column) const
{
    switch (column) {
    case DbSize:
        return qlonglong(m.dbSize);
    case DbInUse:
        return qlonglong(m.dbSizeInUse);
    case Latency:
        return m.latencyMs;
    default:
        return display(m, column);
    }
}

QVariant MembersModel::data(const QModelIndex &index, int role) const
{
    const MemberState *m = index.isValid() ? memberAt(index.row()) : nullptr;
    if (!m)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*m, index.column());
    case SortRole:
        return sortValue(*m, index.column());
    case MemberIdRole:
        return MemberId::toHex(m->id);
    case MemberNameRole:
        return m->name;
    case RoleRole:
        return memberRoleName(m->role);
    case Qt::DecorationRole:
        // The member's own colour, as in the topology, the charts and the timeline.
        return index.column() == Name ? QVariant(MemberPalette::shared().of(m->id)) : QVariant();
    case Qt::ToolTipRole:
        return index.column() == Health && !m->errors.isEmpty() ? m->errors.join(QLatin1Char('\n')) : QVariant();
    case Qt::FontRole:
        if (m->role == MemberRole::Leader) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (!m->reachable)
            return QColor(Qt::gray);
        if (index.column() == Health && !m->errors.isEmpty())
            return QColor(0xc0, 0x60, 0x00);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= Term && index.column() <= Latency && index.column() != Version)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant MembersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static const char *const titles[] = {"ID", "Name", "Role", "Health", "Term", "Commit", "Applied", "Lag", "DB size",
        "In use", "Version", "Latency", "Client URLs", "Peer URLs"};
    static const char *const tips[] = {
        "The member's id, as etcdctl prints it (16 hex digits)",
        "The member's name (--name); empty until an added member starts",
        "leader, follower, learner (does not vote), or unknown when unreachable",
        "Whether the member answers Status, and the errors and alarms it reports",
        "The Raft term the member is in; members agree on it when the cluster is settled",
        "The last Raft index the member knows to be committed",
        "The last Raft index the member has applied to its database",
        "Entries the leader has applied and this member has not",
        "Size of the member's database file (the quota counts against this)",
        "Part of the database file in use; the rest is reclaimed by defragmentation",
        "etcd server version",
        "Round trip of this tick's Status call to the member",
        "Where clients reach the member",
        "Where the other members reach it",
    };
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return tr(titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    return {};
}

QString MembersModel::rowsAsText(const QList<int> &rows) const
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c)
        header << headerData(c, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int row : rows) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c)
            cells << data(index(row, c)).toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

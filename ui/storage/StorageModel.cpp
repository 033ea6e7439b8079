#include "storage/StorageModel.h"

#include "common/Format.h"
#include "common/MemberId.h"

#include <QColor>
#include <QFont>

StorageModel::StorageModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void StorageModel::setStorage(const QList<MemberStorage> &storage)
{
    // Same members in the same order: update in place, so that selection survives.
    bool sameRows = storage.size() == m_storage.size();
    for (qsizetype i = 0; sameRows && i < storage.size(); ++i)
        sameRows = storage.at(i).id == m_storage.at(i).id;
    if (sameRows) {
        m_storage = storage;
        if (!storage.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_storage = storage;
    endResetModel();
}

const MemberStorage *StorageModel::memberAt(int row) const
{
    return row >= 0 && row < m_storage.size() ? &m_storage.at(row) : nullptr;
}

int StorageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_storage.size());
}

int StorageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StorageModel::data(const QModelIndex &index, int role) const
{
    const MemberStorage *m = memberAt(index.row());
    if (!m)
        return {};
    if (role == MemberIdRole)
        return QVariant::fromValue<qulonglong>(m->id);
    const bool up = m->reachable;
    if (role == FractionRole) {
        if (index.column() == QuotaUse && up && m->quota > 0)
            return m->quotaUsedFraction();
        if (index.column() == Filesystem && m->volume.known)
            return m->volume.fsUsedFraction();
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case Member:
            return m->isLeader ? QStringLiteral("%1 ★").arg(m->name) : m->name;
        case DbSize:
            return up ? Format::bytes(m->dbSize) : QString();
        case InUse:
            return up ? Format::bytes(m->dbSizeInUse) : QString();
        case Fragmentation:
            return up ? QStringLiteral("%1 %").arg(qRound(m->fragmentation() * 100)) : QString();
        case QuotaUse:
            if (!up)
                return tr("does not answer");
            if (m->quota <= 0)
                return tr("quota unknown");
            return tr("%1 of %2 · %3 left")
                .arg(Format::bytes(m->dbSize), Format::bytes(m->quota), Format::bytes(qMax<int64_t>(0, m->headroom())));
        case Alarms:
            return m->alarms.isEmpty() ? (up ? tr("none") : QString()) : m->alarms.join(QStringLiteral(", "));
        case Filesystem:
            return m->volume.known
                ? tr("%1 free of %2").arg(Format::bytes(m->volume.fsFree), Format::bytes(m->volume.fsCapacity))
                : QString();
        case Wal:
            return m->volume.known ? Format::bytes(m->volume.walBytes) : QString();
        case Snap:
            return m->volume.known ? Format::bytes(m->volume.snapBytes) : QString();
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == QuotaUse && !m->quotaError.isEmpty())
            return m->quotaError;
        if (!up)
            return m->error;
        if (index.column() == Fragmentation)
            return tr("Defragmenting would give back about %1").arg(Format::bytes(m->dbSize - m->dbSizeInUse));
        if (index.column() == Member)
            return MemberId::toHex(m->id);
    }
    if (role == Qt::ForegroundRole && index.column() == Alarms && !m->alarms.isEmpty())
        return QColor(0xc6, 0x28, 0x28);
    if (role == Qt::FontRole && index.column() == Alarms && !m->alarms.isEmpty()) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::TextAlignmentRole
        && (index.column() == DbSize || index.column() == InUse || index.column() == Fragmentation
            || index.column() == Wal || index.column() == Snap))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant StorageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case Member:
            return tr("Member");
        case DbSize:
            return tr("DB size");
        case InUse:
            return tr("In use");
        case Fragmentation:
            return tr("Fragmented");
        case QuotaUse:
            return tr("Quota");
        case Alarms:
            return tr("Alarms");
        case Filesystem:
            return tr("Filesystem");
        case Wal:
            return tr("WAL");
        case Snap:
            return tr("Snapshots");
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case DbSize:
            return tr("The database file on disk (bbolt), as etcd reports it");
        case InUse:
            return tr("Pages of the database holding live data");
        case Fragmentation:
            return tr("1 − in use / size: the share a defragmentation gives back");
        case QuotaUse:
            return tr("The database against etcd's backend quota; past it etcd raises NOSPACE and refuses writes");
        case Filesystem:
            return tr("The filesystem under the member's data directory (demo members)");
        case Wal:
            return tr("member/wal: the write-ahead log");
        case Snap:
            return tr("member/snap: Raft snapshots and the database file");
        default:
            break;
        }
    }
    return {};
}

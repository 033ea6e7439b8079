#pragma once

#include "storage/MemberStorage.h"

#include <QAbstractTableModel>

/// Members' storage for a table: sizes, fragmentation, the quota with how much of it is
/// used (drawn as a bar), the alarms, and for demo members the filesystem (a bar too) and
/// the WAL and snapshot directories.
class StorageModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StorageModel)

public:
    enum Column { Member, DbSize, InUse, Fragmentation, QuotaUse, Alarms, Filesystem, Wal, Snap, ColumnCount };
    enum Role {
        FractionRole = Qt::UserRole + 1, ///< 0..1 (or more) for the bar columns; invalid when unknown
        MemberIdRole,
    };
    /// Quota use at which etcd operators start to act, and past which a write may fail.
    static constexpr double kQuotaWarn = 0.8;
    static constexpr double kQuotaCritical = 0.95;

    explicit StorageModel(QObject *parent = nullptr);

    void setStorage(const QList<MemberStorage> &storage);
    const QList<MemberStorage> &storage() const { return m_storage; }
    const MemberStorage *memberAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<MemberStorage> m_storage;
};

#pragma once

#include "cluster/ClusterSnapshot.h"

#include <QAbstractTableModel>
#include <QPointer>

class ConsoleSession;

/// The members of the last snapshot as a table: one row per member, one column per figure.
/// Rows keep their identity across snapshots (same member, same row), so views keep their
/// selection and scroll position; rows are inserted and removed only as members come and
/// go, and each snapshot announces one dataChanged over the table.
class MembersModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MembersModel)

public:
    enum Column {
        Id,
        Name,
        Role,
        Health,
        Term,
        CommitIndex,
        AppliedIndex,
        Lag,
        DbSize,
        DbInUse,
        Version,
        Latency,
        ClientUrls,
        PeerUrls,
        ColumnCount
    };
    /// Raw values for sorting and for code that acts on a row.
    enum Roles { SortRole = Qt::UserRole + 1, MemberIdRole, MemberNameRole, RoleRole };

    explicit MembersModel(QObject *parent = nullptr);

    /// Follows the session's snapshots from now on (nullptr: none).
    void setSession(ConsoleSession *session);
    void setSnapshot(const ClusterSnapshot &snapshot);
    const ClusterSnapshot &snapshot() const { return m_snapshot; }
    const MemberState *memberAt(int row) const;
    /// The rows as tab-separated text with a header line, for the clipboard.
    QString rowsAsText(const QList<int> &rows) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant display(const MemberState &m, int column) const;
    QVariant sortValue(const MemberState &m, int column) const;

    QPointer<ConsoleSession> m_session;
    ClusterSnapshot m_snapshot;
    QList<uint64_t> m_order; // member id of each row
};

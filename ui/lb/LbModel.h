#pragma once

#include "lb/LbSnapshot.h"

#include <QAbstractTableModel>
#include <QHash>

/// The load balancer's backends for a table: the LB's view and the console's probe side
/// by side, the drift, and a short history of the LB's view (the last 30 ticks).
class LbModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LbModel)

public:
    enum Column { Backend, Member, LbView, Check, Probe, Latency, Sessions, Drift, History, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1, HistoryRole, NameRole };
    static constexpr int kHistory = 30;

    explicit LbModel(QObject *parent = nullptr);

    void setSnapshot(const LbSnapshot &snapshot);
    const LbSnapshot &snapshot() const { return m_snapshot; }
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    LbSnapshot m_snapshot;
    QHash<QString, QList<int>> m_history; ///< backend -> recent states (ServerState values)
};

#pragma once

#include "cluster/ClusterEvent.h"
#include "cluster/ClusterSnapshot.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>

class ConsoleSession;

/// The cluster's events, oldest first: time, event, member, term and cause. Appends arrive
/// in batches (one per tick); a reload replaces everything (journal history).
class EventsModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsModel)

public:
    enum Column { Time, Event, Member, Term, Cause, ColumnCount };
    enum Roles { TimeMsRole = Qt::UserRole + 1, TypeRole };

    explicit EventsModel(QObject *parent = nullptr);

    /// Shows the session's events and follows them from now on (nullptr: none).
    void setSession(ConsoleSession *session);
    void reset(const QList<ClusterEvent> &events);
    void append(const QList<ClusterEvent> &events);
    /// Remembers member names so that events show names, not only ids.
    void learnNames(const ClusterSnapshot &snapshot);
    /// Every member name seen, removed members' included.
    const QHash<uint64_t, QString> &names() const { return m_names; }
    const ClusterEvent *eventAt(int row) const;
    const QList<ClusterEvent> &events() const { return m_events; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "operator transfer", "previous leader unreachable or stopped", or "unknown".
    static QString cause(const ClusterEvent &e);
    QString memberText(uint64_t id) const;

private:
    QPointer<ConsoleSession> m_session;
    QList<ClusterEvent> m_events;
    QHash<uint64_t, QString> m_names;
};

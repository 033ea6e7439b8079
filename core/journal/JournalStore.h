#pragma once

#include "cluster/ClusterEvent.h"
#include "journal/OperatorAction.h"

#include <QObject>
#include <QSqlDatabase>

class QSqlQuery;

/// The SQLite side of the Journal. Lives on the journal's worker thread and does all disk
/// work there. When the file cannot be opened or written (damaged, locked, read-only), it
/// keeps what it was given in memory, reports the problem once, and writes the backlog as
/// soon as the file works again. It never deletes or rewrites a damaged file.
class JournalStore : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalStore)

public:
    explicit JournalStore(const QString &path, QObject *parent = nullptr);
    ~JournalStore() override;

public slots:
    void appendEvents(const QString &clusterId, const QList<ClusterEvent> &events);
    void appendAction(const QString &clusterId, const OperatorAction &action);
    void load(const QString &clusterId);
    void exportTo(const QString &clusterId, const QString &path, const QString &format);

signals:
    void loaded(const QString &clusterId, const QList<ClusterEvent> &events, const QList<OperatorAction> &actions);
    /// Empty when the journal works (again).
    void problemChanged(const QString &sentence);
    void exported(bool ok, const QString &sentence);

private:
    struct Pending;
    /// The history of one cluster: what the file holds, then what still waits to be written.
    void read(const QString &clusterId, QList<ClusterEvent> &events, QList<OperatorAction> &actions);
    bool ensureOpen();
    /// Brings an events table from an older file up to date; the error, or empty.
    QString addMissingColumns(QSqlQuery &q);
    bool flush();
    void setProblem(const QString &sentence);

    QString m_path;
    QString m_connection;
    bool m_open = false;
    QString m_problem;
    std::unique_ptr<Pending> m_pending;
};

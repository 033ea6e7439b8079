#pragma once

#include "cluster/ClusterEvent.h"
#include "journal/OperatorAction.h"

#include <QObject>
#include <QThread>

class JournalStore;

/// The event and operator-action journal: an SQLite file (through QtSql) under the user's
/// data directory, keyed by cluster id, so that history survives a restart.
///
/// All disk work happens on a worker thread of its own; every method returns at once and
/// answers come back as signals on the owner's thread. A damaged or locked file is
/// reported through problemChanged() and the console keeps going: records wait in memory
/// until the file works again, and nothing already written is lost.
class Journal : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Journal)

public:
    /// An empty path means QStandardPaths' AppDataLocation/journal.sqlite.
    explicit Journal(const QString &path = {}, QObject *parent = nullptr);
    ~Journal() override;

    static QString defaultPath();
    QString path() const { return m_path; }
    QString problem() const { return m_problem; }

    void recordEvents(uint64_t clusterId, const QList<ClusterEvent> &events);
    void recordAction(uint64_t clusterId, const OperatorAction &action);
    /// Asks for the history of one cluster; historyLoaded() answers.
    void loadHistory(uint64_t clusterId);
    /// format: "jsonl" or "csv"; exported() answers.
    void exportHistory(uint64_t clusterId, const QString &path, const QString &format);

signals:
    void historyLoaded(uint64_t clusterId, const QList<ClusterEvent> &events, const QList<OperatorAction> &actions);
    void problemChanged(const QString &sentence);
    void exported(bool ok, const QString &sentence);

private:
    QString m_path;
    QString m_problem;
    QThread m_thread;
    JournalStore *m_store;
};

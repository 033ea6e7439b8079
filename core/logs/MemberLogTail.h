#pragma once

#include "logs/MemberLogEntry.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QTimer>

/// Follows one member's log file: reads what was appended since the last read, on a pool
/// thread (logs grow to many megabytes and the reader may be the GUI thread), and hands
/// the parsed lines over on the owner's thread. A file that was replaced or shrank (a new
/// cluster in the same directory) is read again from its start.
class MemberLogTail : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberLogTail)

public:
    /// At most this many of the file's last lines are read the first time.
    static constexpr int kInitialLines = 20000;

    explicit MemberLogTail(const QString &path, QObject *parent = nullptr);
    ~MemberLogTail() override;

    QString path() const { return m_path; }
    /// Reads once now, then every intervalMs while following (0: once only).
    void start(int intervalMs = 500);
    void stop();
    /// Stops and deletes itself once a read under way has finished: never waits.
    void dispose();

signals:
    /// Lines appended since the last batch; restarted when the file was replaced.
    void linesRead(const QList<MemberLogEntry> &lines, bool restarted);
    void failed(const QString &sentence);

private:
    struct Chunk {
        QList<MemberLogEntry> lines;
        qint64 nextOffset = 0;
        bool restarted = false;
        bool more = false; ///< the file holds more than this batch
        quint64 inode = 0; ///< which file was read: a new one starts from the top
        QString error;
    };
    static Chunk read(const QString &path, qint64 offset, quint64 inode);
    void readNow();

    QString m_path;
    qint64 m_offset = 0;
    quint64 m_inode = 0;
    QTimer m_timer;
    QFutureWatcher<Chunk> m_watcher;
};

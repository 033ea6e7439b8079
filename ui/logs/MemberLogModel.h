#pragma once

#include "logs/MemberLogEntry.h"

#include <QAbstractTableModel>

/// One member's log lines, filtered by level and text, with raft's leadership lines
/// highlighted. Keeps at most kMaxLines (the oldest go first).
class MemberLogModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberLogModel)

public:
    enum Column { Time, Level, Message, ColumnCount };
    static constexpr int kMaxLines = 50000;

    explicit MemberLogModel(QObject *parent = nullptr);

    void clear();
    void append(const QList<MemberLogEntry> &lines);
    /// Shows lines at or above minLevel (Other always shows) that contain text.
    void setFilter(MemberLogEntry::Level minLevel, const QString &text);
    void setLeadershipOnly(bool only);

    const MemberLogEntry *entryAt(int row) const;
    /// The visible row nearest to (at or after) timeMs; -1 when nothing is shown.
    int rowAt(qint64 timeMs) const;
    /// The leadership line closest to timeMs within [timeMs − beforeMs, timeMs + afterMs] (an
    /// event is stamped when the console's tick began, just after or before the line), else
    /// rowAt(timeMs).
    int rowForEvent(qint64 timeMs, qint64 beforeMs = 2000, qint64 afterMs = 1000) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    bool accepts(const MemberLogEntry &e) const;
    void refilter();

    QList<MemberLogEntry> m_lines;
    QList<int> m_visible; ///< indexes into m_lines
    MemberLogEntry::Level m_minLevel = MemberLogEntry::Level::Debug;
    QString m_text;
    bool m_leadershipOnly = false;
};

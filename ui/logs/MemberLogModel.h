#pragma once

#include "logs/MemberLogEntry.h"

#include <QAbstractTableModel>

/// Log lines of one member, or of several merged by time, filtered by source, level and
/// text, with leadership lines highlighted. Keeps at most kMaxLines (the oldest go first).
class MemberLogModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberLogModel)

public:
    enum Column { Time, Source, Level, Message, ColumnCount };
    static constexpr int kMaxLines = 50000;

    explicit MemberLogModel(QObject *parent = nullptr);

    void clear();
    void append(const QList<MemberLogEntry> &lines);
    /// Merges lines of another source into the timeline by time.
    void merge(const QList<MemberLogEntry> &lines);
    /// Shows only the lines of source ("" for all).
    void setSourceFilter(const QString &source);
    /// The sources of the lines merged so far, sorted.
    QStringList sources() const { return m_sources; }
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

signals:
    void sourcesChanged(const QStringList &sources);

private:
    bool accepts(const MemberLogEntry &e) const;
    void refilter();
    void trim();

    QList<MemberLogEntry> m_lines;
    QList<int> m_visible; ///< indexes into m_lines
    MemberLogEntry::Level m_minLevel = MemberLogEntry::Level::Debug;
    QString m_text;
    QString m_source;
    QStringList m_sources;
    bool m_leadershipOnly = false;
};

#include "logs/MemberLogModel.h"

#include "logs/LogTimeline.h"
#include "widgets/MemberPalette.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <algorithm>

MemberLogModel::MemberLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MemberLogModel::clear()
{
    beginResetModel();
    m_lines.clear();
    m_visible.clear();
    endResetModel();
    if (!m_sources.isEmpty()) {
        m_sources.clear();
        emit sourcesChanged(m_sources);
    }
}

void MemberLogModel::append(const QList<MemberLogEntry> &lines)
{
    if (m_lines.size() + lines.size() > kMaxLines) {
        // Dropping the oldest shifts every index: rebuild rather than patch.
        beginResetModel();
        m_lines += lines;
        m_lines = m_lines.mid(m_lines.size() - kMaxLines);
        m_visible.clear();
        for (int i = 0; i < m_lines.size(); ++i)
            if (accepts(m_lines.at(i)))
                m_visible << i;
        endResetModel();
        return;
    }
    QList<int> added;
    for (int i = 0; i < lines.size(); ++i)
        if (accepts(lines.at(i)))
            added << int(m_lines.size()) + i;
    m_lines += lines;
    if (added.isEmpty())
        return;
    beginInsertRows({}, int(m_visible.size()), int(m_visible.size() + added.size() - 1));
    m_visible += added;
    endInsertRows();
}

void MemberLogModel::merge(const QList<MemberLogEntry> &lines)
{
    bool newSource = false;
    for (const MemberLogEntry &e : lines) {
        if (!e.source.isEmpty() && !m_sources.contains(e.source)) {
            m_sources << e.source;
            newSource = true;
        }
    }
    if (newSource) {
        m_sources.sort();
        emit sourcesChanged(m_sources);
    }
    const qsizetype before = m_lines.size();
    const qsizetype changedFrom = LogTimeline::merge(m_lines, lines);
    if (changedFrom == before && m_lines.size() <= kMaxLines) {
        // Every line went to the end: rows are inserted, the view keeps its place.
        QList<int> added;
        for (qsizetype i = before; i < m_lines.size(); ++i)
            if (accepts(m_lines.at(i)))
                added << int(i);
        if (added.isEmpty())
            return;
        beginInsertRows({}, int(m_visible.size()), int(m_visible.size() + added.size() - 1));
        m_visible += added;
        endInsertRows();
        return;
    }
    trim();
    refilter();
}

void MemberLogModel::trim()
{
    if (m_lines.size() > kMaxLines)
        m_lines = m_lines.mid(m_lines.size() - kMaxLines);
}

void MemberLogModel::setSourceFilter(const QString &source)
{
    if (source == m_source)
        return;
    m_source = source;
    refilter();
}

bool MemberLogModel::accepts(const MemberLogEntry &e) const
{
    if (!m_source.isEmpty() && e.source != m_source)
        return false;
    if (m_leadershipOnly && !e.isLeadership())
        return false;
    if (e.level != MemberLogEntry::Level::Other && e.level < m_minLevel)
        return false;
    return m_text.isEmpty() || e.raw.contains(m_text, Qt::CaseInsensitive);
}

void MemberLogModel::refilter()
{
    beginResetModel();
    m_visible.clear();
    for (int i = 0; i < m_lines.size(); ++i)
        if (accepts(m_lines.at(i)))
            m_visible << i;
    endResetModel();
}

void MemberLogModel::setFilter(MemberLogEntry::Level minLevel, const QString &text)
{
    m_minLevel = minLevel;
    m_text = text;
    refilter();
}

void MemberLogModel::setLeadershipOnly(bool only)
{
    m_leadershipOnly = only;
    refilter();
}

const MemberLogEntry *MemberLogModel::entryAt(int row) const
{
    return row >= 0 && row < m_visible.size() ? &m_lines.at(m_visible.at(row)) : nullptr;
}

int MemberLogModel::rowAt(qint64 timeMs) const
{
    if (m_visible.isEmpty())
        return -1;
    // Lines are in time order, save for the odd line without a time.
    for (int row = 0; row < m_visible.size(); ++row) {
        const qint64 t = m_lines.at(m_visible.at(row)).timeMs;
        if (t && t >= timeMs)
            return row;
    }
    return int(m_visible.size()) - 1;
}

int MemberLogModel::rowForEvent(qint64 timeMs, qint64 beforeMs, qint64 afterMs) const
{
    int best = -1;
    qint64 bestDistance = 0;
    for (int row = 0; row < m_visible.size(); ++row) {
        const MemberLogEntry &e = m_lines.at(m_visible.at(row));
        if (!e.isLeadership() || !e.timeMs || e.timeMs < timeMs - beforeMs || e.timeMs > timeMs + afterMs)
            continue;
        const qint64 distance = std::abs(e.timeMs - timeMs);
        if (best < 0 || distance < bestDistance) {
            best = row;
            bestDistance = distance;
        }
    }
    return best >= 0 ? best : rowAt(timeMs);
}

int MemberLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int MemberLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MemberLogModel::data(const QModelIndex &index, int role) const
{
    const MemberLogEntry *e = entryAt(index.row());
    if (!e)
        return {};
    // Looked for in the message only for the roles that use it: a view asks data() for
    // every role of every cell it lays out.
    const auto leadership = [e] { return e->isLeadership(); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: {
            if (!e->timeMs)
                return QString();
            // A line of another day says which: merged logs of masters span days.
            const QDateTime t = QDateTime::fromMSecsSinceEpoch(e->timeMs);
            return t.toString(t.date() == QDate::currentDate() ? QStringLiteral("HH:mm:ss.zzz")
                                                               : QStringLiteral("MMM d HH:mm:ss.zzz"));
        }
        case Source:
            return e->source;
        case Level:
            return MemberLogEntry::levelName(e->level);
        case Message:
            return e->message;
        }
        break;
    case Qt::DecorationRole:
        // The member's own colour, as in the topology and the charts.
        if (index.column() == Source) {
            const QColor colour = MemberPalette::shared().ofName(e->source);
            if (colour.isValid())
                return colour;
        }
        break;
    case Qt::ToolTipRole:
        return e->raw;
    case Qt::FontRole:
        if (leadership()) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::BackgroundRole:
        if (leadership())
            return QBrush(QColor(0xd4, 0xa0, 0x17, 70)); // the leader's gold, as in the topology
        if (e->level >= MemberLogEntry::Level::Error && e->level != MemberLogEntry::Level::Other)
            return QBrush(QColor(0xc0, 0x30, 0x30, 50));
        if (e->level == MemberLogEntry::Level::Warn)
            return QBrush(QColor(0xe6, 0x7e, 0x22, 40));
        break;
    case Qt::UserRole:
        return leadership();
    }
    return {};
}

QVariant MemberLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Source:
        return tr("Member");
    case Level:
        return tr("Level");
    case Message:
        return tr("Message");
    }
    return {};
}

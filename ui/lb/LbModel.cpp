#include "lb/LbModel.h"

#include "widgets/StateColors.h"

#include "common/Format.h"

#include <QColor>

LbModel::LbModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void LbModel::clear()
{
    beginResetModel();
    m_snapshot = {};
    m_history.clear();
    endResetModel();
}

void LbModel::setSnapshot(const LbSnapshot &snapshot)
{
    for (const LbBackend &b : snapshot.backends) {
        QList<int> &h = m_history[b.name];
        h.append(int(b.lbState));
        while (h.size() > kHistory)
            h.removeFirst();
    }
    QStringList before;
    for (const LbBackend &b : std::as_const(m_snapshot.backends))
        before << b.name;
    QStringList after;
    for (const LbBackend &b : snapshot.backends)
        after << b.name;
    if (before != after) {
        beginResetModel();
        m_snapshot = snapshot;
        endResetModel();
        return;
    }
    m_snapshot = snapshot;
    if (!m_snapshot.backends.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int LbModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_snapshot.backends.size());
}

int LbModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LbModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_snapshot.backends.size())
        return {};
    const LbBackend &b = m_snapshot.backends.at(index.row());
    if (role == StateRole)
        return int(b.lbState);
    if (role == NameRole)
        return b.name;
    if (role == HistoryRole) {
        QVariantList out;
        for (int s : m_history.value(b.name))
            out << s;
        return out;
    }
    if (role == Qt::ForegroundRole) {
        if (index.column() == LbView && b.hasLbView)
            return StateColors::lbServer(b.lbState);
        if (index.column() == Probe && b.probe == LbBackend::Probe::Failed)
            return StateColors::lbServer(HaproxyStats::ServerState::Down);
        if (index.column() == Drift)
            return QColor(0xc0, 0x60, 0x00);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Probe)
            return b.probeError;
        if (index.column() == Check)
            return tr("The last check took %1 ms; in this state for %2 s")
                .arg(b.checkDurationMs)
                .arg(b.secondsSinceChange);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Backend:
        return b.address.isEmpty() ? b.name : QStringLiteral("%1 (%2)").arg(b.name, b.address);
    case Member:
        return b.memberName;
    case LbView:
        return b.hasLbView ? b.lbStatus : tr("(no view)");
    case Check:
        return b.checkStatus;
    case Probe:
        return LbBackend::probeName(b.probe);
    case Latency:
        return b.probe == LbBackend::Probe::NotProbed ? QString() : Format::millis(b.probeLatencyMs);
    case Sessions:
        return QStringLiteral("%1 (%2 total)").arg(b.sessions).arg(b.totalSessions);
    case Drift:
        return b.driftRoutesToUnhealthy ? tr("routes to an unhealthy member")
            : b.driftHoldsHealthyDown   ? tr("holds a healthy member down")
                                        : QString();
    case History:
        return {};
    }
    return {};
}

QVariant LbModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("Backend"), QT_TR_NOOP("Member"), QT_TR_NOOP("LB's view"),
        QT_TR_NOOP("Check"), QT_TR_NOOP("Our probe"), QT_TR_NOOP("Latency"), QT_TR_NOOP("Sessions"),
        QT_TR_NOOP("Drift"), QT_TR_NOOP("History")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

#include "elections/ElectionsTimeline.h"

#include "common/MemberId.h"
#include "elections/EventsModel.h"
#include "session/ConsoleSession.h"
#include "session/ControlPlaneSession.h"
#include "widgets/MemberPalette.h"
#include "widgets/StateColors.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>

namespace {

constexpr int kLaneHeight = 22;
constexpr int kLaneGap = 4;
constexpr int kAxisHeight = 22;
constexpr int kMargin = 6;

QString timeText(qint64 ms, bool withDate)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(
        withDate ? QStringLiteral("MMM d HH:mm") : QStringLiteral("HH:mm:ss"));
}

/// A tick step of 1, 2, 5 × 10^n seconds (or minutes, hours) that fits about `wanted` ticks.
qint64 tickStep(qint64 spanMs, int wanted)
{
    static const qint64 steps[] = {1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000,
        1800000, 3600000, 7200000, 10800000, 21600000, 43200000, 86400000};
    for (qint64 s : steps)
        if (spanMs / s <= wanted)
            return s;
    return 86400000 * ((spanMs / 86400000) / wanted + 1);
}

} // namespace

ElectionsTimeline::ElectionsTimeline(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setToolTip(tr("One lane per member and per control-plane lease; hover a band or a marker for details."));
}

QSize ElectionsTimeline::sizeHint() const
{
    const int lanes = std::max<int>(3, int(m_lanes.size()));
    return {600, 2 * kMargin + lanes * (kLaneHeight + kLaneGap) + kAxisHeight};
}

QSize ElectionsTimeline::minimumSizeHint() const
{
    return {300, 2 * kMargin + 3 * (kLaneHeight + kLaneGap) + kAxisHeight};
}

void ElectionsTimeline::setSession(ConsoleSession *session)
{
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        disconnect(m_session->controlPlane(), nullptr, this, nullptr);
    }
    m_session = session;
    m_leases.clear();
    if (!session)
        return;
    auto redraw = [this, session] { setData(session->events(), session->snapshot()); };
    connect(session, &ConsoleSession::snapshotReady, this,
        [this, session](const ClusterSnapshot &s) { setData(session->events(), s); });
    connect(session, &ConsoleSession::eventsAppended, this, redraw);
    connect(session, &ConsoleSession::historyReset, this, redraw);
    connect(session->controlPlane(), &ControlPlaneSession::reportReady, this,
        [this](const ControlPlaneReport &r) { setLeases(r.leases); });
    if (session->controlPlane()->hasReport())
        m_leases = session->controlPlane()->last().leases;
}

void ElectionsTimeline::setData(const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot)
{
    for (const MemberState &m : snapshot.members()) {
        if (!m.name.isEmpty())
            m_names.insert(m.id, m.name);
    }
    if (snapshot.isValid() && snapshot.clusterId() != m_historyCluster) {
        m_historyCluster = snapshot.clusterId();
        m_historyStartMs = 0;
    }
    if (snapshot.isValid() && (m_historyStartMs == 0 || snapshot.timeMs() < m_historyStartMs))
        m_historyStartMs = snapshot.timeMs();
    m_events = events;
    m_snapshot = snapshot;
    rebuild();
}

void ElectionsTimeline::setLeases(const QList<KubeLease> &leases)
{
    m_leases = leases;
    rebuild();
}

void ElectionsTimeline::rebuild()
{
    m_bands = LeadershipBands::fromEvents(m_events, m_snapshot, m_historyStartMs);
    const qint64 now = m_snapshot.isValid() ? m_snapshot.timeMs() : QDateTime::currentMSecsSinceEpoch();
    qint64 start = m_bands.isEmpty() ? m_historyStartMs : m_bands.first().startMs;
    if (m_historyStartMs > 0)
        start = start > 0 ? std::min(start, m_historyStartMs) : m_historyStartMs;
    m_leaseBands = LeadershipBands::fromLeases(m_events, m_leases, now, start);

    // Lanes: the members as the snapshot lists them, then any leader that has left since,
    // then the leases.
    const int before = int(m_lanes.size());
    m_lanes.clear();
    for (const MemberState &m : m_snapshot.members())
        if (!m.isLearner)
            m_lanes.append({m.name.isEmpty() ? MemberId::toHex(m.id) : m.name, m.id, {}});
    for (const Band &b : std::as_const(m_bands)) {
        if (b.leader
            && std::none_of(m_lanes.cbegin(), m_lanes.cend(), [&](const Lane &l) { return l.member == b.leader; }))
            m_lanes.append({m_names.value(b.leader, MemberId::toHex(b.leader)), b.leader, {}});
    }
    QStringList leases;
    for (const LeaseBand &b : std::as_const(m_leaseBands))
        if (!leases.contains(b.lease))
            leases << b.lease;
    for (const QString &lease : std::as_const(leases))
        m_lanes.append({lease, 0, lease});

    m_elections.clear();
    for (const ClusterEvent &e : std::as_const(m_events)) {
        if (e.type != ClusterEvent::Type::LeaderChanged && e.type != ClusterEvent::Type::LeaderLost)
            continue;
        const QString who = e.to ? m_names.value(e.to, MemberId::toHex(e.to)) : QString();
        const QString text = e.type == ClusterEvent::Type::LeaderLost
            ? tr("%1: leader lost — %2").arg(timeText(e.timeMs, false), EventsModel::cause(e))
            : tr("%1: %2 elected, term %3 — %4")
                  .arg(timeText(e.timeMs, false), who)
                  .arg(e.term)
                  .arg(EventsModel::cause(e));
        m_elections.append({e.timeMs, e.to, text});
    }

    m_fromMs = start;
    m_toMs = now;
    for (const LeaseBand &b : std::as_const(m_leaseBands))
        m_fromMs = m_fromMs ? std::min(m_fromMs, b.startMs) : b.startMs;
    if (m_markMs && m_fromMs)
        m_fromMs = std::min(m_fromMs, m_markMs);
    if (m_toMs <= m_fromMs)
        m_fromMs = m_toMs - 60000;
    if (before != m_lanes.size())
        updateGeometry();
    update();
}

QStringList ElectionsTimeline::lanes() const
{
    QStringList out;
    for (const Lane &l : m_lanes)
        out << l.title;
    return out;
}

void ElectionsTimeline::markTime(qint64 ms)
{
    m_markMs = ms;
    if (ms && m_fromMs && ms < m_fromMs)
        m_fromMs = ms - 1000;
    update();
}

QRectF ElectionsTimeline::plotArea() const
{
    int labelWidth = 0;
    for (const Lane &l : m_lanes) {
        // A member's title carries a swatch of its colour too.
        const int swatch = l.member ? int(fontMetrics().height() * 0.7) + 6 : 0;
        labelWidth = std::max(labelWidth, fontMetrics().horizontalAdvance(l.title) + swatch);
    }
    const double left = kMargin + labelWidth + 12;
    return QRectF(left, kMargin, std::max(10.0, width() - left - kMargin - 20),
        std::max(10, height() - 2 * kMargin - kAxisHeight));
}

int ElectionsTimeline::laneHeight() const
{
    // Lanes grow with the room they are given, up to a height that still reads as a lane.
    const int lanes = std::max(1, int(m_lanes.size()));
    const int room = int(plotArea().height()) / lanes - kLaneGap;
    return std::clamp(room, kLaneHeight, 2 * kLaneHeight);
}

QRectF ElectionsTimeline::laneRect(int lane) const
{
    const QRectF area = plotArea();
    const int h = laneHeight();
    return QRectF(area.left(), area.top() + lane * (h + kLaneGap), area.width(), h);
}

double ElectionsTimeline::xOf(qint64 ms) const
{
    const QRectF area = plotArea();
    const double span = double(std::max<qint64>(1, m_toMs - m_fromMs));
    return area.left() + area.width() * double(ms - m_fromMs) / span;
}

void ElectionsTimeline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (m_lanes.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No leadership seen yet."));
        return;
    }
    const QRectF area = plotArea();
    const QColor grid = palette().color(QPalette::Mid);
    const QColor text = palette().color(QPalette::Text);

    // Lane titles and backgrounds.
    for (int i = 0; i < m_lanes.size(); ++i) {
        const QRectF r = laneRect(i);
        p.fillRect(r, palette().color(i % 2 ? QPalette::Base : QPalette::AlternateBase));
        // A member's lane: its name beside a swatch of its colour, as in the members table.
        qreal titleRight = area.left() - 8;
        if (m_lanes[i].member) {
            const qreal side = fontMetrics().height() * 0.7;
            const QRectF swatch(titleRight - side, r.center().y() - side / 2, side, side);
            p.setPen(Qt::NoPen);
            p.setBrush(MemberPalette::shared().of(m_lanes[i].member));
            p.drawRoundedRect(swatch, 2, 2);
            titleRight = swatch.left() - 6;
        }
        p.setPen(text);
        p.drawText(QRectF(kMargin, r.top(), titleRight - kMargin, r.height()), Qt::AlignRight | Qt::AlignVCenter,
            m_lanes[i].title);
    }
    const int memberLanes
        = int(std::count_if(m_lanes.cbegin(), m_lanes.cend(), [](const Lane &l) { return l.member; }));

    // Time axis: ticks every 1, 2, 5 … units, labels that fit.
    const qint64 span = m_toMs - m_fromMs;
    const bool withDate = span > 12 * 3600 * 1000LL;
    const int labelWidth = fontMetrics().horizontalAdvance(timeText(m_toMs, withDate)) + 16;
    const qint64 step = tickStep(span, std::max(1, int(area.width()) / labelWidth));
    p.setPen(QPen(grid, 1, Qt::DotLine));
    const double axisY = area.top() + m_lanes.size() * (laneHeight() + kLaneGap);
    for (qint64 t = (m_fromMs / step + 1) * step; t < m_toMs; t += step) {
        const double x = xOf(t);
        p.setPen(QPen(grid, 1, Qt::DotLine));
        p.drawLine(QPointF(x, area.top()), QPointF(x, axisY));
        p.setPen(text);
        p.drawText(QRectF(x - labelWidth / 2.0, axisY + 2, labelWidth, kAxisHeight - 4), Qt::AlignCenter,
            timeText(t, withDate));
    }

    // etcd's leaderships in their members' lanes; unseen elections across every member lane.
    p.setPen(Qt::NoPen);
    for (const Band &b : std::as_const(m_bands)) {
        const double x0 = xOf(b.startMs), x1 = std::max(xOf(b.endMs), x0 + 2);
        if (!b.leader) {
            if (memberLanes == 0)
                continue;
            const QRectF gap(x0, laneRect(0).top(), x1 - x0, laneRect(memberLanes - 1).bottom() - laneRect(0).top());
            p.fillRect(gap, QBrush(grid, Qt::BDiagPattern));
            continue;
        }
        const auto lane
            = std::find_if(m_lanes.cbegin(), m_lanes.cend(), [&](const Lane &l) { return l.member == b.leader; });
        if (lane == m_lanes.cend())
            continue;
        const QRectF r = laneRect(int(lane - m_lanes.cbegin())).adjusted(0, 3, 0, -3);
        const QRectF band(x0, r.top(), x1 - x0, r.height());
        const QColor colour = MemberPalette::shared().of(b.leader);
        p.setBrush(colour);
        p.setPen(QPen(colour.darker(130), 1));
        p.drawRoundedRect(band, 3, 3);
        const QString term = tr("term %1").arg(b.term);
        if (fontMetrics().horizontalAdvance(term) + 8 < band.width()) {
            p.setPen(MemberPalette::textOn(colour));
            p.drawText(band.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, term);
        }
        p.setPen(Qt::NoPen);
    }

    // The leases' holders; red hatching while nobody holds one.
    for (const LeaseBand &b : std::as_const(m_leaseBands)) {
        const auto lane
            = std::find_if(m_lanes.cbegin(), m_lanes.cend(), [&](const Lane &l) { return l.lease == b.lease; });
        if (lane == m_lanes.cend())
            continue;
        const QRectF r = laneRect(int(lane - m_lanes.cbegin())).adjusted(0, 3, 0, -3);
        const double x0 = xOf(b.startMs), x1 = std::max(xOf(b.endMs), x0 + 2);
        const QRectF band(x0, r.top(), x1 - x0, r.height());
        if (b.holder.isEmpty()) {
            p.fillRect(band, QBrush(StateColors::bad(), Qt::BDiagPattern));
            continue;
        }
        // A neutral tone: the holders are masters, not members, and take no member's colour.
        const QColor colour = palette().color(QPalette::Button);
        p.setBrush(colour);
        p.setPen(QPen(palette().color(QPalette::Mid), 1));
        p.drawRoundedRect(band, 3, 3);
        if (fontMetrics().horizontalAdvance(b.holder) + 8 < band.width()) {
            p.setPen(palette().color(QPalette::ButtonText));
            p.drawText(band.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, b.holder);
        }
    }

    // A marker at each election, in the new leader's lane.
    for (const Election &e : std::as_const(m_elections)) {
        const double x = xOf(e.timeMs);
        p.setPen(QPen(text, 1));
        if (memberLanes > 0)
            p.drawLine(QPointF(x, laneRect(0).top()), QPointF(x, laneRect(memberLanes - 1).bottom()));
        QPainterPath triangle;
        triangle.moveTo(x, laneRect(0).top() + 6);
        triangle.lineTo(x - 4, laneRect(0).top());
        triangle.lineTo(x + 4, laneRect(0).top());
        triangle.closeSubpath();
        p.fillPath(triangle, text);
    }

    if (m_markMs && m_markMs >= m_fromMs && m_markMs <= m_toMs) {
        const double x = xOf(m_markMs);
        p.setPen(QPen(palette().color(QPalette::Highlight), 2, Qt::DashLine));
        p.drawLine(QPointF(x, area.top()), QPointF(x, axisY));
    }
}

QString ElectionsTimeline::tipAt(const QPointF &pos) const
{
    const QRectF area = plotArea();
    if (pos.x() < area.left() || pos.x() > area.right())
        return {};
    for (const Election &e : m_elections)
        if (std::abs(xOf(e.timeMs) - pos.x()) <= 3)
            return e.text;
    for (int i = 0; i < m_lanes.size(); ++i) {
        if (!laneRect(i).contains(pos))
            continue;
        const Lane &lane = m_lanes[i];
        for (const Band &b : m_bands) {
            if ((b.leader == lane.member || (!b.leader && lane.member)) && pos.x() >= xOf(b.startMs)
                && pos.x() <= std::max(xOf(b.endMs), xOf(b.startMs) + 2)) {
                if (!b.leader)
                    return b.detail.isEmpty() ? tr("%n election(s) between two samples", nullptr, b.unseenElections)
                                              : b.detail;
                return tr("%1 led in term %2, %3 – %4")
                    .arg(lane.title)
                    .arg(b.term)
                    .arg(timeText(b.startMs, false), timeText(b.endMs, false));
            }
        }
        for (const LeaseBand &b : m_leaseBands) {
            if (b.lease == lane.lease && pos.x() >= xOf(b.startMs) && pos.x() <= xOf(b.endMs))
                return b.holder.isEmpty()
                    ? tr("%1: nobody held the lease, %2 – %3")
                          .arg(b.lease, timeText(b.startMs, false), timeText(b.endMs, false))
                    : tr("%1 led by %2, %3 – %4")
                          .arg(b.lease, b.holder, timeText(b.startMs, false), timeText(b.endMs, false));
        }
    }
    return {};
}

bool ElectionsTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = tipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::showText(help->globalPos(), toolTip(), this);
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

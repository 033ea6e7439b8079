#include "elections/ElectionsTimeline.h"

#include "common/MemberId.h"
#include "session/ConsoleSession.h"
#include "widgets/MemberColors.h"

#include <QAreaSeries>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QToolTip>
#include <QValueAxis>

namespace {
constexpr qsizetype kLegendBands = 6;
} // namespace

ElectionsTimeline::ElectionsTimeline(QWidget *parent)
    : QChartView(parent)
    , m_timeAxis(nullptr)
    , m_valueAxis(nullptr)
    , m_marker(new QLineSeries)
{
    auto *c = new QChart;
    // The legend names each band's leader and term.
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    c->setBackgroundRoundness(0);
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(140);
    setToolTip(tr("One band per leadership, in the leader's colour; hover a band for leader and term."));
}

QList<ElectionsTimeline::Band> ElectionsTimeline::bandsFrom(
    const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot, qint64 historyStartMs)
{
    QList<Band> out;
    auto close = [&](qint64 at) {
        if (!out.isEmpty() && out.last().endMs == 0)
            out.last().endMs = at;
    };
    const qint64 historyStart = events.isEmpty() ? historyStartMs
        : historyStartMs > 0                     ? std::min(historyStartMs, events.first().timeMs)
                                                 : events.first().timeMs;
    // The first leadership began before the first election seen: the first snapshot names
    // its leader but makes no event, so it is drawn from the start of the history.
    auto openFirst = [&](const ClusterEvent &e, uint64_t term) {
        if (out.isEmpty() && e.from != 0 && historyStart > 0 && historyStart < e.timeMs)
            out.append({e.from, term, historyStart, 0});
    };
    for (const ClusterEvent &e : events) {
        if (e.type == ClusterEvent::Type::LeaderChanged) {
            openFirst(e, e.term > 0 ? e.term - 1 : 0);
            close(e.timeMs);
            out.append({e.to, e.term, e.timeMs, 0});
        } else if (e.type == ClusterEvent::Type::LeaderLost) {
            openFirst(e, e.term);
            close(e.timeMs);
        } else if (e.type == ClusterEvent::Type::TermChanged && !out.isEmpty() && out.last().endMs == 0) {
            close(e.timeMs);
            out.append({e.member, e.term, e.timeMs, 0});
        } else if (e.type == ClusterEvent::Type::ElectionsUnseen) {
            // The leadership the earlier sample saw ends there; what came between the samples
            // is unknown. A new leader opens its band with the LeaderChanged that follows; the
            // same leader opens its own here.
            const qint64 since = e.sinceMs > 0 && e.sinceMs < e.timeMs ? e.sinceMs : e.timeMs;
            if (out.isEmpty() && e.from != 0 && events.first().timeMs < since) {
                // No election seen before: the earlier leader led as far back as the history goes,
                // in the term before the unseen ones (and before the new leader's, if any).
                const uint64_t before = uint64_t(e.unseenElections) + (e.from != e.to ? 1 : 0);
                out.append({e.from, e.term > before ? e.term - before : 0, events.first().timeMs, since});
            }
            close(since);
            out.append({0, e.term, since, e.timeMs, e.unseenElections, e.detail});
            if (e.from != 0 && e.from == e.to)
                out.append({e.to, e.term, e.timeMs, 0});
        }
    }
    const qint64 now = snapshot.isValid() ? snapshot.timeMs() : QDateTime::currentMSecsSinceEpoch();
    if (out.isEmpty() && snapshot.hasLeader()) {
        // No election seen yet: the current leadership, as far back as the history goes.
        const qint64 since = events.isEmpty() ? now : std::min(now, events.first().timeMs);
        out.append({snapshot.leaderId(), snapshot.term(), since, 0});
    }
    if (!out.isEmpty() && out.last().endMs == 0)
        out.last().endMs = snapshot.hasLeader() && snapshot.leaderId() == out.last().leader ? now : now;
    return out;
}

void ElectionsTimeline::setSession(ConsoleSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (!session)
        return;
    auto redraw = [this, session] { setData(session->events(), session->snapshot()); };
    connect(session, &ConsoleSession::snapshotReady, this,
        [this, session](const ClusterSnapshot &s) { setData(session->events(), s); });
    connect(session, &ConsoleSession::eventsAppended, this, redraw);
    connect(session, &ConsoleSession::historyReset, this, redraw);
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
    const QList<Band> bands = bandsFrom(events, snapshot, m_historyStartMs);
    const bool sameShape = bands.size() == m_bands.size()
        && std::equal(bands.cbegin(), bands.cend(), m_bands.cbegin(), [](const Band &a, const Band &b) {
               return a.leader == b.leader && a.term == b.term && a.startMs == b.startMs
                   && a.unseenElections == b.unseenElections;
           });
    m_bands = bands;
    if (sameShape && !chart()->series().isEmpty()) {
        // Only the current band grew: move its end and the axis, no new series.
        auto *last = qobject_cast<QAreaSeries *>(chart()->series().value(int(m_bands.size()) - 1));
        if (last && !m_bands.isEmpty() && m_timeAxis) {
            const qint64 end = m_bands.last().endMs;
            last->upperSeries()->replace(1, QPointF(end, 1));
            last->lowerSeries()->replace(1, QPointF(end, 0));
            m_timeAxis->setMax(QDateTime::fromMSecsSinceEpoch(end + 1000));
        }
        return;
    }
    rebuild();
}

void ElectionsTimeline::rebuild()
{
    QChart *c = chart();
    c->removeAllSeries(); // deletes the marker too
    m_marker = nullptr;
    // Fresh axes each time: Qt Charts does not lay out an axis that was added while the
    // chart had no series, even once series are attached to it.
    for (QAbstractAxis *axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    m_timeAxis = new QDateTimeAxis;
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTitleText(tr("time"));
    m_valueAxis = new QValueAxis;
    m_valueAxis->setRange(0, 1.2);
    m_valueAxis->setVisible(false);
    for (const Band &b : std::as_const(m_bands)) {
        auto *upper = new QLineSeries;
        auto *lower = new QLineSeries;
        upper->append(b.startMs, 1);
        upper->append(b.endMs, 1);
        lower->append(b.startMs, 0);
        lower->append(b.endMs, 0);
        auto *area = new QAreaSeries(upper, lower);
        QString tip;
        if (b.unseenElections > 0) {
            area->setName(
                b.unseenElections == 1 ? tr("1 unseen election") : tr("%1 unseen elections").arg(b.unseenElections));
            area->setBrush(QBrush(palette().color(QPalette::Mid), Qt::BDiagPattern));
            area->setBorderColor(palette().color(QPalette::Mid));
            tip = b.detail.isEmpty() ? area->name() : b.detail;
        } else {
            const QString name = m_names.value(b.leader, MemberId::toHex(b.leader));
            area->setName(tr("%1, term %2").arg(name).arg(b.term));
            area->setColor(MemberColors::of(b.leader));
            area->setBorderColor(MemberColors::of(b.leader).darker(130));
            tip = area->name();
        }
        area->setPointLabelsVisible(false);
        connect(area, &QAreaSeries::hovered, this, [this, tip](const QPointF &, bool state) {
            if (state)
                QToolTip::showText(QCursor::pos(), tip, this);
        });
        c->addSeries(area);
        if (!chart()->axes().contains(m_timeAxis)) {
            c->addAxis(m_timeAxis, Qt::AlignBottom);
            c->addAxis(m_valueAxis, Qt::AlignLeft);
        }
        area->attachAxis(m_timeAxis);
        area->attachAxis(m_valueAxis);
    }
    // The legend names the most recent leaderships; older ones keep their hover tooltip.
    const QList<QAbstractSeries *> series = c->series();
    for (qsizetype i = 0; i + kLegendBands < series.size(); ++i) {
        for (QLegendMarker *marker : c->legend()->markers(series.at(i)))
            marker->setVisible(false);
    }
    if (!m_bands.isEmpty()) {
        m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(m_bands.first().startMs - 1000),
            QDateTime::fromMSecsSinceEpoch(m_bands.last().endMs + 1000));
    }
    if (m_markMs)
        markTime(m_markMs);
}

void ElectionsTimeline::markTime(qint64 ms)
{
    m_markMs = ms;
    if (!m_timeAxis || !chart()->axes().contains(m_timeAxis))
        return; // drawn with the first band
    if (!m_marker) {
        m_marker = new QLineSeries;
        m_marker->setPen(QPen(palette().color(QPalette::Highlight), 2, Qt::DashLine));
        chart()->addSeries(m_marker);
        m_marker->attachAxis(m_timeAxis);
        m_marker->attachAxis(m_valueAxis);
    }
    m_marker->replace({QPointF(ms, 0), QPointF(ms, 1.2)});
    for (QLegendMarker *marker : chart()->legend()->markers(m_marker))
        marker->setVisible(false);
    if (m_timeAxis->min().toMSecsSinceEpoch() > ms)
        m_timeAxis->setMin(QDateTime::fromMSecsSinceEpoch(ms - 1000));
}

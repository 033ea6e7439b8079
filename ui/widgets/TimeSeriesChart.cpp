#include "widgets/TimeSeriesChart.h"

#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <cmath>
#include <limits>

namespace {

constexpr int kRightMargin = 10;
constexpr int kTickLength = 4;

/// Round steps for a value axis: 1, 2 or 5 times a power of ten.
double niceStep(double span, int maxTicks)
{
    if (!(span > 0))
        return 1;
    const double raw = span / std::max(maxTicks, 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= raw)
            return m * magnitude;
    }
    return 10 * magnitude;
}

/// Round steps for the time axis, in ms.
qint64 timeStep(qint64 spanMs, int maxTicks)
{
    static const qint64 steps[] = {1000, 2000, 5000, 10'000, 15'000, 30'000, 60'000, 120'000, 300'000, 600'000, 900'000,
        1'800'000, 3'600'000, 7'200'000, 10'800'000, 21'600'000, 43'200'000, 86'400'000};
    for (qint64 s : steps) {
        if (spanMs / s <= maxTicks)
            return s;
    }
    return 86'400'000 * ((spanMs / maxTicks) / 86'400'000 + 1);
}

} // namespace

TimeSeriesChart::TimeSeriesChart(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setBackgroundRole(QPalette::Base);
    updateValueRange();
}

void TimeSeriesChart::setFormatter(Formatter formatter)
{
    m_formatter = std::move(formatter);
    updateValueRange();
    update();
}

void TimeSeriesChart::setTimeRange(qint64 fromMs, qint64 toMs)
{
    m_fromMs = fromMs;
    m_toMs = std::max(toMs, fromMs + 1);
    update();
}

void TimeSeriesChart::setLines(QVector<ChartLine> lines)
{
    m_lines = std::move(lines);
    updateValueRange();
    update();
}

void TimeSeriesChart::setThreshold(std::optional<double> value, const QString &label)
{
    m_threshold = value;
    m_thresholdLabel = label;
    updateValueRange();
    update();
}

void TimeSeriesChart::setMarkers(QVector<ChartMarker> markers)
{
    m_markers = std::move(markers);
    update();
}

void TimeSeriesChart::setMarkedTime(qint64 ms)
{
    m_markedMs = ms;
    update();
}

void TimeSeriesChart::setHoverTime(qint64 ms)
{
    if (m_hoverMs == ms)
        return;
    m_hoverMs = ms;
    update();
}

void TimeSeriesChart::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

QString TimeSeriesChart::format(double value) const
{
    return m_formatter ? m_formatter(value) : QString::number(value, 'g', 4);
}

void TimeSeriesChart::setFixedValueRange(double lo, double hi, double step)
{
    m_fixedRange = std::make_tuple(lo, hi, step);
    updateValueRange();
    update();
}

void TimeSeriesChart::updateValueRange()
{
    if (m_fixedRange) {
        const auto [lo, hi, step] = *m_fixedRange;
        m_minValue = lo;
        m_maxValue = hi;
        m_valueTicks.clear();
        for (int i = 0; i <= 50 && lo + i * step <= hi + step / 2; ++i)
            m_valueTicks.append(lo + i * step);
        layoutPlot();
        return;
    }
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    // The axis shows the data: a limit line (a 2 GiB quota) would flatten a 20 KiB database
    // onto zero. A threshold joins the axis only when it would not squeeze the data into
    // less than half of it; otherwise both are named at the top edge.
    for (const ChartLine &line : std::as_const(m_lines)) {
        if (line.limit)
            continue;
        for (const QPointF &p : line.points) {
            if (std::isfinite(p.y())) {
                lo = std::min(lo, p.y());
                hi = std::max(hi, p.y());
            }
        }
    }
    if (m_threshold && std::isfinite(*m_threshold)) {
        const bool noData = !std::isfinite(lo);
        const double floor = m_floor.value_or(std::min(lo, 0.0));
        if (noData || (*m_threshold - floor) <= 2 * (hi - floor)) {
            lo = std::min(noData ? floor : lo, *m_threshold);
            hi = std::max(noData ? *m_threshold : hi, *m_threshold);
        }
    }
    if (!std::isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    if (m_floor && lo >= *m_floor)
        lo = *m_floor;
    // A span too narrow for the doubles around it (a nearly constant gauge) is widened, so
    // that ticks are distinct numbers.
    if (hi - lo <= std::max(std::fabs(lo), std::fabs(hi)) * 1e-9)
        hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1);
    const double step = niceStep(hi - lo, 4);
    m_minValue = std::floor(lo / step) * step;
    m_maxValue = std::ceil(hi / step) * step;
    if (m_maxValue <= hi)
        m_maxValue += step; // head room above the highest point
    m_valueTicks.clear();
    for (int i = 0; i <= 50 && m_minValue + i * step <= m_maxValue + step / 2; ++i) {
        const double v = m_minValue + i * step;
        m_valueTicks.append(std::fabs(v) < step * 1e-9 ? 0 : v);
    }
    layoutPlot();
}

void TimeSeriesChart::resizeEvent(QResizeEvent *)
{
    layoutPlot();
}

void TimeSeriesChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        layoutPlot();
    QWidget::changeEvent(event);
}

void TimeSeriesChart::layoutPlot()
{
    const QFontMetrics fm(font());
    int labelWidth = 0;
    for (double v : m_valueTicks)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(format(v)));
    const int left = labelWidth + kTickLength + 6;
    const int top = fm.height() + 6; // the legend
    const int bottom = fm.height() + kTickLength + 4;
    m_plot = QRect(left, top, std::max(width() - left - kRightMargin, 10), std::max(height() - top - bottom, 10));
}

double TimeSeriesChart::xOf(double ms) const
{
    const QRect &r = m_plot;
    return r.left() + (ms - double(m_fromMs)) / double(m_toMs - m_fromMs) * r.width();
}

double TimeSeriesChart::yOf(double value) const
{
    const QRect &r = m_plot;
    return r.bottom() - (value - m_minValue) / (m_maxValue - m_minValue) * r.height();
}

qint64 TimeSeriesChart::timeAt(int x) const
{
    const QRect r = plotRect();
    return m_fromMs + qint64(double(x - r.left()) / std::max(r.width(), 1) * double(m_toMs - m_fromMs));
}

std::optional<double> TimeSeriesChart::valueAt(const ChartLine &line, qint64 ms)
{
    const auto it = std::upper_bound(
        line.points.begin(), line.points.end(), double(ms), [](double t, const QPointF &p) { return t < p.x(); });
    if (it == line.points.begin())
        return std::nullopt;
    const QPointF &p = *(it - 1);
    if (std::isnan(p.y()))
        return std::nullopt;
    return p.y();
}

void TimeSeriesChart::paintEvent(QPaintEvent *)
{
    // Back to front: each step draws over the one before.
    QPainter painter(this);
    const Paint paint = paintContext();
    painter.fillRect(rect(), paint.palette.color(QPalette::Base));
    paintAxes(painter, paint);
    paintMarkers(painter, paint);
    paintEmptyText(painter, paint);
    paintLines(painter, paint);
    paintThreshold(painter, paint);
    paintLimitsBeyond(painter, paint);
    paintLegend(painter, paint);
    paintHover(painter, paint);
}

TimeSeriesChart::Paint TimeSeriesChart::paintContext() const
{
    const QPalette pal = palette();
    // The grid: a fifth of the way from the background to the text, faint on light and dark
    // palettes alike.
    const QColor base = pal.color(QPalette::Base), text = pal.color(QPalette::Text);
    const QColor grid = QColor::fromRgbF(base.redF() * 0.82f + text.redF() * 0.18f,
        base.greenF() * 0.82f + text.greenF() * 0.18f, base.blueF() * 0.82f + text.blueF() * 0.18f);
    return {pal, plotRect(), QFontMetrics(font()), grid, text};
}

/// The value axis with its horizontal grid, the time axis with its vertical one, the frame.
void TimeSeriesChart::paintAxes(QPainter &painter, const Paint &paint) const
{
    painter.setPen(paint.grid);
    for (double v : std::as_const(m_valueTicks)) {
        const int y = int(std::round(yOf(v)));
        painter.setPen(paint.grid);
        painter.drawLine(paint.plot.left(), y, paint.plot.right(), y);
        painter.setPen(paint.text);
        const QString label = format(v);
        painter.drawText(
            QRect(0, y - paint.metrics.height() / 2, paint.plot.left() - kTickLength - 2, paint.metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, label);
    }
    // Time axis.
    const qint64 span = m_toMs - m_fromMs;
    const qint64 step = timeStep(span, std::max(2, paint.plot.width() / 90));
    const QString timeFormat = step < 60'000 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    for (qint64 t = (m_fromMs / step + 1) * step; t < m_toMs; t += step) {
        const int x = int(std::round(xOf(double(t))));
        painter.setPen(paint.grid);
        painter.drawLine(x, paint.plot.top(), x, paint.plot.bottom() + kTickLength);
        painter.setPen(paint.text);
        const QString label = QDateTime::fromMSecsSinceEpoch(t).toString(timeFormat);
        const int w = paint.metrics.horizontalAdvance(label);
        // A label the widget's edge would cut ("13:5") is left out; its grid line stays.
        if (x - w / 2 < 0 || x + w - w / 2 > width())
            continue;
        painter.drawText(x - w / 2, paint.plot.bottom() + kTickLength + paint.metrics.ascent() + 2, label);
    }
    painter.setPen(paint.palette.color(QPalette::Mid));
    painter.drawRect(paint.plot.adjusted(0, 0, -1, -1));
}

/// Election markers, under the data; the one picked in the timeline drawn solid.
void TimeSeriesChart::paintMarkers(QPainter &painter, const Paint &paint) const
{
    painter.save();
    painter.setClipRect(paint.plot);
    for (const ChartMarker &m : std::as_const(m_markers)) {
        if (m.timeMs < m_fromMs || m.timeMs > m_toMs)
            continue;
        const bool marked = m.timeMs == m_markedMs;
        QPen pen(QColor(230, 126, 34), marked ? 2.5 : 1, marked ? Qt::SolidLine : Qt::DashLine);
        pen.setCosmetic(!marked);
        painter.setPen(pen);
        const double x = xOf(double(m.timeMs));
        painter.drawLine(QPointF(x, paint.plot.top()), QPointF(x, paint.plot.bottom()));
    }
    painter.restore();
}

void TimeSeriesChart::paintEmptyText(QPainter &painter, const Paint &paint) const
{
    if (m_lines.isEmpty() && !m_emptyText.isEmpty()) {
        painter.setPen(paint.palette.color(QPalette::PlaceholderText));
        painter.drawText(paint.plot.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    }
}

/// The data: one polyline per run between gaps (a gap is a failed scrape, never a zero).
void TimeSeriesChart::paintLines(QPainter &painter, const Paint &paint) const
{
    painter.save();
    painter.setClipRect(paint.plot.adjusted(0, -1, 0, 1));
    painter.setRenderHint(QPainter::Antialiasing, true);
    QVector<QPointF> run;
    for (const ChartLine &line : std::as_const(m_lines)) {
        // A one-pixel cosmetic pen takes the rasteriser's fast path, dashed or not; wider
        // pens are stroked into paths first, which costs ten times as much.
        QPen pen(line.color, 1, line.style);
        pen.setCosmetic(true);
        painter.setPen(pen);
        run.clear();
        auto flush = [&] {
            if (run.size() == 1)
                painter.drawPoint(run.front());
            else if (run.size() > 1)
                painter.drawPolyline(run.constData(), int(run.size()));
            run.clear();
        };
        for (const QPointF &p : line.points) {
            if (!std::isfinite(p.y())) {
                flush();
                continue;
            }
            run.append(QPointF(xOf(p.x()), yOf(p.y())));
        }
        flush();
    }
    painter.restore();
}

void TimeSeriesChart::paintThreshold(QPainter &painter, const Paint &paint) const
{
    if (m_threshold && std::isfinite(*m_threshold) && *m_threshold >= m_minValue && *m_threshold <= m_maxValue) {
        const double y = yOf(*m_threshold);
        QPen pen(QColor(192, 57, 43), 1, Qt::DashDotLine);
        pen.setCosmetic(true);
        painter.setPen(pen);
        painter.drawLine(QPointF(paint.plot.left(), y), QPointF(paint.plot.right(), y));
        if (!m_thresholdLabel.isEmpty()) {
            const int w = paint.metrics.horizontalAdvance(m_thresholdLabel);
            painter.drawText(QPointF(paint.plot.right() - w - 4, y - 3), m_thresholdLabel);
        }
    }
}

QStringList TimeSeriesChart::limitsBeyond() const
{
    QStringList beyond;
    if (m_threshold && std::isfinite(*m_threshold) && *m_threshold > m_maxValue)
        beyond << (m_thresholdLabel.isEmpty() ? format(*m_threshold) : m_thresholdLabel);
    for (const ChartLine &line : std::as_const(m_lines)) {
        if (!line.limit || line.points.isEmpty() || !std::isfinite(line.points.constLast().y()))
            continue;
        const double value = line.points.constLast().y();
        const QString text = (line.variant.isEmpty() ? line.label : line.variant) + QLatin1Char(' ') + format(value);
        if (value > m_maxValue && !beyond.contains(text))
            beyond << text;
    }
    return beyond;
}

void TimeSeriesChart::paintLimitsBeyond(QPainter &painter, const Paint &paint) const
{
    const QStringList beyond = limitsBeyond();
    if (beyond.isEmpty())
        return;
    const QString text = QStringLiteral("↑ ") + beyond.join(QStringLiteral(" · "));
    const int w = paint.metrics.horizontalAdvance(text) + 8;
    const QRect box(paint.plot.right() - w - 2, paint.plot.top() + 2, w, paint.metrics.height() + 2);
    painter.fillRect(box, paint.palette.color(QPalette::Base));
    painter.setPen(QColor(192, 57, 43));
    painter.drawText(box, Qt::AlignCenter, text);
}

/// The legend, on one row above the plot: who in colour, then what in line style.
void TimeSeriesChart::paintLegend(QPainter &painter, const Paint &paint) const
{
    QStringList who;
    QList<QColor> whoColors;
    QStringList variants;
    QList<Qt::PenStyle> variantStyles;
    for (const ChartLine &line : std::as_const(m_lines)) {
        const QString name = line.who.isEmpty() ? line.label : line.who;
        if (!who.contains(name)) {
            who.append(name);
            whoColors.append(line.color);
        }
        if (!line.variant.isEmpty() && !variants.contains(line.variant)) {
            variants.append(line.variant);
            variantStyles.append(line.style);
        }
    }
    int x = paint.plot.left();
    auto entry = [&](const QString &label, const QPen &pen) {
        const int w = paint.metrics.horizontalAdvance(label);
        if (x + 14 + w > width() - kRightMargin)
            return;
        painter.setPen(pen);
        painter.drawLine(x, paint.metrics.height() / 2 + 2, x + 10, paint.metrics.height() / 2 + 2);
        painter.setPen(paint.text);
        painter.drawText(x + 13, paint.metrics.ascent() + 2, label);
        x += 13 + w + 12;
    };
    for (int i = 0; i < who.size(); ++i)
        entry(who[i], QPen(whoColors[i], 2));
    if (variants.size() > 1) {
        x += 8;
        for (int i = 0; i < variants.size(); ++i)
            entry(variants[i], QPen(paint.text, 1.5, variantStyles[i]));
    }
}

/// The hover cursor, with every line's value at that moment.
void TimeSeriesChart::paintHover(QPainter &painter, const Paint &paint) const
{
    if (m_hoverMs > 0 && m_hoverMs >= m_fromMs && m_hoverMs <= m_toMs) {
        const double hx = xOf(double(m_hoverMs));
        painter.setPen(QPen(paint.text, 1, Qt::DotLine));
        painter.drawLine(QPointF(hx, paint.plot.top()), QPointF(hx, paint.plot.bottom()));
        QStringList rows {QDateTime::fromMSecsSinceEpoch(m_hoverMs).toString(QStringLiteral("HH:mm:ss"))};
        QList<QColor> colors {paint.text};
        for (const ChartLine &line : std::as_const(m_lines)) {
            const auto v = valueAt(line, m_hoverMs);
            rows.append(QStringLiteral("%1: %2").arg(line.label, v ? format(*v) : QStringLiteral("—")));
            colors.append(line.color);
        }
        int boxWidth = 0;
        for (const QString &row : std::as_const(rows))
            boxWidth = std::max(boxWidth, paint.metrics.horizontalAdvance(row));
        boxWidth += 12;
        const int boxHeight = int(rows.size()) * paint.metrics.height() + 8;
        int bx = int(hx) + 8;
        if (bx + boxWidth > paint.plot.right())
            bx = int(hx) - 8 - boxWidth;
        const QRect box(std::max(bx, paint.plot.left()), paint.plot.top() + 4, boxWidth,
            std::min(boxHeight, paint.plot.height() - 8));
        QColor background = paint.palette.color(QPalette::ToolTipBase);
        background.setAlpha(235);
        painter.fillRect(box, background);
        painter.setPen(paint.palette.color(QPalette::Mid));
        painter.drawRect(box.adjusted(0, 0, -1, -1));
        painter.setClipRect(box);
        for (int i = 0; i < rows.size(); ++i) {
            painter.setPen(i == 0 ? paint.palette.color(QPalette::ToolTipText) : colors[i].darker(120));
            painter.drawText(
                box.left() + 6, box.top() + 4 + paint.metrics.ascent() + i * paint.metrics.height(), rows[i]);
        }
    }
}

void TimeSeriesChart::mouseMoveEvent(QMouseEvent *event)
{
    const QRect plot = plotRect();
    const int x = int(event->position().x());
    if (x < plot.left() || x > plot.right()) {
        emit hoverLeft();
        return;
    }
    emit hovered(timeAt(x));
}

void TimeSeriesChart::leaveEvent(QEvent *)
{
    emit hoverLeft();
}

void TimeSeriesChart::mouseDoubleClickEvent(QMouseEvent *event)
{
    // The nearest marker within a few pixels.
    const double x = event->position().x();
    const ChartMarker *best = nullptr;
    double bestDistance = 6;
    for (const ChartMarker &m : std::as_const(m_markers)) {
        const double d = std::fabs(xOf(double(m.timeMs)) - x);
        if (d <= bestDistance) {
            bestDistance = d;
            best = &m;
        }
    }
    if (best)
        emit markerActivated(best->timeMs);
}

#pragma once

#include <QColor>
#include <QFontMetrics>
#include <QPalette>
#include <QPointF>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <functional>
#include <optional>
#include <tuple>
#include <utility>

class QPainter;

/// One line of a chart: x in ms since the epoch, NaN y where the data has a gap.
struct ChartLine {
    QString label; ///< in the hover box and exports: "etcd1 in"
    QString who; ///< the legend's colour entry: "etcd1" (label when empty)
    QString variant; ///< the legend's line-style entry: "in" (none when empty)
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
    QVector<QPointF> points;
    /// A limit shown for reference (a quota), not data: it does not set the value axis, and
    /// when it lies above the axis the chart names it at the top edge instead.
    bool limit = false;
};

/// A moment worth a vertical marker on every chart (a leader election).
struct ChartMarker {
    qint64 timeMs = 0;
    QString label;
};

/// A time-series chart painted directly: lines broken at gaps, a threshold line, event
/// markers and a hover cursor that shows every line's value at one moment. Painting is
/// cheap because the lines arrive already thinned to about two points per pixel column;
/// the chart draws what it is given and computes nothing but the axes.
class TimeSeriesChart : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeSeriesChart)

public:
    using Formatter = std::function<QString(double)>;

    explicit TimeSeriesChart(QWidget *parent = nullptr);

    void setFormatter(Formatter formatter);
    void setTimeRange(qint64 fromMs, qint64 toMs);
    qint64 fromMs() const { return m_fromMs; }
    qint64 toMs() const { return m_toMs; }
    void setLines(QVector<ChartLine> lines);
    const QVector<ChartLine> &lines() const { return m_lines; }
    /// A horizontal line the data should stay on the right side of.
    void setThreshold(std::optional<double> value, const QString &label = {});
    std::optional<double> threshold() const { return m_threshold; }
    /// Values below `floor` are never shown: 0 for sizes and rates.
    void setValueFloor(std::optional<double> floor) { m_floor = floor; }
    /// A fixed value axis (a yes/no signal), ticks every `step`.
    void setFixedValueRange(double lo, double hi, double step);
    void setMarkers(QVector<ChartMarker> markers);
    const QVector<ChartMarker> &markers() const { return m_markers; }
    /// Highlights the marker at this moment; 0 for none.
    void setMarkedTime(qint64 ms);
    /// Draws the hover cursor at this moment; 0 hides it.
    void setHoverTime(qint64 ms);
    qint64 hoverTime() const { return m_hoverMs; }
    /// Shown when there are no lines at all.
    void setEmptyText(const QString &text);

    /// The value axis, from its lowest tick to its highest.
    std::pair<double, double> valueRange() const { return {m_minValue, m_maxValue}; }
    /// The threshold and limits that lie above the value axis, as named at its top edge.
    QStringList limitsBeyond() const;

    /// The rectangle lines are drawn in; its width is the number of pixel columns.
    QRect plotRect() const { return m_plot; }
    qint64 timeAt(int x) const;
    /// The line's last value at or before ms, unless a gap follows it.
    static std::optional<double> valueAt(const ChartLine &line, qint64 ms);

    QSize sizeHint() const override { return {420, 200}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

signals:
    void hovered(qint64 ms);
    void hoverLeft();
    /// Double-click near a marker.
    void markerActivated(qint64 ms);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    /// What every painting step needs, worked out once per paint.
    struct Paint {
        QPalette palette;
        QRect plot;
        QFontMetrics metrics;
        QColor grid;
        QColor text;
    };
    Paint paintContext() const;
    void paintAxes(QPainter &painter, const Paint &paint) const;
    void paintMarkers(QPainter &painter, const Paint &paint) const;
    void paintEmptyText(QPainter &painter, const Paint &paint) const;
    void paintLines(QPainter &painter, const Paint &paint) const;
    void paintThreshold(QPainter &painter, const Paint &paint) const;
    /// The limits and threshold beyond the value axis, named along the plot's top edge.
    void paintLimitsBeyond(QPainter &painter, const Paint &paint) const;
    void paintLegend(QPainter &painter, const Paint &paint) const;
    void paintHover(QPainter &painter, const Paint &paint) const;

    void updateValueRange();
    void layoutPlot();
    double xOf(double ms) const;
    double yOf(double value) const;
    QString format(double value) const;

    Formatter m_formatter;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 1;
    QVector<ChartLine> m_lines;
    std::optional<double> m_threshold;
    QString m_thresholdLabel;
    std::optional<double> m_floor = 0.0;
    std::optional<std::tuple<double, double, double>> m_fixedRange;
    QVector<ChartMarker> m_markers;
    qint64 m_markedMs = 0;
    qint64 m_hoverMs = 0;
    QString m_emptyText;
    double m_minValue = 0;
    double m_maxValue = 1;
    QVector<double> m_valueTicks;
    QRect m_plot; ///< cached: every point is mapped through it
};

#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QWidget;

/// Strips (a notification, a banner) that float over the bottom of a host widget, one above
/// the other, as wide as the host less a margin, rather than taking a place in its layout.
///
/// Why: a strip in the layout pushes everything below it when it comes or goes, and the
/// whole window is then laid out and repainted: 10–20 ms of the window's thread with the
/// tables and the topology in view (perf, during a restore and a rebuild of the demo). A
/// floating strip repaints only its own area. The host's bottom rows are covered while a
/// strip is shown; every strip can be dismissed or goes by itself.
class OverlayStrips : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverlayStrips)

public:
    /// Pixels between a strip and the host's edges, and between two strips.
    static constexpr int kMargin = 8;

    /// host must have a parent widget: the strips are its children, beside the host.
    explicit OverlayStrips(QWidget *host);

    /// Makes strip a child of the host's parent, floating over the host; strips added later
    /// sit above earlier ones.
    void add(QWidget *strip);
    /// Where the shown strips begin, in the host's coordinates (the host's height when none).
    int top() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void place();
    void placeSoon();

    QWidget *m_host;
    QList<QPointer<QWidget>> m_strips;
    bool m_placing = false;
};

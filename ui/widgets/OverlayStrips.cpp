#include "widgets/OverlayStrips.h"

#include <QEvent>
#include <QWidget>

OverlayStrips::OverlayStrips(QWidget *host)
    : QObject(host)
    , m_host(host)
{
    Q_ASSERT(host->parentWidget());
    host->installEventFilter(this);
}

void OverlayStrips::add(QWidget *strip)
{
    const bool shown = !strip->isHidden();
    // A sibling of the host, not its child: a widget without a layout of its own (a tab
    // widget) answers a child's layout request by updating all of itself.
    strip->setParent(m_host->parentWidget());
    strip->setVisible(shown);
    strip->installEventFilter(this);
    m_strips.append(strip);
    place();
}

int OverlayStrips::top() const
{
    int top = m_host->height();
    for (const QPointer<QWidget> &strip : m_strips)
        if (strip && !strip->isHidden())
            top = std::min(top, strip->y() - m_host->y());
    return top;
}

bool OverlayStrips::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::Resize:
    case QEvent::Move:
        if (watched == m_host)
            place();
        break;
    // A strip shown or hidden itself (a change of the window's visibility moves nothing).
    case QEvent::ShowToParent:
    case QEvent::HideToParent:
        if (watched != m_host)
            place();
        break;
    case QEvent::LayoutRequest:
        // The strip's text changed: its layout settles first, then its height is known.
        if (watched != m_host)
            placeSoon();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void OverlayStrips::placeSoon()
{
    if (m_placing)
        return;
    m_placing = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_placing = false;
            place();
        },
        Qt::QueuedConnection);
}

void OverlayStrips::place()
{
    const QRect host = m_host->geometry();
    const int width = std::max(0, host.width() - 2 * kMargin);
    int bottom = host.y() + host.height() - kMargin;
    for (const QPointer<QWidget> &strip : m_strips) {
        if (!strip)
            continue;
        const int height = strip->hasHeightForWidth() ? strip->heightForWidth(width) : strip->sizeHint().height();
        const QRect where(host.x() + kMargin, bottom - height, width, height);
        if (strip->geometry() != where)
            strip->setGeometry(where);
        // A hidden strip is placed too, where it would appear, but takes no room: shown, it
        // is already there, and only its own area is painted (not the place a widget takes
        // by default, the top left, which would repaint the page under it).
        if (strip->isHidden())
            continue;
        strip->raise();
        bottom = where.top() - kMargin;
    }
}

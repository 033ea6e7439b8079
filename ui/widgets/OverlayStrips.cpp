#include "widgets/OverlayStrips.h"

#include <QEvent>
#include <QWidget>

OverlayStrips::OverlayStrips(QWidget *host)
    : QObject(host)
    , m_host(host)
{
    host->installEventFilter(this);
}

void OverlayStrips::add(QWidget *strip)
{
    const bool shown = !strip->isHidden();
    strip->setParent(m_host);
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
            top = std::min(top, strip->y());
    return top;
}

bool OverlayStrips::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::Resize:
        if (watched == m_host)
            place();
        break;
    case QEvent::Show:
    case QEvent::Hide:
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
    const int width = std::max(0, m_host->width() - 2 * kMargin);
    int bottom = m_host->height() - kMargin;
    for (const QPointer<QWidget> &strip : m_strips) {
        if (!strip || strip->isHidden())
            continue;
        const int height = strip->hasHeightForWidth() ? strip->heightForWidth(width) : strip->sizeHint().height();
        const QRect where(kMargin, bottom - height, width, height);
        if (strip->geometry() != where)
            strip->setGeometry(where);
        strip->raise();
        bottom = where.top() - kMargin;
    }
}
